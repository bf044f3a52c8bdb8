"""The introspection limit (`mock_server.graphql.introspection`, #28)."""

from __future__ import annotations

from typing import Any

import pytest
from graphql import get_introspection_query, parse

from mock_server import create_app, default_schema_path
from mock_server.graphql import RequestLimits, load_schema_sdl
from mock_server.graphql.introspection import (
    full_introspection_count,
    introspection_counts,
)
from tests.helpers import single_error

pytestmark = pytest.mark.anyio

SCHEMA = load_schema_sdl(default_schema_path())[1]
TYPES_AND_FIELDS = "__schema { types { name fields { name type { name kind } } } }"
FULL = get_introspection_query(
    descriptions=True,
    specified_by_url=True,
    directive_is_repeatable=True,
    schema_description=True,
    input_value_deprecation=True,
)


def resolved(value: Any) -> int:
    """The fields an answer holds: what resolving it took."""
    if isinstance(value, dict):
        return sum(1 + resolved(item) for item in value.values())
    if isinstance(value, list):
        return sum(resolved(item) for item in value)
    return 0


def aliases(count: int) -> str:
    return "{ " + " ".join(f"a{i}: {TYPES_AND_FIELDS}" for i in range(count)) + " }"


@pytest.mark.parametrize(
    "query", [FULL, aliases(3), '{ __type(name: "Query") { name fields { name } } }']
)
async def test_the_count_is_what_resolving_takes(client, query):
    [counted] = introspection_counts(SCHEMA, parse(query), 10**9).values()
    response = await client.post("/graphql", json={"query": query})

    assert counted == resolved(response.json()["data"])


def test_counting_stops_past_the_limit():
    assert introspection_counts(SCHEMA, parse(aliases(200)), 1_000) == {None: 1_001}


def test_outside_introspection_nothing_is_counted():
    query = '{ __typename smtpConfigurations(organizationId: "o") { nodes { id } } }'

    assert introspection_counts(SCHEMA, parse(query), 10) == {None: 0}


def test_a_variable_type_name_counts_as_the_widest_type():
    query = "query Q($n: String!) { __type(name: $n) { fields { name } } }"
    widest = max(len(getattr(t, "fields", {})) for t in SCHEMA.type_map.values())

    # `__type`, `fields`, and a `name` per field of the widest type.
    assert introspection_counts(SCHEMA, parse(query), 10**9) == {"Q": 2 + widest}


async def test_an_operation_resolving_too_much_introspection_is_refused(client):
    fifteen = await client.post("/graphql", json={"query": aliases(15)})
    two_hundred = await client.post("/graphql", json={"query": aliases(200)})

    assert "errors" not in fifteen.json()
    entry = single_error(two_hundred, 200, "MAX_INTROSPECTION_EXCEEDED")
    assert entry["message"].startswith(
        "The request's introspection resolves more than 5000 fields"
    )


async def test_the_full_introspection_query_always_passes(client_for):
    # Twice its count is the least the limit can be, whatever is set.
    app = create_app(limits=RequestLimits(introspection=1))
    async with client_for(app) as client:
        full = await client.post("/graphql", json={"query": FULL})
        twice = await client.post(
            "/graphql", json=[{"query": FULL}, {"query": FULL}, {"query": FULL}]
        )

    assert "errors" not in full.json()
    assert 2 * full_introspection_count(SCHEMA) == 2 * resolved(full.json()["data"])
    first, second, third = twice.json()
    assert "errors" not in first
    assert "errors" not in second
    assert third["errors"][0]["extensions"]["code"] == "MAX_INTROSPECTION_EXCEEDED"

"""The depth limit (`mock_server.graphql.depth`), over HTTP."""

from __future__ import annotations

import pytest

from mock_server import create_app, default_schema_path
from tests.helpers import single_error

pytestmark = pytest.mark.anyio


RECURSIVE_EXTENSION = """
extend type Query { node: Node }
type Node { id: ID! child: Node }
"""


@pytest.fixture
def recursive_app(tmp_path):
    path = tmp_path / "schema.graphql"
    path.write_text(default_schema_path().read_text() + RECURSIVE_EXTENSION)
    return create_app(path, seed=1)


def chain(depth: int) -> str:
    """A query selecting `depth` nested fields: node { child { ... id } }."""
    selection = "id"
    for _ in range(depth - 2):
        selection = f"child {{ {selection} }}"
    return f"{{ node {{ {selection} }} }}"


async def test_query_of_depth_fifteen_runs(recursive_app, client_for):
    async with client_for(recursive_app) as client:
        response = await client.post("/graphql", json={"query": chain(15)})

    assert response.status_code == 200
    assert "errors" not in response.json()


async def test_query_deeper_than_fifteen_is_refused(recursive_app, client_for):
    async with client_for(recursive_app) as client:
        response = await client.post("/graphql", json={"query": chain(16)})

    entry = single_error(response, 200, "MAX_DEPTH_EXCEEDED")
    assert entry["message"] == "Query is nested too deeply: the maximum depth is 15"


async def test_depth_counts_through_fragments(recursive_app, client_for):
    selection = "id"
    for _ in range(14):
        selection = f"child {{ {selection} }}"
    # node (1) + the fragment's 15 levels = 16.
    query = f"query {{ node {{ ...F }} }} fragment F on Node {{ {selection} }}"
    async with client_for(recursive_app) as client:
        response = await client.post("/graphql", json={"query": query})

    single_error(response, 200, "MAX_DEPTH_EXCEEDED")


async def test_fragment_cycles_are_reported_not_looped(recursive_app, client_for):
    query = (
        "{ node { ...A } } fragment A on Node { child { ...B } } "
        "fragment B on Node { child { ...A } }"
    )
    async with client_for(recursive_app) as client:
        response = await client.post("/graphql", json={"query": query})

    entry = single_error(response, 200, "GRAPHQL_VALIDATION_FAILED")
    assert "within itself" in entry["message"]


async def test_introspection_is_exempt_from_the_depth_limit(client):
    query = "{ __schema { types { " + "ofType { " * 20 + "name" + " }" * 20 + " } } }"
    response = await client.post("/graphql", json={"query": query})

    assert response.status_code == 200
    assert response.json()["data"]["__schema"]["types"]

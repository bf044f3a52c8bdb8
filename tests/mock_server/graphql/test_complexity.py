"""The complexity limit (`mock_server.graphql.complexity`): counting, then HTTP.

Every expected cost is worked out by hand from the module docstring's rules:
each field 1, a list's selection times its page (`first:` or 50), a
connection's `nodes`/`edges` selection times the connection field's page.
"""

from __future__ import annotations

from dataclasses import replace

import pytest
from graphql import build_schema, get_operation_ast, parse

from mock_server import create_app, default_schema_path
from mock_server.domain.profile import DEFAULT_PROFILE
from mock_server.domain.profile_files import load_profile
from mock_server.graphql import MAX_COMPLEXITY, operation_complexity
from tests.helpers import single_error

pytestmark = pytest.mark.anyio

PAGED_EXTENSION = """
extend type Query {
  users(first: Int): UserConnection
  people(first: Int): [Person!]!
  tags: [String!]
}
type UserConnection { totalCount: Int! nodes: [Person!]! edges: [PersonEdge!]! }
type PersonEdge { cursor: String! node: Person! }
type Person { id: ID! name: String friends(first: Int): UserConnection }
"""
PAGED_SDL = default_schema_path().read_text() + PAGED_EXTENSION
PAGED_SCHEMA = build_schema(PAGED_SDL)
LIST = 'smtpConfigurations(organizationId: "o")'


def cost(query: str, variables=None, *, limit: int = MAX_COMPLEXITY):
    document = parse(query)
    operation = get_operation_ast(document)
    assert operation is not None
    return operation_complexity(
        PAGED_SCHEMA, document, operation, variables or {}, limit=limit
    )


def aliases(count: int, field: str = "id") -> str:
    return " ".join(f"a{index}: {field}" for index in range(count))


# --- counting ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        # 1 (list) + 1 (nodes) + 50 x 2 (id, host).
        (f"{{ {LIST} {{ nodes {{ id host }} }} }}", 102),
        # The connection field's page, counted once, not twice; totalCount once.
        ("{ users(first: 10) { totalCount nodes { id name } } }", 1 + 1 + 1 + 10 * 2),
        ("{ users { nodes { id } } }", 1 + 1 + 50 * 1),
        ("{ users(first: 3) { edges { cursor node { id name } } } }", 2 + 3 * 4),
        (
            "{ users(first: 10) { nodes { friends(first: 5) { nodes { id } } } } }",
            1 + 1 + 10 * (1 + 1 + 5 * 1),
        ),
        ("{ people(first: 7) { id name } }", 1 + 7 * 2),
        ("{ people { id name } }", 1 + 50 * 2),
        ("{ people(first: 0) { id name } }", 1),
        ("{ people(first: -3) { id } }", 1),
        ("{ people(first: null) { id } }", 1 + 50),
        ("{ tags }", 1),
        # Aliases are fields of their own.
        ("{ a: people(first: 1) { id } b: people(first: 1) { x: id y: id } }", 5),
        # @skip and @include are ignored: the field counts anyway.
        ("{ people(first: 2) { id name @skip(if: true) } }", 1 + 2 * 2),
    ],
)
def test_cost_follows_the_documented_rules(query, expected):
    assert cost(query).value == expected


def test_first_is_read_from_a_variable_or_its_default():
    query = "query Q($n: Int) { people(first: $n) { id name } }"
    with_default = "query Q($n: Int = 2) { people(first: $n) { id name } }"

    assert cost(query, {"n": 4}).value == 1 + 4 * 2
    assert cost(query, {"n": 4.0}).value == 1 + 4 * 2
    assert cost(query).value == 1 + 50 * 2
    assert cost(query, {"n": None}).value == 1 + 50 * 2
    assert cost(query, {"n": "ten"}).value == 1 + 50 * 2
    assert cost(with_default).value == 1 + 2 * 2
    assert cost(with_default, {"n": 3}).value == 1 + 3 * 2


def test_fragments_named_and_inline_count_where_they_are_spread():
    named = (
        "{ users(first: 10) { ...Page } } "
        "fragment Page on UserConnection { totalCount nodes { ...Who } } "
        "fragment Who on Person { id name }"
    )
    inline = (
        "{ users(first: 10) { ... on UserConnection { "
        "totalCount nodes { id name } } } }"
    )
    # The same fragment under two pages: its per-item part takes each page.
    twice = (
        "{ a: users(first: 2) { ...Ids } b: users(first: 30) { ...Ids } } "
        "fragment Ids on UserConnection { nodes { id } }"
    )

    assert cost(named).value == 1 + 1 + 1 + 10 * 2
    assert cost(inline).value == 1 + 1 + 1 + 10 * 2
    assert cost(twice).value == (1 + 1 + 2) + (1 + 1 + 30)


def test_introspection_costs_nothing():
    query = "{ __typename __schema { types { name fields { name type { name } } } } }"

    assert cost(query).value == 0
    assert cost(f"{{ __typename {LIST} {{ __typename }} }}").value == 1


def test_fragments_spreading_each_other_are_counted_once_each():
    # 30 fragments, each spreading the next ten times: 10**29 ids, were every
    # spread walked; counted with memoization, it is 30 small steps.
    levels = 30
    fragments = [
        f"fragment F{level} on SmtpConfiguration {{ "
        + (" ".join([f"...F{level + 1}"] * 10) if level < levels - 1 else "id")
        + " }"
        for level in range(levels)
    ]
    query = f"{{ {LIST} {{ nodes {{ ...F0 }} }} }} " + " ".join(fragments)

    counted = cost(query)

    assert counted.value > MAX_COMPLEXITY
    assert not counted.exact


@pytest.mark.no_cover  # measured by the other tests: see conftest.py
def test_counting_stops_once_over_the_limit():
    query = "{ " + aliases(20_000, "people(first: 2) { id }") + " }"

    counted = cost(query)

    # 3 per alias, 60,000 in all: the count stops at the first sum over 50,000.
    assert counted.value == 50_001
    assert not counted.exact
    assert cost(query, limit=10).value == 12


# --- over HTTP -----------------------------------------------------------------


def nodes_query(fields: int, cheap_roots: int = 0) -> str:
    """`smtpConfigurations` with `fields` ids per item, plus roots costing 1."""
    roots = aliases(cheap_roots, f"{LIST} {{ __typename }}")
    return f"{{ {LIST} {{ nodes {{ {aliases(fields)} }} }} {roots} }}"


@pytest.mark.parametrize("compiled", [True, False])
async def test_a_query_over_the_limit_is_refused_naming_its_cost(client_for, compiled):
    # 1 + 1 + 50 x 1000 = 50,002.
    async with client_for(create_app(seed=1, compiled=compiled)) as client:
        response = await client.post("/graphql", json={"query": nodes_query(1000)})

    entry = single_error(response, 200, "MAX_COMPLEXITY_EXCEEDED")
    assert entry["message"] == (
        "Query is too complex: its complexity is 50002 and the maximum is 50000"
    )
    assert entry["locations"] == [{"line": 1, "column": 1}]
    assert entry["extensions"]["correlation_id"] == response.headers["x-correlation-id"]


async def test_a_query_under_the_limit_runs(client):
    # 1 + 1 + 50 x 999 = 49,952.
    response = await client.post("/graphql", json={"query": nodes_query(999)})

    assert response.status_code == 200
    assert response.json() == {"data": {"smtpConfigurations": {"nodes": []}}}


async def test_a_query_exactly_at_the_limit_runs_and_one_more_is_refused(client):
    # 49,952 + 48 roots of 1 = 50,000 exactly.
    at_limit = await client.post("/graphql", json={"query": nodes_query(999, 48)})
    over = await client.post("/graphql", json={"query": nodes_query(999, 49)})

    assert at_limit.status_code == 200
    assert "errors" not in at_limit.json()
    entry = single_error(over, 200, "MAX_COMPLEXITY_EXCEEDED")
    assert "its complexity is 50001 and the maximum is 50000" in entry["message"]


async def test_two_hundred_aliased_list_selections_reach_the_complexity_rule(client):
    # What a client may send: the mock's own limits (tokens, repeats) let it
    # through, and the documented rule refuses it: 200 x (1 + 1 + 50 x 5).
    fields = "nodes { id host port username defaultSmtp }"
    query = "{ " + aliases(200, f"{LIST} {{ {fields} }}") + " }"
    response = await client.post("/graphql", json={"query": query})

    entry = single_error(response, 200, "MAX_COMPLEXITY_EXCEEDED")
    # Counting stops once over the limit (50,400 in all).
    assert "its complexity is at least 50" in entry["message"]


async def test_complexity_is_checked_before_the_validation_rules(client):
    # Over the limit and invalid (`nope`): the cheap, documented rule answers.
    query = nodes_query(1000).replace("{ a0: id", "{ nope a0: id")
    response = await client.post("/graphql", json={"query": query})

    entry = single_error(response, 200, "MAX_COMPLEXITY_EXCEEDED")
    assert "its complexity is 50052 and" in entry["message"]


@pytest.fixture
def paged_app(tmp_path):
    path = tmp_path / "schema.graphql"
    path.write_text(PAGED_SDL)
    return create_app(path, seed=1)


async def test_a_variable_first_is_counted_on_each_request(paged_app, client_for):
    query = "query Q($n: Int) { people(first: $n) { id name } }"
    async with client_for(paged_app) as client:
        over = await client.post(
            "/graphql", json={"query": query, "variables": {"n": 25_000}}
        )
        under = await client.post(
            "/graphql", json={"query": query, "variables": {"n": 3}}
        )

    entry = single_error(over, 200, "MAX_COMPLEXITY_EXCEEDED")
    assert "its complexity is 50001 and" in entry["message"]
    assert under.status_code == 200
    assert "errors" not in under.json()


async def test_a_document_over_the_limit_whatever_its_variables_is_refused_early(
    paged_app, client_for
):
    # `people(first: $n)` counts at least 1; the other field alone is over.
    query = (
        "query Q($n: Int) { people(first: $n) { id } "
        "all: people(first: 30000) { id name } }"
    )
    async with client_for(paged_app) as client:
        response = await client.post(
            "/graphql", json={"query": query, "variables": {"n": 1}}
        )

    entry = single_error(response, 200, "MAX_COMPLEXITY_EXCEEDED")
    assert "its complexity is at least 60002 and" in entry["message"]


async def test_introspection_is_exempt_from_the_complexity_limit(client_for):
    app = create_app(seed=1, profile=replace(DEFAULT_PROFILE, max_complexity=1))
    query = "{ __schema { types { name fields { name args { name } } } } }"
    async with client_for(app) as client:
        response = await client.post("/graphql", json={"query": query})

    assert response.status_code == 200
    assert response.json()["data"]["__schema"]["types"]


# --- the limits come from the profile --------------------------------------------


async def test_the_profile_sets_the_complexity_limit(client_for):
    app = create_app(seed=1, profile=replace(DEFAULT_PROFILE, max_complexity=10))
    async with client_for(app) as client:
        refused = await client.post(
            "/graphql", json={"query": f"{{ {LIST} {{ nodes {{ id host }} }} }}"}
        )
        served = await client.post(
            "/graphql", json={"query": f"{{ {LIST} {{ nodes {{ __typename }} }} }}"}
        )

    entry = single_error(refused, 200, "MAX_COMPLEXITY_EXCEEDED")
    assert entry["message"] == (
        "Query is too complex: its complexity is 102 and the maximum is 10"
    )
    assert served.status_code == 200


async def test_a_profile_file_sets_both_limits(client_for, tmp_path):
    path = tmp_path / "profile.toml"
    path.write_text("[limits]\nmax_complexity = 10\nmax_depth = 2\n")
    app = create_app(seed=1, profile=load_profile(path))
    async with client_for(app) as client:
        deep = await client.post(
            "/graphql", json={"query": f"{{ {LIST} {{ nodes {{ id }} }} }}"}
        )

    single_error(deep, 200, "MAX_DEPTH_EXCEEDED")


async def test_an_explicit_max_depth_wins_over_the_profile(client_for):
    profile = replace(DEFAULT_PROFILE, max_depth=2)
    app = create_app(seed=1, profile=profile, max_depth=3)
    async with client_for(app) as client:
        response = await client.post(
            "/graphql", json={"query": f"{{ {LIST} {{ nodes {{ id }} }} }}"}
        )

    assert response.status_code == 200

"""The mock's own limits on one request (`mock_server.graphql.limits`, #28).

Outcomes only: that a hostile document is refused, and with which code.
How long the worker is busy is `bench/hostile.py`'s to measure, never a test's.
"""

from __future__ import annotations

import pytest
from graphql import GraphQLSyntaxError, get_introspection_query, parse

from contracts.documented import DOCUMENTED_OPERATION
from mock_server import ConfigurationError, create_app
from mock_server.graphql import RequestLimits
from mock_server.graphql.limits import count_tokens
from mock_server.graphql.shapes import mutation_fields
from tests.helpers import create, created, scenario_a, single_error, state

pytestmark = pytest.mark.anyio

LIST = 'smtpConfigurations(organizationId: "980700673")'
CREATE = (
    'createSmtpConfiguration(input: {host: "h", port: 25, organizationId: "o", '
    "defaultSmtp: false, ipRelayAuth: true}) { smtpConfiguration { id } }"
)


def each(count: int, template: str) -> str:
    return " ".join(template.replace("{i}", str(i)) for i in range(count))


def creates(count: int) -> str:
    return "mutation { " + each(count, f"c{{i}}: {CREATE}") + " }"


# --- the documents of issue #28, and more of the kind ----------------------------

ISSUE_DOCUMENTS = {
    "20,000 aliases of one field, different arguments": (
        "{ " + each(20_000, 'a: __type(name: "t{i}") { name }') + " }"
    ),
    "13,000 identical selections of one field": (
        f"{{ {LIST} {{ nodes {{ {' id' * 13_000} }} }} }}"
    ),
    "one field with 60,000 @skip(if: false)": (
        "{ __typename" + " @skip(if: false)" * 60_000 + " }"
    ),
    "2,000 aliased creates in one mutation": creates(2_000),
    "20,000 distinct introspection aliases": (
        "{ " + each(20_000, 'a{i}: __type(name: "t{i}") { name }') + " }"
    ),
    "1,000 fragments spread side by side": (
        "{ " + each(1_000, "...F{i}") + " } "
        + each(1_000, "fragment F{i} on Query { __typename }")
    ),
}  # fmt: skip


@pytest.mark.parametrize("query", ISSUE_DOCUMENTS.values(), ids=ISSUE_DOCUMENTS)
async def test_the_documents_of_the_issue_are_refused_by_the_token_limit(client, query):
    response = await client.post("/graphql", json={"query": query})

    entry = single_error(response, 200, "MAX_TOKENS_EXCEEDED")
    assert entry["message"] == (
        "The request's documents hold more than 4000 tokens, the mock's limit "
        "(start the mock with --limit tokens=N to change it)"
    )
    assert await state(client) == []


async def test_what_clients_send_passes(client):
    introspection = get_introspection_query(
        descriptions=True,
        specified_by_url=True,
        directive_is_repeatable=True,
        schema_description=True,
        input_value_deprecation=True,
    )
    large = scenario_a(senderName="N" * 255, password="p" * 255, username="u" * 255)

    schema = await client.post("/graphql", json={"query": introspection})
    sender = await create(client, large)

    assert schema.status_code == 200
    assert "errors" not in schema.json()
    assert created(sender)["senderName"] == "N" * 255


# --- tokens --------------------------------------------------------------------


def test_tokens_are_counted_as_the_parser_counts_them():
    query = "# a comment\n{ a: __typename b: __typename }"
    document = parse(query)

    assert count_tokens(document) == 9  # the comment is one
    parse(query, max_tokens=9)
    with pytest.raises(GraphQLSyntaxError, match="more than 8 tokens"):
        parse(query, max_tokens=8)


async def test_a_document_at_the_token_limit_runs_and_one_more_is_refused(client_for):
    app = create_app(limits=RequestLimits(tokens=9))
    async with client_for(app) as client:
        at_limit = await client.post(
            "/graphql", json={"query": "# c\n{ a: __typename b: __typename }"}
        )
        over = await client.post(
            "/graphql", json={"query": "# c\n{ a: __typename b: __typename c }"}
        )

    assert at_limit.json() == {"data": {"a": "Query", "b": "Query"}}
    single_error(over, 200, "MAX_TOKENS_EXCEEDED")


async def test_a_batch_shares_the_token_limit(client_for):
    app = create_app(limits=RequestLimits(tokens=12))
    query = "{ a: __typename b: __typename }"  # 8 tokens
    async with client_for(app) as client:
        batch = await client.post("/graphql", json=[{"query": query}] * 3)
        alone = await client.post("/graphql", json={"query": query})

    first, second, third = batch.json()
    assert first == {"data": {"a": "Query", "b": "Query"}}
    for refused in (second, third):
        assert refused["errors"][0]["extensions"]["code"] == "MAX_TOKENS_EXCEEDED"
    # The refusal was the batch's, not the document's: alone, it runs.
    assert alone.json() == first


# --- directives, repeats, spreads ------------------------------------------------


async def test_directives_on_one_location_are_bounded(client):
    ten = "{ __typename" + " @include(if: true)" * 10 + " }"
    eleven = "{ __typename" + " @include(if: true)" * 11 + " }"

    within = await client.post("/graphql", json={"query": ten})
    over = await client.post("/graphql", json={"query": eleven})

    # Ten pass the limit, and validation refuses the repeated directive.
    codes = {e["extensions"]["code"] for e in within.json()["errors"]}
    assert codes == {"GRAPHQL_VALIDATION_FAILED"}
    entry = single_error(over, 200, "MAX_DIRECTIVES_EXCEEDED")
    assert entry["message"].startswith("11 directives on one field, more than")
    assert entry["locations"] == [{"line": 1, "column": 3}]


async def test_a_field_selected_twenty_times_at_one_place_runs(client):
    query = "{ " + " ".join(["__typename"] * 20) + " }"

    response = await client.post("/graphql", json={"query": query})

    assert response.json() == {"data": {"__typename": "Query"}}


@pytest.mark.parametrize(
    ("query", "path"),
    [
        ("{ " + " ".join(["__typename"] * 21) + " }", "__typename"),
        # Inline fragments count with the selection set they sit in.
        ("{ " + " ".join(["... on Query { a: __typename }"] * 21) + " }", "a"),
        # Repeated parents merge their subselections: 3 x 7 = 21 `ofType`.
        (
            "{ "
            + " ".join(
                ['t: __type(name: "Query") { ' + "ofType { name } " * 7 + "}"] * 3
            )
            + " }",
            "t.ofType",
        ),
    ],
)
async def test_selections_answering_one_place_are_bounded(client, query, path):
    response = await client.post("/graphql", json={"query": query})

    entry = single_error(response, 200, "MAX_REPEATS_EXCEEDED")
    assert entry["message"].startswith(
        f"'{path}' is selected more than 20 times at one place of the result"
    )


def fragments(count: int) -> str:
    spreads = each(count, "...F{i}")
    return f"{{ {spreads} }} " + each(count, "fragment F{i} on Query { __typename }")


async def test_fragment_spreads_are_bounded_and_a_batch_shares_them(client):
    thirty = await client.post("/graphql", json={"query": fragments(30)})
    over = await client.post("/graphql", json={"query": fragments(31)})
    batch = await client.post(
        "/graphql", json=[{"query": fragments(20)}, {"query": fragments(15)}]
    )

    assert thirty.json() == {"data": {"__typename": "Query"}}
    single_error(over, 200, "MAX_SPREADS_EXCEEDED")
    first, second = batch.json()
    assert first == {"data": {"__typename": "Query"}}
    assert second["errors"][0]["extensions"]["code"] == "MAX_SPREADS_EXCEEDED"


# --- mutations -----------------------------------------------------------------


def test_mutation_fields_are_counted_through_fragments():
    document = parse(
        "mutation M { a: deleteSmtpConfiguration(input: {id: 1}) { success } "
        "...F ... on Mutation { __typename b: deleteSmtpConfiguration("
        "input: {id: 2}) { success } } } "
        "fragment F on Mutation { c: deleteSmtpConfiguration(input: {id: 3}) "
        "{ success } ...F } query Q { __typename }"
    )

    assert mutation_fields(document) == {"M": 3}


async def test_fifty_creates_run_and_one_more_is_refused(client):
    fifty = await client.post("/graphql", json={"query": creates(50)})
    over = await client.post("/graphql", json={"query": creates(51)})

    assert len(fifty.json()["data"]) == 50
    entry = single_error(over, 200, "MAX_MUTATIONS_EXCEEDED")
    assert entry["message"].startswith("The request runs more than 50 mutation")


async def test_a_batch_shares_the_mutation_limit(client):
    batch = await client.post(
        "/graphql", json=[{"query": creates(30)}, {"query": creates(30)}]
    )

    first, second = batch.json()
    assert len(first["data"]) == 30
    assert second["errors"][0]["extensions"]["code"] == "MAX_MUTATIONS_EXCEEDED"


# --- the limits as settings ------------------------------------------------------


def test_limits_are_read_from_name_value_settings():
    limits = RequestLimits.from_options(["tokens=20000", " mutations=5"])

    assert (limits.tokens, limits.mutations, limits.repeats) == (20_000, 5, 20)
    assert limits.options() == ("tokens=20000", "mutations=5")
    assert RequestLimits.from_options(limits.options()) == limits


@pytest.mark.parametrize(
    "option", ["tokens", "tokens=", "tokens=-1", "tokens=many", "lines=3"]
)
def test_a_bad_limit_setting_is_refused_naming_it(option):
    with pytest.raises(ConfigurationError, match=f"--limit '{option}'"):
        RequestLimits.from_options([option])


def test_a_limit_must_be_positive():
    with pytest.raises(ConfigurationError, match="--limit tokens=0"):
        RequestLimits(tokens=0)


async def test_the_documented_operation_is_far_within_every_limit(client_for):
    app = create_app(limits=RequestLimits(tokens=100, spreads=1, mutations=1))
    async with client_for(app) as client:
        response = await create(client, scenario_a())

    assert created(response)
    assert count_tokens(parse(DOCUMENTED_OPERATION)) < 100


async def test_fragments_nested_too_deeply_to_walk_are_refused_not_a_500(client_for):
    chain = " ".join(f"fragment F{i} on Query {{ ...F{i + 1} }}" for i in range(490))
    query = "{ ...F0 } " + chain + " fragment F490 on Query { __typename }"
    app = create_app(limits=RequestLimits(spreads=1_000))
    async with client_for(app) as client:
        response = await client.post("/graphql", json={"query": query})

    entry = single_error(response, 200, "GRAPHQL_VALIDATION_FAILED")
    assert entry["message"] == (
        "The document nests fragments or selections too deeply to be read"
    )


def operations(count: int) -> str:
    return each(count, "query Q{i} { __typename }")


async def test_operations_are_bounded_and_a_batch_shares_them(client):
    fifty = await client.post(
        "/graphql", json={"query": operations(50), "operationName": "Q49"}
    )
    over = await client.post(
        "/graphql", json={"query": operations(51), "operationName": "Q0"}
    )
    batch = await client.post(
        "/graphql",
        json=[{"query": operations(30), "operationName": "Q0"}] * 2,
    )

    assert fifty.json() == {"data": {"__typename": "Query"}}
    single_error(over, 200, "MAX_OPERATIONS_EXCEEDED")
    first, second = batch.json()
    assert first == {"data": {"__typename": "Query"}}
    assert second["errors"][0]["extensions"]["code"] == "MAX_OPERATIONS_EXCEEDED"

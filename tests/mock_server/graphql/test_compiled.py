"""Compiled plans give exactly graphql-core's results (differential tests).

Every test runs the same operation through `graphql.execute` and through a
compiled plan, each against its own store in the same starting state, and
requires the same data and the same errors (message, locations, path and the
exception behind each).
"""

from __future__ import annotations

import asyncio
import json
from typing import Any

import hypothesis_graphql
import pytest
from graphql import (
    DocumentNode,
    ExecutionResult,
    OperationDefinitionNode,
    OperationType,
    parse,
    print_ast,
)
from hypothesis import HealthCheck, event, given, settings, strategies as st

from contracts.documented import (
    DOCUMENTED_OPERATION,
    SCENARIO_A_VARIABLES,
    SCENARIO_B_VARIABLES,
)
from contracts.inputs.strategies import create_variables
from mock_server import create_app
from mock_server.domain.ids import IdFactory
from mock_server.graphql.context import MockContext
from mock_server.stores import MemoryStore
from tests.mock_server.graphql.differential import (
    MOCK_SCHEMA,
    SDL,
    compile_plan,
    outcome,
    reference,
)


def twin_context() -> MockContext:
    return MockContext(
        MemoryStore(),
        IdFactory(5, stream="records"),
        secrets=IdFactory(5, stream="secrets"),
    )


class Twins:
    """Two mocks in the same state: one executes with graphql-core, one compiled."""

    def __init__(self) -> None:
        self.reference = twin_context()
        self.subject = twin_context()

    async def run(
        self, document: DocumentNode, variables: dict[str, Any] | None = None
    ) -> ExecutionResult:
        plan = compile_plan(MOCK_SCHEMA, document)
        # Never compare graphql-core with itself: the plan must be the subject.
        assert plan is not None, f"no plan for {print_ast(document)}"
        expected = await reference(MOCK_SCHEMA, document, self.reference, variables)
        actual = await plan.execute(self.subject, variables)
        assert outcome(actual) == outcome(expected)
        return actual


def _compilable(document: DocumentNode) -> bool:
    """Whether a plan is made; if not, it must be for the one documented reason."""
    if compile_plan(MOCK_SCHEMA, document) is not None:
        return True
    # The only kind of generated document a plan leaves to graphql-core: a
    # query with several root fields (which graphql-core runs concurrently).
    [operation] = document.definitions
    assert isinstance(operation, OperationDefinitionNode)
    assert operation.operation is OperationType.QUERY, print_ast(document)
    assert len(operation.selection_set.selections) > 1, print_ast(document)
    return False


def _ast(document: DocumentNode) -> DocumentNode:
    return document


@settings(
    max_examples=150,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
@given(
    st.lists(
        hypothesis_graphql.from_schema(SDL, print_ast=_ast, allow_x00=False).filter(
            _compilable
        ),
        min_size=1,
        max_size=4,
    )
)
def test_generated_operations_give_the_same_results(documents: list[Any]) -> None:
    twins = Twins()

    async def scenario() -> None:
        for document in documents:
            await twins.run(document)

    asyncio.run(scenario())
    event(f"{len(documents)} compiled operations")


@settings(max_examples=60, deadline=None)
@given(st.lists(create_variables("980700673", st.emails()), min_size=1, max_size=3))
def test_documented_creates_give_the_same_results(variable_sets: list[Any]) -> None:
    twins = Twins()
    document = parse(DOCUMENTED_OPERATION)
    assert compile_plan(MOCK_SCHEMA, document) is not None

    async def scenario() -> None:
        for variables in [*variable_sets, variable_sets[0]]:  # the last one repeats
            await twins.run(document, variables)

    asyncio.run(scenario())


_JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(max_size=8),
    lambda inner: (
        st.lists(inner, max_size=3)
        | st.dictionaries(st.text(max_size=12), inner, max_size=4)
    ),
    max_leaves=12,
)
_FIELD_NAMES = st.sampled_from(
    [
        "senderName",
        "emailAddress",
        "smtpConfiguration",
        "host",
        "port",
        "organizationId",
        "ipRelayAuth",
        "username",
        "password",
        "clientMutationId",
    ]
)


def _mangled(variables: dict[str, Any]) -> st.SearchStrategy[dict[str, Any]]:
    """The variables with one value replaced by any JSON (mostly wrong types)."""

    @st.composite
    def mangle(draw: st.DrawFn) -> dict[str, Any]:
        copy: dict[str, Any] = json.loads(json.dumps(variables))
        target = draw(st.sampled_from([copy, copy["smtpConfiguration"]]))
        key = draw(_FIELD_NAMES)
        if draw(st.booleans()):
            target[key] = draw(_JSON)
        else:
            target.pop(key, None)
        return copy

    return mangle()


@settings(max_examples=150, deadline=None)
@given(st.data())
def test_wrong_variables_give_the_same_errors(data: st.DataObject) -> None:
    valid = data.draw(create_variables("980700673", st.emails()))
    variables = data.draw(_mangled(valid))
    document = parse(DOCUMENTED_OPERATION)
    asyncio.run(Twins().run(document, variables))


def test_a_valid_create_takes_the_fast_variable_path(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    import mock_server.graphql._compiler.plans as compiled

    def refuse(*_args: Any, **_kwargs: Any) -> Any:
        raise AssertionError("graphql-core's coercion was asked")

    monkeypatch.setattr(compiled, "get_variable_values", refuse)
    plan = compile_plan(MOCK_SCHEMA, parse(DOCUMENTED_OPERATION))
    assert plan is not None
    variables = {
        "senderName": "Ops",
        "emailAddress": "ops@acme.example",
        "smtpConfiguration": {
            "host": "relay.acme.internal",
            "port": 25,
            "organizationId": "1",
            "ipRelayAuth": True,
        },
    }
    context = MockContext(MemoryStore(), IdFactory(1))
    result = asyncio.run(plan.execute(context, variables))
    assert result.errors is None
    assert result.data is not None


@pytest.mark.parametrize(
    "query",
    [
        DOCUMENTED_OPERATION,
        'mutation { deleteSmtpCustomEmail(input: {id: "x"}) { success } }',
        "{ smtpCustomEmails(organizationId: 1) { __typename id ...F } }"
        " fragment F on SmtpCustomEmail { smtpConfiguration { port } }",
        "query Q($id: ID!) { one: smtpCustomEmail(id: $id) { id, senderName } }",
    ],
)
def test_the_mocks_own_operations_compile(query: str) -> None:
    assert compile_plan(MOCK_SCHEMA, parse(query)) is not None


@pytest.mark.parametrize(
    "query",
    [
        "{ __schema { queryType { name } } }",
        '{ smtpCustomEmail(id: "1") { id @include(if: true) } }',
        '{ a: smtpCustomEmail(id: "1") { id } b: smtpCustomEmail(id: "2") { id } }',
        "subscription { x }",
    ],
)
def test_what_only_graphql_core_reproduces_is_left_to_it(query: str) -> None:
    assert compile_plan(MOCK_SCHEMA, parse(query)) is None


@pytest.mark.no_cover  # measured by the other tests: see conftest.py
@pytest.mark.anyio
async def test_the_served_mock_answers_the_same_with_and_without_plans(client_for):
    """Over HTTP, error formatting and status codes included."""
    requests: list[dict[str, Any]] = [
        {"query": DOCUMENTED_OPERATION, "variables": SCENARIO_A_VARIABLES},
        {"query": DOCUMENTED_OPERATION, "variables": SCENARIO_A_VARIABLES},
        {"query": DOCUMENTED_OPERATION, "variables": SCENARIO_B_VARIABLES},
        {"query": DOCUMENTED_OPERATION, "variables": {"senderName": "x"}},
        {
            "query": DOCUMENTED_OPERATION,
            "variables": {**SCENARIO_B_VARIABLES, "emailAddress": 5},
        },
        {
            "query": "{ smtpConfigurations(organizationId: 980700673) "
            "{ nodes { id port defaultSmtp encryptedPassword __typename } } }"
        },
        # As Apollo Client sends it: __typename added to every selection set.
        {"query": APOLLO_SHAPED, "variables": {"input": {**RELAY_INPUT}}},
        {"query": APOLLO_SHAPED, "variables": {"input": {**RELAY_INPUT}}},
    ]
    bodies = []
    for compiled in (True, False):
        async with client_for(create_app(seed=7, compiled=compiled)) as client:
            responses = [await client.post("/graphql", json=r) for r in requests]
        bodies.append([(r.status_code, r.json()) for r in responses])
    assert bodies[0] == bodies[1]
    statuses = [status for status, _ in bodies[0]]
    # The two variable errors are request errors: 200 in application/json.
    assert statuses == [200] * 8
    assert "data" not in bodies[0][3][1]
    assert "data" not in bodies[0][4][1]
    created = bodies[0][6][1]["data"]["createSmtpCustomEmailWithConfiguration"]
    assert created["__typename"] == "CreateSmtpCustomEmailWithConfigurationPayload"
    assert created["smtpCustomEmail"]["smtpConfiguration"]["__typename"] == (
        "SmtpConfiguration"
    )
    assert bodies[0][7][1]["errors"][0]["extensions"]["code"] == "RECORD_INVALID"


APOLLO_SHAPED = """
mutation Create($input: CreateSmtpCustomEmailWithConfigurationInput!) {
  createSmtpCustomEmailWithConfiguration(input: $input) {
    clientMutationId
    smtpCustomEmail {
      id
      emailAddress
      smtpConfiguration { id port ipRelayAuth __typename }
      __typename
    }
    __typename
  }
}
"""
RELAY_INPUT = {
    "clientMutationId": "apollo-1",
    "senderName": "Apollo",
    "emailAddress": "apollo@acme.example",
    "smtpConfiguration": {
        "host": "relay.acme.internal",
        "port": 2525,
        "organizationId": "42",
        "ipRelayAuth": True,
    },
}

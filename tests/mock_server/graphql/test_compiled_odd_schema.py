"""Compiled plans against a schema whose resolvers misbehave in every way
graphql-core handles, and arguments built in every way it builds them.
"""

from __future__ import annotations

import asyncio
from inspect import isawaitable
from typing import Any

import pytest
from graphql import (
    ExecutionResult,
    GraphQLObjectType,
    GraphQLSchema,
    build_schema,
    execute,
    parse,
    validate,
)

from tests.mock_server.graphql.differential import compile_plan, outcome, reference

# A schema whose resolvers misbehave in every way graphql-core handles.
ODD_SDL = """
type Query { root: Thing, strict: Thing!, things: [Thing], strictThings: [Thing!]! }
type Mutation { first: Thing, second: Thing!, third: Int }
type Thing {
  name: String
  strictName: String!
  count: Int
  flag: Boolean!
  child: Thing
  strictChild: Thing!
  names: [String]
  strictNames: [String!]
  nested: [[Int!]]
  echo(word: String = "hi", times: Int): String
  describe(options: Options!, extra: [Options] = [{size: 1}]): String
  maybe(options: Options): String
}
input Options { size: Int!, label: String = "none", tags: [String!], inner: Options }
"""


def _odd_schema() -> tuple[GraphQLSchema, tuple[Any, ...]]:
    schema = build_schema(ODD_SDL)

    def field(name: str) -> Any:
        def resolve(parent: Any, info: Any, **args: Any) -> Any:
            if name in ("echo", "describe", "maybe"):
                return repr(sorted(args.items()))
            value = parent.get(name) if isinstance(parent, dict) else None
            if isinstance(value, BaseException):
                raise value
            return value

        return resolve

    resolvers = []
    thing_type = schema.type_map["Thing"]
    assert isinstance(thing_type, GraphQLObjectType)
    for name, definition in thing_type.fields.items():
        definition.resolve = field(name)
        resolvers.append(definition.resolve)

    def thing(depth: int = 0) -> dict[str, Any]:
        child = thing(depth + 1) if depth < 2 else None
        return {
            "name": "n" if depth == 1 else 7 if depth == 2 else None,
            "strictName": None if depth == 2 else f"s{depth}",
            "count": "not a number" if depth == 1 else 3,
            "flag": 1 if depth == 1 else True,
            "child": child,
            "strictChild": child,
            "names": ["a", None, ValueError("item broke")],
            "strictNames": ["a", None],
            "nested": [[1, 2], None, [3, None]],
        }

    async def root(_parent: Any, _info: Any) -> Any:
        return thing()

    async def broken(_parent: Any, _info: Any) -> Any:
        raise RuntimeError("resolver broke")

    async def many(_parent: Any, _info: Any) -> Any:
        return [thing(), None, thing(1)]

    query = schema.query_type
    mutation = schema.mutation_type
    assert query is not None
    assert mutation is not None
    query.fields["root"].resolve = root
    query.fields["strict"].resolve = broken
    query.fields["things"].resolve = many
    query.fields["strictThings"].resolve = many
    mutation.fields["first"].resolve = root
    mutation.fields["second"].resolve = broken
    mutation.fields["third"].resolve = lambda _p, _i: "3"
    return schema, tuple(resolvers)


ODD_SCHEMA, ODD_RESOLVERS = _odd_schema()
SELECTIONS = [
    "name strictName count flag",
    "child { name count child { strictName } }",
    "strictChild { strictChild { strictName } }",
    "names strictNames nested",
    'echo yo: echo(word: "yo", times: 2) e: echo(times: 3)',
    "__typename alias: name child { __typename }",
    "...F child { ...F }",
]


@pytest.mark.parametrize("selection", SELECTIONS)
@pytest.mark.parametrize(
    "root", ["root", "strict", "things", "strictThings", "mutation"]
)
# The plan may read dicts directly: these resolvers do nothing else with them.
@pytest.mark.parametrize("readers", [(), ODD_RESOLVERS], ids=["resolve", "read"])
def test_misbehaving_resolvers_give_the_same_errors(
    root: str, selection: str, readers: tuple[Any, ...]
) -> None:
    if root == "mutation":
        query = f"mutation {{ first {{ {selection} }} second {{ name }} third }}"
    else:
        query = f"{{ {root} {{ {selection} }} }}"
    if "...F" in selection:
        query += " fragment F on Thing { name count }"
    document = parse(query)
    assert not validate(ODD_SCHEMA, document)
    plan = compile_plan(ODD_SCHEMA, document, sync=ODD_RESOLVERS, readers=readers)
    assert plan is not None

    async def both() -> tuple[ExecutionResult, ExecutionResult]:
        return await reference(ODD_SCHEMA, document, None), await plan.execute(
            None, None
        )

    expected, actual = asyncio.run(both())
    assert outcome(actual) == outcome(expected)


ARGUMENT_CASES = [
    ("query($w: String, $t: Int) { root { echo(word: $w, times: $t) } }", {}),
    ("query($w: String, $t: Int) { root { echo(word: $w, times: $t) } }", {"w": None}),
    ("query($w: String, $t: Int) { root { echo(word: $w, times: $t) } }", {"t": 2}),
    ('query($w: String = "d") { root { echo(word: $w) } }', {}),
    ("{ root { echo(word: null, times: 3) } }", None),
    ("query($s: Int!) { root { describe(options: {size: $s}) } }", {"s": 4}),
    ("query($s: Int = 5) { root { describe(options: {size: $s}) } }", {}),
    ("query($s: Int = 5) { root { describe(options: {size: $s}) } }", {"s": None}),
    (
        "query($l: String, $t: [String!]) "
        "{ root { describe(options: {size: 1, label: $l, tags: $t}) } }",
        {"t": ["a", "b"]},
    ),
    (
        "query($l: String) { root { describe(options: {size: 1, label: $l}) } }",
        {"l": None},
    ),
    (
        "query($o: Options!) { root { describe(options: $o, extra: [$o, null]) } }",
        {"o": {"size": 2, "inner": {"size": 3}}},
    ),
    (
        "query($i: Options) { root { describe(options: {size: 1, inner: $i}) } }",
        {"i": {"size": 9, "tags": "single"}},
    ),
    ('{ root { describe(options: {size: 1, tags: "one", inner: {size: 2}}) } }', None),
    ("query($o: Options!) { root { describe(options: $o, extra: null) } }", {"o": {}}),
    ("query($o: Options) { root { maybe(options: $o) } }", {}),
    ("query($o: Options) { root { maybe(options: $o) } }", {"o": None}),
    ("query($o: Options) { root { maybe(options: $o) } }", {"o": {"size": 1}}),
]


@pytest.mark.parametrize(("query", "variables"), ARGUMENT_CASES)
def test_arguments_are_built_as_graphql_core_builds_them(
    query: str, variables: dict[str, Any] | None
) -> None:
    document = parse(query)
    assert not validate(ODD_SCHEMA, document)
    plan = compile_plan(ODD_SCHEMA, document, sync=ODD_RESOLVERS, readers=())
    assert plan is not None

    async def both() -> tuple[ExecutionResult, ExecutionResult]:
        expected = execute(ODD_SCHEMA, document, variable_values=variables)
        if isawaitable(expected):
            expected = await expected
        return expected, await plan.execute(None, variables)

    expected, actual = asyncio.run(both())
    assert outcome(actual) == outcome(expected)

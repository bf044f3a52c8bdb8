"""What the differential tests of compiled plans share: the mock's schema, a
plan maker and graphql-core's reference execution.
"""

from __future__ import annotations

import json
from inspect import isawaitable
from typing import Any

from ariadne import make_executable_schema
from graphql import (
    DocumentNode,
    ExecutionResult,
    GraphQLSchema,
    OperationDefinitionNode,
    execute,
)

from mock_server.graphql._compiler.plans import CompiledOperation, compile_operation
from mock_server.graphql.automock import AutoMocker
from mock_server.graphql.resolvers import bindables
from mock_server.graphql.sdl import (
    default_schema_path,
    load_schema_sdl,
    mock_operations_path,
)

# With the mock-only operations: they exercise lists and nullable objects.
SDL, _PLAIN = load_schema_sdl(
    default_schema_path(), extensions=(mock_operations_path(),)
)
MOCK_SCHEMA = make_executable_schema(SDL, *bindables(_PLAIN))
MOCKER = AutoMocker(seed=11)
MOCKER.install(MOCK_SCHEMA)


def compile_plan(
    schema: GraphQLSchema, document: DocumentNode, **resolvers: Any
) -> CompiledOperation | None:
    operation = next(
        d for d in document.definitions if isinstance(d, OperationDefinitionNode)
    )
    return compile_operation(
        schema,
        document,
        operation,
        sync_resolvers=resolvers.get("sync", (MOCKER.resolve,)),
        dict_readers=resolvers.get("readers", (MOCKER.resolve,)),
    )


def outcome(result: ExecutionResult) -> tuple[Any, list[Any]]:
    errors = [
        (e.message, e.locations, e.path, type(e.original_error))
        for e in result.errors or ()
    ]
    # As JSON: key order counts, and True must not pass for 1.
    return json.dumps(result.data), errors


async def reference(
    schema: GraphQLSchema,
    document: DocumentNode,
    context: object,
    variables: dict[str, Any] | None = None,
) -> ExecutionResult:
    result = execute(schema, document, context_value=context, variable_values=variables)
    return await result if isawaitable(result) else result

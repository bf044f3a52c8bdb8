"""GraphQL: the SDL, resolvers, automock and the executor (`_compiler` is private)."""

from __future__ import annotations

from mock_server.graphql.automock import AutoMocker
from mock_server.graphql.complexity import (
    MAX_COMPLEXITY,
    Complexity,
    operation_complexity,
)
from mock_server.graphql.context import MockContext
from mock_server.graphql.depth import MAX_DEPTH, depth_limit_rule
from mock_server.graphql.error_format import (
    UNAVAILABLE_CODE,
    UNAVAILABLE_MESSAGE,
    format_errors,
)
from mock_server.graphql.example import example_operation
from mock_server.graphql.executor import Executor, Failure, GraphQLResult
from mock_server.graphql.limits import RequestLimits
from mock_server.graphql.resolvers import DELETE_MUTATION, bindables
from mock_server.graphql.sdl import (
    CREATE_MUTATION,
    default_schema_path,
    load_schema_sdl,
)

__all__ = [
    "CREATE_MUTATION",
    "DELETE_MUTATION",
    "MAX_COMPLEXITY",
    "MAX_DEPTH",
    "UNAVAILABLE_CODE",
    "UNAVAILABLE_MESSAGE",
    "AutoMocker",
    "Complexity",
    "Executor",
    "Failure",
    "GraphQLResult",
    "MockContext",
    "RequestLimits",
    "bindables",
    "default_schema_path",
    "depth_limit_rule",
    "example_operation",
    "format_errors",
    "load_schema_sdl",
    "operation_complexity",
]

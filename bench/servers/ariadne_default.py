"""The same schema and resolvers behind Ariadne's default ASGI app, no caching:
what a user would write first."""

from __future__ import annotations

from typing import Any

from ariadne import make_executable_schema
from ariadne.asgi import GraphQL

from mock_server.domain.ids import IdFactory
from mock_server.graphql.context import MockContext
from mock_server.graphql.resolvers import bindables
from mock_server.graphql.sdl import default_schema_path, load_schema_sdl
from mock_server.stores import MemoryStore


def create_app() -> Any:
    sdl, plain = load_schema_sdl(default_schema_path())
    schema = make_executable_schema(sdl, *bindables(plain))
    context = MockContext(store=MemoryStore(), ids=IdFactory())
    return GraphQL(schema, context_value=context)

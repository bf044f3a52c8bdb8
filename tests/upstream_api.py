"""A second, independent GraphQL API for `serve --upstream` tests.

Plain graphql-core behind Starlette (no Ariadne, nothing of mock_server), with
root fields the mock does not have, a type it shares with the mock, an error
at a nested path, and a record of the last request it got. Served by a real
uvicorn on a free loopback port, in a thread.
"""

from __future__ import annotations

import asyncio
import contextlib
import socket
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

import uvicorn
from graphql import GraphQLError, build_schema, graphql
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, PlainTextResponse, Response
from starlette.routing import Route

UPSTREAM_SDL = """
type Query {
  organization(id: ID!): Organization
  me: User!
  slow: String
}

type Mutation {
  renameOrganization(id: ID!, name: String!): Organization
}

type Organization {
  id: ID!
  name: String!
  members(first: Int = 2): [User!]!
  "Fails for every member: an error at a nested path."
  auditLog: [String!]
}

type User {
  id: ID!
  email: String!
}

"Shared with the mock: the upstream has one more field."
type SmtpCustomEmail {
  id: ID!
  archived: Boolean
}
"""


@dataclass
class Seen:
    """What the upstream received, for the tests to inspect."""

    requests: list[dict[str, Any]] = field(default_factory=list)
    headers: list[dict[str, str]] = field(default_factory=list)


def _organization(_root: Any, _info: Any, id: str) -> dict[str, Any] | None:
    if id == "missing":
        return None
    return {"id": id, "name": f"Org {id}"}


def _members(organization: dict[str, Any], _info: Any, first: int) -> list[Any]:
    return [
        {"id": f"{organization['id']}-u{i}", "email": f"u{i}@example.com"}
        for i in range(first)
    ]


def _audit_log(_organization: Any, _info: Any) -> list[str]:
    raise GraphQLError("audit log is restricted", extensions={"code": "FORBIDDEN"})


async def _slow(_root: Any, _info: Any) -> str:
    await asyncio.sleep(2.0)
    return "late"


def make_upstream_app(
    sdl: str = UPSTREAM_SDL, *, mode: str = "graphql", seen: Seen | None = None
) -> Starlette:
    """The upstream app.

    Args:
        sdl: Its schema.
        mode: `graphql` answers GraphQL; `html` answers every POST but
            introspection with an HTML page (a proxy's error page).
        seen: Collects each request's body and headers.
    """
    schema = build_schema(sdl)
    query = schema.query_type
    assert query is not None
    query.fields["organization"].resolve = _organization
    if "slow" in query.fields:
        query.fields["slow"].resolve = _slow
    query.fields["me"].resolve = lambda *_: {"id": "me", "email": "me@example.com"}
    organization = schema.get_type("Organization")
    organization.fields["members"].resolve = _members  # type: ignore[union-attr]
    organization.fields["auditLog"].resolve = _audit_log  # type: ignore[union-attr]
    mutation = schema.mutation_type
    if mutation is not None:
        mutation.fields["renameOrganization"].resolve = lambda _r, _i, id, name: {
            "id": id,
            "name": name,
        }
    record = seen or Seen()

    async def endpoint(request: Request) -> Response:
        body = await request.json()
        record.requests.append(body)
        record.headers.append(dict(request.headers))
        if mode == "html" and "__schema" not in body["query"]:
            return PlainTextResponse("<html>Bad gateway</html>", status_code=502)
        result = await graphql(
            schema,
            body["query"],
            variable_values=body.get("variables"),
            operation_name=body.get("operationName"),
        )
        return JSONResponse(result.formatted)

    return Starlette(routes=[Route("/graphql", endpoint, methods=["POST"])])


@dataclass
class RunningUpstream:
    """A served upstream: its URL and what it saw."""

    url: str
    seen: Seen


@contextlib.contextmanager
def serve_upstream(
    sdl: str = UPSTREAM_SDL, *, mode: str = "graphql"
) -> Iterator[RunningUpstream]:
    """Serve the upstream on a free loopback port until the block ends."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = int(probe.getsockname()[1])
    seen = Seen()
    config = uvicorn.Config(
        make_upstream_app(sdl, mode=mode, seen=seen),
        host="127.0.0.1",
        port=port,
        log_level="warning",
        lifespan="off",
    )
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 10
    while not server.started:
        if time.monotonic() > deadline or not thread.is_alive():
            raise RuntimeError("the upstream test server did not start")
        time.sleep(0.02)
    try:
        yield RunningUpstream(f"http://127.0.0.1:{port}/graphql", seen)
    finally:
        server.should_exit = True
        thread.join(timeout=10)

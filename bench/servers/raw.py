"""The stack's ceiling: Starlette parsing the same JSON and applying the same
create logic through the same store, with no GraphQL at all."""

from __future__ import annotations

import json
from typing import Any

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from mock_server.domain.ids import IdFactory
from mock_server.domain.senders import build_sender
from mock_server.errors import DomainError
from mock_server.graphql.resolvers import draft_from_input, sender_to_graphql
from mock_server.stores import MemoryStore

FIELD = "createSmtpCustomEmailWithConfiguration"


def create_app() -> Starlette:
    store = MemoryStore()
    ids = IdFactory()

    async def graphql(request: Request) -> Response:
        payload: dict[str, Any] = json.loads(await request.body())
        variables = payload.get("variables") or {}
        try:
            sender = build_sender(draft_from_input(variables), ids)
            await store.add(sender)
        except DomainError as exc:
            body: dict[str, Any] = {
                "data": {FIELD: None},
                "errors": [{"message": p.message} for p in exc.problems],
            }
        else:
            body = {"data": {FIELD: {"smtpCustomEmail": sender_to_graphql(sender)}}}
        return Response(json.dumps(body), media_type="application/json")

    return Starlette(routes=[Route("/graphql", graphql, methods=["POST"])])

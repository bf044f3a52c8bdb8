"""The ASGI wrapper that applies a mutant's request and response rewrites."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

import orjson
from starlette.responses import PlainTextResponse

from mock_server.web import read_or_forward, replaying

if TYPE_CHECKING:
    from starlette.types import ASGIApp, Message, Receive, Scope, Send

    from contracts.selftest.mutants.catalogue import Mutant, Variables
    from mock_server.stores import Store


class MutantMiddleware:
    """Wraps a mock app and applies a mutant's rewrites to every POST.

    It sits outside the app (and so outside its authentication): it needs
    nothing from the mock but its ASGI interface and its store.

    Args:
        app: The mock.
        mutant: The deviation to apply.
        store: The store of the mock's default session, for rewrites that write.
    """

    def __init__(self, app: ASGIApp, mutant: Mutant, store: Store) -> None:
        self._app = app
        self._mutant = mutant
        self._store = store
        factory = mutant.rewrite_response
        self._rewrite_response = factory() if factory is not None else None

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        """Run the app with the rewrites applied."""
        if scope["type"] != "http" or scope["method"] != "POST":
            await self._app(scope, receive, send)
            return
        body = await read_or_forward(self._app, scope, receive, send)
        if body is None:  # too large to rewrite: the mock answered it (413)
            return
        request = _json_or_none(body)
        crash = self._mutant.crash_when
        crash_on_body = self._mutant.crash_on_body
        if (crash is not None and crash(request)) or (
            crash_on_body is not None and crash_on_body(body)
        ):
            response = PlainTextResponse("Internal Server Error", 500)
            await response(scope, receive, send)
            return
        variables = request.get("variables") if isinstance(request, dict) else None
        variables = variables if isinstance(variables, dict) else {}
        if self._mutant.rewrite_variables is not None and isinstance(request, dict):
            request["variables"] = variables = self._mutant.rewrite_variables(variables)
            body = json.dumps(request).encode()
        replay = replaying(body, receive)
        if self._rewrite_response is None:
            await self._app(scope, replay, send)
            return
        await self._rewrite(scope, replay, send, variables)

    async def _rewrite(
        self, scope: Scope, receive: Receive, send: Send, variables: Variables
    ) -> None:
        assert self._rewrite_response is not None
        start: Message = {}
        chunks: list[bytes] = []

        async def capture(message: Message) -> None:
            if message["type"] == "http.response.start":
                start.update(message)
            else:
                chunks.append(message.get("body", b""))

        await self._app(scope, receive, capture)
        status, body = await self._rewrite_response(
            variables, start["status"], _json_or_none(b"".join(chunks)), self._store
        )
        content = json.dumps(body).encode()
        headers = [
            (name, value)
            for name, value in start.get("headers", [])
            if name.lower() != b"content-length"
        ]
        headers.append((b"content-length", str(len(content)).encode()))
        await send(
            {"type": "http.response.start", "status": status, "headers": headers}
        )
        await send({"type": "http.response.body", "body": content})


def _json_or_none(raw: bytes) -> Any:
    try:
        return orjson.loads(raw)
    except ValueError:
        return None

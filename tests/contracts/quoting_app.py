"""The mock with graphql-js's habit: a request-level error quotes the variables.

An ASGI wrapper around `mock_server.create_app` (its public API only): every
HTTP 400 answer to a request with a password gets the request's variables
appended to its first error message, as graphql-js's coercion message quotes
the variable's value. For the `secrets.password-in-request-errors` tests.
"""

from __future__ import annotations

import json
from dataclasses import replace
from typing import Any

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from mock_server import create_app
from mock_server.domain.profile import DEFAULT_PROFILE


class QuoteVariablesOn400:
    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        chunks: list[bytes] = []

        async def remember() -> Message:
            message = await receive()
            chunks.append(message.get("body", b""))
            return message

        held: list[Message] = []

        async def rewrite(message: Message) -> None:
            held.append(message)
            if message["type"] != "http.response.body" or message.get("more_body"):
                return
            start, *bodies = held
            body = b"".join(part.get("body", b"") for part in bodies)
            if start["status"] == 400:
                body = _quoted(body, b"".join(chunks))
                start = {
                    **start,
                    "headers": [
                        (name, str(len(body)).encode() if name == b"content-length"
                         else value)
                        for name, value in start["headers"]
                    ],
                }  # fmt: skip
            await send(start)
            await send({"type": "http.response.body", "body": body})

        await self.app(scope, remember, rewrite)


def _quoted(answer: bytes, request: bytes) -> bytes:
    try:
        sent: Any = json.loads(request)
        body = json.loads(answer)
        body["errors"][0]["message"] += (
            f"; got invalid value {json.dumps(sent['variables'])}"
        )
    except (ValueError, KeyError, IndexError, TypeError, RecursionError):
        return answer
    return json.dumps(body).encode()


def create_quoting_app() -> ASGIApp:
    """The faithful mock whose 400s quote the submitted variables.

    Its request errors are 400s, as Apollo Server's (the profile's choice).
    """
    profile = replace(DEFAULT_PROFILE, request_error_status=400)
    return QuoteVariablesOn400(create_app(profile=profile))

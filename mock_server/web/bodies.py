"""The one reader of request bodies, bounded.

The endpoint, the admin API and every middleware read through it, so no
component ever buffers more than `MAX_BODY_BYTES` of a body, whatever order
they run in.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from starlette.requests import ClientDisconnect

from mock_server.web._asgi import request_header

if TYPE_CHECKING:
    from starlette.types import ASGIApp, Message, Receive, Scope, Send

MAX_BODY_BYTES = 1024 * 1024
"""Largest accepted request body (1 MiB); larger ones get 413."""


class BodyTooLarge(Exception):
    """The request body is over the limit; reading stopped there.

    Attributes:
        limit: The limit that was passed, in bytes.
    """

    def __init__(self, limit: int, read: list[bytes]) -> None:
        super().__init__(f"Request body is larger than {limit} bytes")
        self.limit = limit
        self._read = read

    def replay(self, receive: Receive) -> Receive:
        """A `receive` that hands on what was read, then the rest of the body.

        A middleware that gave up on a large body passes the request on this
        way; the endpoint then hits the same limit and answers 413 itself.
        """
        return _replaying(self._read, receive, more_body=True)


async def read_body(
    scope: Scope, receive: Receive, *, limit: int = MAX_BODY_BYTES
) -> bytes:
    """Read a request body, stopping as soon as it passes `limit` bytes.

    Raises:
        BodyTooLarge: the declared (`Content-Length`) or the actual size is
            over the limit; at most `limit` bytes and one chunk were read.
        ClientDisconnect: the client went away before the body ended.
    """
    declared = request_header(scope, b"content-length")
    if declared is not None and declared.isdigit() and int(declared) > limit:
        raise BodyTooLarge(limit, [])
    chunks: list[bytes] = []
    size = 0
    while True:
        message = await receive()
        if message["type"] == "http.disconnect":
            raise ClientDisconnect
        chunk = message.get("body", b"")
        size += len(chunk)
        chunks.append(chunk)
        if size > limit:
            raise BodyTooLarge(limit, chunks)
        if not message.get("more_body", False):
            return b"".join(chunks)


async def read_or_forward(
    app: ASGIApp, scope: Scope, receive: Receive, send: Send
) -> bytes | None:
    """Read the body for a middleware that must see it before `app` does.

    A body over the limit is no middleware's to judge: the request goes on to
    `app` as it came (the endpoint then answers 413), and None is returned.
    Otherwise the body is returned; hand it on with `replaying`.

    Raises:
        ClientDisconnect: the client went away before the body ended.
    """
    try:
        return await read_body(scope, receive)
    except BodyTooLarge as exc:
        await app(scope, exc.replay(receive), send)
        return None


def replaying(body: bytes, receive: Receive) -> Receive:
    """A `receive` that hands the (already read) body to the app once more."""
    return _replaying([body], receive, more_body=False)


def _replaying(chunks: list[bytes], receive: Receive, *, more_body: bool) -> Receive:
    pending = list(chunks)

    async def replay() -> Message:
        if not pending:
            return await receive()
        chunk = pending.pop(0)
        more = more_body or bool(pending)
        return {"type": "http.request", "body": chunk, "more_body": more}

    return replay

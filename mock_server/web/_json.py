"""JSON in and out of HTTP: strict decoding of untrusted input, fast encoding."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import orjson
from starlette.responses import JSONResponse as _StarletteJSONResponse

if TYPE_CHECKING:
    from starlette.types import Send

    from mock_server.web._asgi import RawHeaders


def loads(raw: str | bytes) -> Any:
    """Decode untrusted JSON; every failure is a ValueError, never a crash.

    Strict RFC 8259: no NaN or Infinity, no unpaired surrogate escapes (a
    string holding one could not be encoded back into a response), valid
    UTF-8, at most 1,024 levels of nesting.

    Raises:
        ValueError: the text is not such JSON.
    """
    return orjson.loads(raw)


class JSONResponse(_StarletteJSONResponse):
    """Starlette's JSON response, rendered by orjson (compact, UTF-8)."""

    def render(self, content: Any) -> bytes:
        """Encode the body."""
        return orjson.dumps(content)


def error_response(
    status: int, code: str, message: str, headers: dict[str, str] | None = None
) -> JSONResponse:
    """A refusal before GraphQL runs, in the GraphQL error shape (no `data`)."""
    return JSONResponse(
        {"errors": [{"message": message, "extensions": {"code": code}}]},
        status,
        headers=headers,
    )


async def send_json(
    send: Send,
    status: int,
    content: Any,
    media_type: str,
    headers: RawHeaders,
    *more: tuple[bytes, bytes],
) -> None:
    """Send `content` as a whole response, as a `JSONResponse` would.

    Its bytes are encoded once, straight into the two ASGI messages: the
    headers are `headers`, `Content-Length`, `Content-Type`, then `more`
    (the order a `JSONResponse` given `headers` and then `more` sends).
    """
    body = orjson.dumps(content)
    await send(
        {
            "type": "http.response.start",
            "status": status,
            "headers": [
                *headers,
                (b"content-length", b"%d" % len(body)),
                (b"content-type", media_type.encode("latin-1")),
                *more,
            ],
        }
    )
    await send({"type": "http.response.body", "body": body})

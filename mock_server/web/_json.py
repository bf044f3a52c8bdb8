"""JSON in and out of HTTP: strict decoding of untrusted input, fast encoding."""

from __future__ import annotations

from typing import Any

import orjson
from starlette.responses import JSONResponse as _StarletteJSONResponse


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

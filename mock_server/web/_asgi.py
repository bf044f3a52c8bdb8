"""Small ASGI helpers for middleware: request headers."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from starlette.types import Scope


def request_header(scope: Scope, name: bytes) -> str | None:
    """The first value of request header `name` (lower case), if sent."""
    for key, value in scope["headers"]:
        if key == name:
            return str(value.decode("latin-1"))
    return None

"""Small ASGI helpers: request headers read without building a `Headers`."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from collections.abc import Collection, Mapping

    from starlette.types import Scope

RawHeaders = list[tuple[bytes, bytes]]
"""Headers as ASGI messages carry them: lower-case names, latin-1 bytes."""


def request_header(scope: Scope, name: bytes) -> str | None:
    """The first value of request header `name` (lower case), if sent."""
    for key, value in scope["headers"]:
        if key == name:
            return str(value.decode("latin-1"))
    return None


def request_headers(scope: Scope, names: Collection[bytes]) -> dict[bytes, str]:
    """The first value of each request header of `names` (lower case) sent.

    One pass over the headers, where `request_header` takes one per name.
    """
    found: dict[bytes, str] = {}
    for key, value in scope["headers"]:
        if key in names and key not in found:
            found[key] = value.decode("latin-1")
    return found


def encode_headers(headers: Mapping[str, str]) -> RawHeaders:
    """Response headers in ASGI's form, as Starlette's responses encode them."""
    return [
        (name.lower().encode("latin-1"), value.encode("latin-1"))
        for name, value in headers.items()
    ]

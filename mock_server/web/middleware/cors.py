"""CORS for a local mock: local origins by default, the admin API never for strangers.

Any website the developer visits could otherwise call the mock from their
browser: read GraphQL answers, seed or reset its state (issue #20). Local dev
servers (`http(s)://localhost`, `127.0.0.1`, `[::1]`, any port) keep working
without configuration; other origins must be named with `--cors-origin`.
`--cors-origin '*'` opens `/graphql` to every origin, as the mock used to,
but never the admin API: an origin reaches that only when it is local or
named.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from starlette.middleware.cors import CORSMiddleware

from mock_server.errors import ConfigurationError
from mock_server.web._asgi import request_header
from mock_server.web._json import error_response
from mock_server.web.middleware.hosts import LOCAL_HOSTS, url_form

if TYPE_CHECKING:
    from starlette.types import ASGIApp, Receive, Scope, Send

ANY_ORIGIN = "*"
ORIGIN_OPTION = "--cors-origin"
ORIGIN_ENVVAR = "SMTP_MOCK_CORS_ORIGIN"
FORBIDDEN_ORIGIN_CODE = "FORBIDDEN_ORIGIN"

_LOCAL_ORIGIN = re.compile(
    r"https?://(?:"
    + "|".join(re.escape(url_form(host)) for host in LOCAL_HOSTS)
    + r")(?::[0-9]{1,5})?"
)
# What a browser sends in `Origin`: scheme://host[:port], no path, no slash,
# or "null" (a file:// page or a sandboxed frame).
_ORIGIN = re.compile(r"null|[a-z][a-z0-9+.-]*://[^/\s]+")


def is_local_origin(origin: str) -> bool:
    """Whether `origin` is a page served from this machine's loopback names.

    Example:
        >>> is_local_origin("http://localhost:5173"), is_local_origin("null")
        (True, False)
    """
    return _LOCAL_ORIGIN.fullmatch(origin) is not None


@dataclass(frozen=True)
class OriginPolicy:
    """Which pages may call the mock from a browser.

    Args:
        named: Origins allowed besides the local ones, on every path.
        any_origin: Whether any origin may call paths outside `admin_prefix`.
        admin_prefix: Paths that only local and named origins may call.
    """

    named: frozenset[str]
    any_origin: bool
    admin_prefix: str

    @classmethod
    def from_options(cls, origins: Iterable[str], *, admin_prefix: str) -> OriginPolicy:
        """The local origins plus `origins` (as given to `--cors-origin`).

        Raises:
            ConfigurationError: an origin is not `scheme://host[:port]`,
                `null` or `*`.
        """
        given = set(origins)
        named = given - {ANY_ORIGIN}
        for origin in sorted(named):
            if _ORIGIN.fullmatch(origin) is None:
                raise ConfigurationError(
                    f"{ORIGIN_OPTION} {origin!r} is not an origin: give "
                    "scheme://host[:port] with no path or trailing slash "
                    "('http://localhost:5173'), or '*'"
                )
        return cls(frozenset(named), ANY_ORIGIN in given, admin_prefix)

    def allows(self, origin: str, path: str, host: str | None = None) -> bool:
        """Whether a page from `origin` may call `path` on `host` (the Host header)."""
        if is_local_origin(origin) or origin in self.named:
            return True
        # The mock's own pages (GraphiQL on a shared mock): the Host check
        # has already vouched for this host.
        if host is not None and origin.partition("://")[2] == host.lower():
            return True
        return self.any_origin and not path.startswith(self.admin_prefix)


class LocalCORSMiddleware:
    """CORS for the origins an `OriginPolicy` allows; 403 for the others.

    A request from an origin the policy does not allow is refused with 403
    (`FORBIDDEN_ORIGIN`) and no `Access-Control-Allow-*` header, preflight or
    not.

    Args:
        app: The app to wrap.
        policy: The origins to allow.
        expose_headers: Response headers browsers may show to the page.
    """

    def __init__(
        self, app: ASGIApp, *, policy: OriginPolicy, expose_headers: Sequence[str] = ()
    ) -> None:
        self._app = app
        self._policy = policy
        self._cors = CORSMiddleware(
            app,
            allow_origins=[ANY_ORIGIN] if policy.any_origin else sorted(policy.named),
            allow_origin_regex=_LOCAL_ORIGIN.pattern,
            allow_methods=["GET", "POST", "OPTIONS"],
            allow_headers=["*"],
            expose_headers=expose_headers,
        )

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        """Apply CORS, or refuse a page the mock does not serve (403)."""
        if scope["type"] != "http":
            await self._app(scope, receive, send)
            return
        origin = request_header(scope, b"origin")
        host = request_header(scope, b"host")
        if origin is None or self._policy.allows(origin, scope["path"], host):
            await self._cors(scope, receive, send)
            return
        # Refused outright, not merely left without CORS headers: a "simple"
        # request (POST /__mock/reset with no body) needs no preflight, so a
        # page could otherwise change the state it cannot read.
        scope.setdefault("state", {})["outcome"] = FORBIDDEN_ORIGIN_CODE
        shown = origin[:100]
        await error_response(
            403,
            FORBIDDEN_ORIGIN_CODE,
            f"Origin {shown!r} is not allowed: the mock serves pages from local "
            f"origins only; start it with {ORIGIN_OPTION} {shown} "
            f"(or {ORIGIN_ENVVAR}) to allow this one",
            headers={"Vary": "Origin"},
        )(scope, receive, send)

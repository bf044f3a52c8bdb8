"""The one ASGI layer in front of the routes: every HTTP check, one pass (#31).

A request meets, in this order: the access log (`access_log.py`), which times
it and writes its line once it is answered; the Host check (`hosts.py`); CORS
(`cors.py`); the bearer token (`auth.py`); fault injection (`faults.py`).
Then `/graphql` goes straight to its endpoint and every other path to
Starlette's router. Five middleware did this before, each one reading the
headers again and wrapping `send` again to pass the request on; the profile
(`python -m bench.profile`) counted a sixth of a create's instructions in
them.

Most requests carry no `Origin` (every client but a browser): their CORS
answer is Starlette's for that case, `Vary: Origin` and nothing else, added
here without running the CORS middleware. Browser requests go through
`LocalCORSMiddleware` as before.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from starlette.datastructures import MutableHeaders

from mock_server.web.middleware.access_log import AccessLog
from mock_server.web.middleware.auth import AcceptedTokens, BearerTokenMiddleware
from mock_server.web.middleware.cors import LocalCORSMiddleware, OriginPolicy
from mock_server.web.middleware.faults import FaultMiddleware
from mock_server.web.middleware.hosts import (
    FORBIDDEN_HOST_CODE,
    HostPolicy,
    forbidden_host_response,
    host_name,
)

if TYPE_CHECKING:
    from collections.abc import Callable, Mapping, Sequence

    from starlette.types import ASGIApp, Message, Receive, Scope, Send

    from mock_server._types import JSONObject

_VARY = b"vary"
# Host headers already served, so that each is judged once; bounded, so that
# a client sending many cannot grow it.
_KNOWN_HOSTS = 64


class RequestGate:
    """Checks every HTTP request once, then routes it.

    Args:
        app: The routes (Starlette's router) for every path not in `direct`.
        hosts: The `Host` headers served (`hosts.py`); others get 403.
        origins: The pages that may call the mock (`cors.py`); others get 403.
        expose_headers: Response headers browsers may show to the page.
        tokens: The accepted bearer tokens, or None when auth is off.
        is_public: Tells which requests need no token.
        unauthorized: The 401's JSON body (the mock's own when None).
        faults: Builds the fault-injection middleware around what it is given.
        direct: Paths answered by their app without the router (`/graphql`).
        log: Writes the access lines.
    """

    def __init__(
        self,
        app: ASGIApp,
        *,
        hosts: HostPolicy,
        origins: OriginPolicy,
        expose_headers: Sequence[str] = (),
        tokens: AcceptedTokens | None = None,
        is_public: Callable[[Scope], bool] = lambda _scope: False,
        unauthorized: JSONObject | None = None,
        faults: Callable[[ASGIApp], FaultMiddleware],
        direct: Mapping[str, ASGIApp] | None = None,
        log: AccessLog | None = None,
    ) -> None:
        self._app = app
        self._hosts = hosts
        self._served_hosts: set[bytes] = set()
        self._direct = dict(direct or {})
        self._log = log or AccessLog()
        self._faults = faults(self._route)
        self._guarded: ASGIApp = self._injected
        if tokens is not None:
            self._guarded = BearerTokenMiddleware(
                self._injected, tokens=tokens, is_public=is_public, body=unauthorized
            )
        self._browser = LocalCORSMiddleware(
            self._guarded, policy=origins, expose_headers=expose_headers
        )

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        """Check one request, answer or pass it on, and log it."""
        if scope["type"] != "http":
            await self._app(scope, receive, send)
            return
        host = origin = None
        for name, value in scope["headers"]:
            if name == b"host":
                host = value if host is None else host
            elif name == b"origin":
                origin = value if origin is None else origin
        logged = self._log.enabled()
        started = self._log.clock() if logged else 0.0
        status = 500
        vary = False

        async def answer(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
                if vary:
                    _add_vary_origin(message)
            await send(message)

        try:
            if not self._serves(host):
                scope.setdefault("state", {})["outcome"] = FORBIDDEN_HOST_CODE
                refusal = forbidden_host_response(host_name(_text(host)))
                await refusal(scope, receive, answer)
            elif origin is not None:
                await self._browser(scope, receive, answer)
            else:
                vary = True
                await self._guarded(scope, receive, answer)
        finally:
            if logged:
                self._log.write(scope, status, started)

    def _serves(self, host: bytes | None) -> bool:
        if host is None or host in self._served_hosts:
            return True
        if not self._hosts.serves(_text(host)):
            return False
        if len(self._served_hosts) < _KNOWN_HOSTS:
            self._served_hosts.add(host)
        return True

    async def _injected(self, scope: Scope, receive: Receive, send: Send) -> None:
        if self._faults.applies(scope):
            await self._faults(scope, receive, send)
        else:
            await self._route(scope, receive, send)

    async def _route(self, scope: Scope, receive: Receive, send: Send) -> None:
        # Under a root path the router strips it first: only it matches then.
        direct = None if scope.get("root_path") else self._direct.get(scope["path"])
        await (direct or self._app)(scope, receive, send)


def _text(header: bytes | None) -> str:
    return "" if header is None else header.decode("latin-1")


def _add_vary_origin(message: Message) -> None:
    """Starlette's CORS answer to a request without `Origin`: `Vary: Origin`."""
    headers: Any = message.get("headers", ())
    for name, _value in headers:
        if name == _VARY:
            break
    else:
        # A new list: the app's own may be kept and sent again.
        message["headers"] = [*headers, (_VARY, b"Origin")]
        return
    mutable = MutableHeaders(scope=message)
    mutable["Vary"] = ", ".join([*mutable.getlist("Vary"), "Origin"])

"""Bearer-token authentication, answering like the real API when it fails.

Three kinds of token are accepted: the `--token` and the tokens issued to
service accounts (`/oauth/token`) have manage access; a member's token
(`--member-token`) does not. The caller's role goes into the ASGI scope's
state, where the GraphQL endpoint reads it (`caller_role`).
"""

from __future__ import annotations

import hmac
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any

from starlette.responses import JSONResponse

from mock_server.domain.permissions import Role
from mock_server.errors import ConfigurationError

if TYPE_CHECKING:
    from starlette.types import ASGIApp, Receive, Scope, Send

    from mock_server.web.service_accounts import ServiceAccounts

ROLE_STATE_KEY = "role"
"""Where in `scope["state"]` the middleware puts the caller's `Role`."""

UNAUTHORIZED_BODY = {
    "errors": [
        {
            "title": "Unauthorized",
            "detail": "A valid token is required: send 'Authorization: Bearer <token>'",
        }
    ]
}


class AcceptedTokens:
    """The bearer tokens the mock accepts, and the role each one gives.

    Args:
        admin: The `--token` (manage access), if any.
        members: Members' tokens (`--member-token`), without manage access.
        accounts: Service accounts, whose issued tokens have manage access.

    Raises:
        ConfigurationError: a member's token is blank or is the `--token`.
    """

    def __init__(
        self,
        admin: str | None = None,
        members: Sequence[str] = (),
        accounts: ServiceAccounts | None = None,
    ) -> None:
        if isinstance(members, str):
            raise ConfigurationError("member tokens must be a list of tokens")
        if any(not member.strip() for member in members):
            raise ConfigurationError(
                "a member token must not be blank; omit it to have no members"
            )
        if admin is not None and admin in members:
            raise ConfigurationError(
                "a member token must differ from the token, which has manage access"
            )
        self._admin = None if admin is None else admin.encode()
        self._members = tuple(member.encode() for member in members)
        self._accounts = accounts

    def __repr__(self) -> str:
        return (
            f"AcceptedTokens(admin={self._admin is not None}, "
            f"members={len(self._members)}, accounts={self._accounts!r})"
        )

    def role_of(self, authorization: bytes) -> Role | None:
        """The role an `Authorization` header gives, or None if it gives none."""
        scheme, _, token = authorization.partition(b" ")
        if scheme != b"Bearer" or not token:
            return None
        # Constant time, so a token cannot be guessed byte by byte; every
        # member token is compared, so their number cannot be timed either.
        members = [hmac.compare_digest(token, member) for member in self._members]
        if self._admin is not None and hmac.compare_digest(token, self._admin):
            return Role.ADMIN
        if any(members):
            return Role.MEMBER
        if self._accounts is not None and self._accounts.accepts(
            token.decode("latin-1")
        ):
            return Role.ADMIN
        return None


def caller_role(scope: Scope) -> Role:
    """The role `BearerTokenMiddleware` gave the request (admin without auth)."""
    role = scope.get("state", {}).get(ROLE_STATE_KEY, Role.ADMIN)
    assert isinstance(role, Role)
    return role


class BearerTokenMiddleware:
    """Rejects HTTP requests without an accepted bearer token (401).

    Args:
        app: The app to guard.
        tokens: The accepted tokens and their roles.
        is_public: Tells which requests need no token (health checks, CORS
            preflights, the GraphiQL page, the OAuth token endpoint).
        body: The 401's JSON body (a behaviour profile's choice); the mock's
            own `UNAUTHORIZED_BODY` when None.
    """

    def __init__(
        self,
        app: ASGIApp,
        tokens: AcceptedTokens,
        is_public: Callable[[Scope], bool],
        body: dict[str, Any] | None = None,
    ) -> None:
        self._app = app
        self._tokens = tokens
        self._is_public = is_public
        self._body = UNAUTHORIZED_BODY if body is None else body

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        """Run the guarded app, or answer 401."""
        if scope["type"] != "http" or self._is_public(scope):
            await self._app(scope, receive, send)
            return
        received = dict(scope["headers"]).get(b"authorization", b"")
        role = self._tokens.role_of(received)
        if role is not None:
            scope.setdefault("state", {})[ROLE_STATE_KEY] = role
            await self._app(scope, receive, send)
            return
        scope.setdefault("state", {})["outcome"] = "UNAUTHORIZED"
        response = JSONResponse(self._body, 401, headers={"WWW-Authenticate": "Bearer"})
        await response(scope, receive, send)

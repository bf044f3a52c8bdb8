"""Bearer-token authentication, answering like the real API when it fails."""

from __future__ import annotations

import hmac
from collections.abc import Callable
from typing import TYPE_CHECKING

from starlette.responses import JSONResponse

if TYPE_CHECKING:
    from starlette.types import ASGIApp, Receive, Scope, Send

UNAUTHORIZED_BODY = {
    "errors": [
        {
            "title": "Unauthorized",
            "detail": "A valid token is required: send 'Authorization: Bearer <token>'",
        }
    ]
}


class BearerTokenMiddleware:
    """Rejects HTTP requests without `Authorization: Bearer <token>` (401).

    Args:
        app: The app to guard.
        token: The one accepted token.
        is_public: Tells which requests need no token (health checks, CORS
            preflights, the GraphiQL page).
    """

    def __init__(
        self, app: ASGIApp, token: str, is_public: Callable[[Scope], bool]
    ) -> None:
        self._app = app
        self._expected = f"Bearer {token}".encode()
        self._is_public = is_public

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        """Run the guarded app, or answer 401."""
        if scope["type"] != "http" or self._is_public(scope):
            await self._app(scope, receive, send)
            return
        received = dict(scope["headers"]).get(b"authorization", b"")
        # Constant time, so the token cannot be guessed byte by byte.
        if hmac.compare_digest(received, self._expected):
            await self._app(scope, receive, send)
            return
        scope.setdefault("state", {})["outcome"] = "UNAUTHORIZED"
        response = JSONResponse(
            UNAUTHORIZED_BODY, 401, headers={"WWW-Authenticate": "Bearer"}
        )
        await response(scope, receive, send)

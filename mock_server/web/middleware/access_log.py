"""One log line per request: method, path, status, operation, outcome, latency.

It replaces uvicorn's access log (which costs throughput and knows nothing of
GraphQL). It never logs headers, bodies or variables, so tokens and passwords
cannot leak into logs.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from starlette.types import ASGIApp, Message, Receive, Scope, Send

logger = logging.getLogger("mock_server.access")


class AccessLogMiddleware:
    """Logs each HTTP request once it has been answered.

    Args:
        app: The app whose requests are logged.
        clock: Returns seconds; injectable so tests need not depend on time.
    """

    def __init__(
        self, app: ASGIApp, clock: Callable[[], float] = time.perf_counter
    ) -> None:
        self._app = app
        self._clock = clock

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        """Run the app and write the request's line."""
        if scope["type"] != "http" or not logger.isEnabledFor(logging.INFO):
            await self._app(scope, receive, send)
            return
        started = self._clock()
        status = 500

        async def send_and_record(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
            await send(message)

        try:
            await self._app(scope, receive, send_and_record)
        finally:
            state = scope.get("state", {})
            logger.info(
                "%s %s %d op=%s outcome=%s %.1fms",
                scope["method"],
                scope["path"],
                status,
                state.get("operation") or "-",
                state.get("outcome") or "-",
                (self._clock() - started) * 1000,
            )

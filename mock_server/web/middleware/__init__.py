"""ASGI middleware around the routes: access log, authentication, faults."""

from __future__ import annotations

from mock_server.web.middleware.access_log import AccessLogMiddleware
from mock_server.web.middleware.auth import BearerTokenMiddleware
from mock_server.web.middleware.faults import (
    ANY_OPERATION,
    DroppedConnection,
    Fault,
    FaultInjector,
    FaultMiddleware,
    HideDroppedConnections,
    parse_faults,
)

__all__ = [
    "ANY_OPERATION",
    "AccessLogMiddleware",
    "BearerTokenMiddleware",
    "DroppedConnection",
    "Fault",
    "FaultInjector",
    "FaultMiddleware",
    "HideDroppedConnections",
    "parse_faults",
]

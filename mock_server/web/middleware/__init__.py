"""ASGI middleware around the routes: access log, Host check, CORS, auth, faults.

`RequestGate` is the one layer the app has; it applies the others.
"""

from __future__ import annotations

from mock_server.web.middleware.access_log import AccessLogMiddleware
from mock_server.web.middleware.auth import AcceptedTokens, BearerTokenMiddleware
from mock_server.web.middleware.cors import LocalCORSMiddleware, OriginPolicy
from mock_server.web.middleware.faults import (
    ANY_OPERATION,
    DroppedConnection,
    Fault,
    FaultInjector,
    FaultMiddleware,
    HideDroppedConnections,
    parse_faults,
)
from mock_server.web.middleware.gate import RequestGate
from mock_server.web.middleware.hosts import HostPolicy

__all__ = [
    "ANY_OPERATION",
    "AcceptedTokens",
    "AccessLogMiddleware",
    "BearerTokenMiddleware",
    "DroppedConnection",
    "Fault",
    "FaultInjector",
    "FaultMiddleware",
    "HideDroppedConnections",
    "HostPolicy",
    "LocalCORSMiddleware",
    "OriginPolicy",
    "RequestGate",
    "parse_faults",
]

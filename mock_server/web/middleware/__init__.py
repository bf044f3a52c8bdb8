"""ASGI middleware around the routes: access log, Host check, CORS, auth, faults."""

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
from mock_server.web.middleware.hosts import AllowedHostsMiddleware, HostPolicy

__all__ = [
    "ANY_OPERATION",
    "AcceptedTokens",
    "AccessLogMiddleware",
    "AllowedHostsMiddleware",
    "BearerTokenMiddleware",
    "DroppedConnection",
    "Fault",
    "FaultInjector",
    "FaultMiddleware",
    "HideDroppedConnections",
    "HostPolicy",
    "LocalCORSMiddleware",
    "OriginPolicy",
    "parse_faults",
]

"""HTTP: `/graphql`, the admin API, `/oauth/token`, sessions and body reading."""

from __future__ import annotations

from mock_server.web.admin import AdminApi
from mock_server.web.bodies import (
    MAX_BODY_BYTES,
    BodyTooLarge,
    read_body,
    read_or_forward,
    replaying,
)
from mock_server.web.endpoint import MAX_BATCH_SIZE, GraphQLEndpoint, is_page_request
from mock_server.web.oauth import TokenEndpoint
from mock_server.web.service_accounts import ServiceAccounts
from mock_server.web.sessions import (
    DEFAULT_SESSION,
    DEFAULT_SESSION_HEADER,
    InvalidSession,
    Sessions,
)

__all__ = [
    "DEFAULT_SESSION",
    "DEFAULT_SESSION_HEADER",
    "MAX_BATCH_SIZE",
    "MAX_BODY_BYTES",
    "AdminApi",
    "BodyTooLarge",
    "GraphQLEndpoint",
    "InvalidSession",
    "ServiceAccounts",
    "Sessions",
    "TokenEndpoint",
    "is_page_request",
    "read_body",
    "read_or_forward",
    "replaying",
]

"""A local mock of the `createSmtpCustomEmailWithConfiguration` GraphQL API."""

from __future__ import annotations

from mock_server.app import create_app

__version__ = "0.1.0"
from mock_server.errors import (
    ConfigurationError,
    ConfigurationMissing,
    DomainError,
    EmailTaken,
    MockServerError,
    Problem,
    SchemaLoadError,
    StoreUnavailable,
    ValidationFailed,
)
from mock_server.graphql.sdl import default_schema_path

__all__ = [
    "ConfigurationError",
    "ConfigurationMissing",
    "DomainError",
    "EmailTaken",
    "MockServerError",
    "Problem",
    "SchemaLoadError",
    "StoreUnavailable",
    "ValidationFailed",
    "create_app",
    "default_schema_path",
]

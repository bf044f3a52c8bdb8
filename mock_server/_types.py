"""JSON and GraphQL aliases shared across the mock server."""

from __future__ import annotations

from typing import Any, TypeAlias

JSONObject: TypeAlias = dict[str, Any]
"""A decoded JSON object, e.g. a GraphQL request body or a response."""

GraphQLVariables: TypeAlias = dict[str, Any]
"""The `variables` of a GraphQL request."""

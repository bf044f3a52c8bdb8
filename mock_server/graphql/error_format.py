"""Formatting GraphQL errors in the real API's shape.

Every entry has `message` and `extensions.code`, plus `extensions.correlation_id`
so that a report can point at one request. A domain error with several problems
becomes one entry per problem, each naming its field (`field`, or as the
behaviour profile names them: a `fields` list, or none).
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

from graphql import GraphQLError

from mock_server.domain.profile_choices import AuthBody, Failure
from mock_server.errors import DomainError, StoreUnavailable

if TYPE_CHECKING:
    from collections.abc import Iterator

    from mock_server._types import JSONObject
    from mock_server.domain.profile import BehaviourProfile
    from mock_server.errors import Problem

logger = logging.getLogger("mock_server")

INTERNAL_ERROR_MESSAGE = "Internal server error"
UNAVAILABLE_CODE = "SERVICE_UNAVAILABLE"
UNAVAILABLE_MESSAGE = "The mock's store is unavailable; try again shortly"


def error_entry(message: str, correlation_id: str, code: str) -> JSONObject:
    """One error entry of the real API's shape, for a request that cannot run."""
    return {
        "message": message,
        "extensions": {"code": code, "correlation_id": correlation_id},
    }


def unauthenticated_body(profile: BehaviourProfile) -> JSONObject | None:
    """The 401's body a profile chose, or None for the mock's own."""
    if profile.auth_body is AuthBody.MOCK:
        return None
    failure = Failure.UNAUTHENTICATED
    return {
        "errors": [
            {
                "message": profile.message(failure, ""),
                "extensions": {"code": profile.code(failure)},
            }
        ]
    }


def format_errors(
    errors: list[GraphQLError], correlation_id: str, *, default_code: str
) -> list[JSONObject]:
    """Format errors for a response.

    Args:
        errors: Errors from parsing, validation or execution.
        correlation_id: The request's id, added to every entry.
        default_code: The code of errors that carry none of their own.
    """
    return [
        entry
        for error in errors
        for entry in _entries(error, correlation_id, default_code)
    ]


def _entries(
    error: GraphQLError, correlation_id: str, default_code: str
) -> Iterator[JSONObject]:
    base: JSONObject = {}
    if error.locations is not None:
        base["locations"] = [location._asdict() for location in error.locations]
    if error.path is not None:
        base["path"] = error.path
    original = error.original_error
    if isinstance(original, DomainError):
        for problem in original.problems:
            yield {
                "message": problem.message,
                **base,
                "extensions": {
                    "code": problem.code or original.code,
                    **_named_fields(problem),
                    "correlation_id": correlation_id,
                },
            }
        return
    if isinstance(original, StoreUnavailable):
        # Expected when the store's server is down: one line, no traceback.
        logger.warning("%s (correlation_id=%s)", original, correlation_id)
        yield {
            "message": UNAVAILABLE_MESSAGE,
            **base,
            "extensions": {"code": UNAVAILABLE_CODE, "correlation_id": correlation_id},
        }
        return
    if (
        original is not None
        and error.path is not None
        and not isinstance(original, GraphQLError)
    ):
        # A bug, not an outcome: the client gets a clean error, the log gets
        # the traceback (the only place one is ever written).
        logger.error(
            "unexpected error (correlation_id=%s)",
            correlation_id,
            exc_info=original,
        )
        yield {
            "message": INTERNAL_ERROR_MESSAGE,
            **base,
            "extensions": {
                "code": "INTERNAL_SERVER_ERROR",
                "correlation_id": correlation_id,
            },
        }
        return
    extensions = dict(error.extensions or {})
    extensions.setdefault("code", default_code)
    extensions["correlation_id"] = correlation_id
    yield {"message": error.message, **base, "extensions": extensions}


def _named_fields(problem: Problem) -> JSONObject:
    # How a profile names the fields (`field_key`); the mock's own: `field`.
    names = problem.fields or (problem.field,)
    if problem.field_key == "fields":
        return {"fields": list(names)}
    if problem.field_key == "none":
        return {}
    return {"field": names[0]}

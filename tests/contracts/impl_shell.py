"""The HTTP shell of the independent implementations calibration is tested on.

graphql-core and Starlette only: no code of `mock_server`. `POST /graphql`
needs `Authorization: Bearer <any token>` (else a 401 with the implementation's
own body); a resolver refuses a create by raising `Refusal` with the error
entries it wants, in whatever shape it chose, and each becomes one entry of
`errors` with the field's path, beside `data` whose field is null.
"""

from __future__ import annotations

import json
from typing import Any

from graphql import build_schema, graphql
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Route


class Refusal(Exception):
    """A create refused: the error entries (message and extensions) to send."""

    def __init__(self, entries: list[dict[str, Any]]) -> None:
        super().__init__(entries)
        self.entries = entries


def graphql_app(
    sdl: str, root: dict[str, Any], *, unauthorized: dict[str, Any]
) -> Starlette:
    """`POST /graphql` over `sdl`, resolvers in `root`, bearer token required."""
    schema = build_schema(sdl)

    async def endpoint(request: Request) -> JSONResponse:
        scheme, _, token = request.headers.get("authorization", "").partition(" ")
        if scheme != "Bearer" or not token.strip():
            return JSONResponse(unauthorized, 401)
        try:
            body = json.loads(await request.body())
        except ValueError:
            return JSONResponse({"errors": [{"message": "Malformed JSON"}]}, 400)
        if not isinstance(body, dict):
            return JSONResponse({"errors": [{"message": "Expected an object"}]}, 400)
        result = await graphql(
            schema,
            body.get("query", ""),
            root_value=root,
            variable_values=body.get("variables"),
            operation_name=body.get("operationName"),
        )
        if result.errors and not any(error.path for error in result.errors):
            # Refused before running: graphql-core's words, without the values.
            errors = [
                {
                    "message": error.message.split(" got invalid value")[0],
                    "extensions": {"code": "GRAPHQL_VALIDATION_FAILED"},
                }
                for error in result.errors
            ]
            return JSONResponse({"errors": errors}, 400)
        response: dict[str, Any] = {"data": result.data}
        if result.errors:
            response["errors"] = [
                {**entry, "path": error.path}
                for error in result.errors
                for entry in _entries(error)
            ]
        return JSONResponse(response)

    return Starlette(routes=[Route("/graphql", endpoint, methods=["POST"])])


def _entries(error: Any) -> list[dict[str, Any]]:
    if isinstance(error.original_error, Refusal):
        return error.original_error.entries
    return [{"message": "Internal error", "extensions": {"code": "INTERNAL"}}]

"""A second, independent implementation of the guide, for the no-false-alarm test.

It shares no code with `mock_server` (graphql-core and Starlette only) and
chooses differently wherever the guide is silent: uniqueness is case-sensitive,
names are trimmed, any port is accepted, ids are upper-case version-1 UUIDs,
error codes and messages differ, relay credentials are kept, a credential
made only of spaces counts as one (the mock counts it as missing), there is no
read-back query and no authentication. A sound contract suite passes it.
"""

from __future__ import annotations

import json
import uuid
from typing import Any

from graphql import GraphQLError, build_schema, graphql
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Route

SDL = """
type Query { ping: String }
type Mutation {
  createSmtpCustomEmailWithConfiguration(
    input: CreateSmtpCustomEmailWithConfigurationInput!
  ): Payload
}
input CreateSmtpCustomEmailWithConfigurationInput {
  clientMutationId: String
  senderName: String!
  emailAddress: String!
  smtpConfiguration: SmtpConfigurationInput
}
input SmtpConfigurationInput {
  host: String!
  port: Int!
  organizationId: ID!
  ipRelayAuth: Boolean = false
  username: String
  password: String
}
type Payload { clientMutationId: String smtpCustomEmail: SmtpCustomEmail }
type SmtpCustomEmail {
  id: ID!
  emailAddress: String!
  senderName: String!
  smtpConfiguration: SmtpConfiguration!
}
type SmtpConfiguration {
  id: ID!
  host: String!
  port: String!
  organizationId: ID!
  ipRelayAuth: Boolean!
}
"""


class Senders:
    def __init__(self) -> None:
        self.rows: dict[tuple[str, str], dict[str, Any]] = {}

    def create(self, info: Any, input: dict[str, Any]) -> dict[str, Any]:
        configuration = input.get("smtpConfiguration")
        if configuration is None:
            raise GraphQLError(
                "smtpConfiguration is needed", extensions={"code": "BAD_USER_INPUT"}
            )
        relay = configuration.get("ipRelayAuth") is True
        missing = [
            name
            for name in ("username", "password")
            if not relay and not configuration.get(name)
        ]
        if missing:
            raise GraphQLError(
                f"missing credentials: {', '.join(missing)}",
                extensions={"code": "VALIDATION_ERROR"},
            )
        key = (str(configuration["organizationId"]), input["emailAddress"])
        if key in self.rows:
            raise GraphQLError("duplicate", extensions={"code": "CONFLICT"})
        sender = {
            "id": str(uuid.uuid1()).upper(),
            "emailAddress": input["emailAddress"],
            "senderName": input["senderName"].strip(),
            "smtpConfiguration": {
                "id": str(uuid.uuid1()).upper(),
                "host": configuration["host"],
                "port": str(configuration["port"]),
                "organizationId": configuration["organizationId"],
                "ipRelayAuth": relay,
            },
        }
        self.rows[key] = {**sender, "credentials": configuration}
        return {
            "clientMutationId": input.get("clientMutationId"),
            "smtpCustomEmail": sender,
        }


def create_app() -> Starlette:
    root = {"createSmtpCustomEmailWithConfiguration": Senders().create}
    return served(root, default_code="INVALID")


def served(root: dict[str, Any], *, default_code: str) -> Starlette:
    """The HTTP shell over the contract's `SDL` (see `graphql_app`)."""
    return graphql_app(SDL, root, default_code=default_code)


def graphql_app(
    sdl: str, root: dict[str, Any], *, default_code: str = "INVALID"
) -> Starlette:
    """`POST /graphql` over graphql-core: strict JSON in, resolvers in `root`."""
    schema = build_schema(sdl)

    async def endpoint(request: Request) -> JSONResponse:
        try:
            body = _strict_json(await request.body())
        except (ValueError, RecursionError):
            return JSONResponse({"errors": [{"message": "bad json"}]}, 400)
        result = await graphql(
            schema,
            body.get("query", ""),
            root_value=root,
            variable_values=body.get("variables"),
            operation_name=body.get("operationName"),
        )
        response: dict[str, Any] = {}
        if result.errors:
            response["errors"] = [
                {
                    # graphql-core quotes rejected values; never send them back.
                    "message": error.message.split(" got invalid value")[0],
                    "extensions": {"code": default_code, **(error.extensions or {})},
                    **({"path": error.path} if error.path else {}),
                }
                for error in result.errors
            ]
        if (
            result.data is not None
            or not result.errors
            or any(error.path for error in result.errors)
        ):
            response["data"] = result.data
        status = 200 if "data" in response else 400
        return JSONResponse(response, status)

    return Starlette(routes=[Route("/graphql", endpoint, methods=["POST"])])


app = create_app()


def _strict_json(raw: bytes) -> dict[str, Any]:
    """A JSON object, refusing NaN, Infinity and what cannot be encoded back."""

    def refuse(constant: str) -> Any:
        raise ValueError(f"{constant} is not JSON")

    body = json.loads(raw, parse_constant=refuse)
    if not isinstance(body, dict):
        raise ValueError("not an object")
    json.dumps(body, ensure_ascii=False).encode()  # unpaired surrogates fail here
    return body

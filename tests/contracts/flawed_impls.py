"""Independent implementations of the guide, each with one bug real APIs ship.

They share no code with `mock_server` (graphql-core and Starlette only) and,
apart from their one bug, follow the guide: a sound contract suite must fail
each of them, naming the clause the bug breaks.

- `racy_app`: application-level uniqueness: it checks whether the address is
  taken, awaits its (simulated) database, then saves; there is no unique index.
  Sequential duplicates are refused; simultaneous ones all succeed.
- `relay_by_null_app`: it reads `ipRelayAuth: null` as "relay on" and skips
  the credential check (`if flag is False: require credentials`).

Serve one with `uvicorn --factory tests.contracts.flawed_impls:racy_app`.
"""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import Callable
from typing import Any

from graphql import GraphQLError
from starlette.applications import Starlette

from tests.contracts.alt_impl import SDL as ALT_SDL, graphql_app

# The same schema as the other independent implementation, plus a list query
# (the concurrency clause reads it back when a target has one).
SDL = ALT_SDL.replace(
    "type Query { ping: String }",
    "type Query { smtpCustomEmails(organizationId: ID!): [SmtpCustomEmail!]! }",
)
assert SDL != ALT_SDL

DATABASE_LATENCY_S = 0.05
"""One simulated database round trip of the racy implementation."""

RelayRule = Callable[[dict[str, Any]], bool]


def _relay_when_true(configuration: dict[str, Any]) -> bool:
    return configuration.get("ipRelayAuth") is True


def _relay_unless_false(configuration: dict[str, Any]) -> bool:
    # The bug: an untouched checkbox arrives as null, and null is not False.
    return configuration.get("ipRelayAuth") is not False


class Senders:
    """The rows of one process, and the create resolver."""

    def __init__(self, *, relay_rule: RelayRule, racy: bool) -> None:
        self.rows: list[dict[str, Any]] = []
        self.relay_rule = relay_rule
        self.racy = racy

    async def taken(self, organization: str, address: str) -> bool:
        if self.racy:
            await asyncio.sleep(DATABASE_LATENCY_S)
        return any(
            row["smtpConfiguration"]["organizationId"] == organization
            and row["emailAddress"].casefold() == address.casefold()
            for row in self.rows
        )

    async def create(self, _info: Any, input: dict[str, Any]) -> dict[str, Any]:
        configuration = input.get("smtpConfiguration")
        if configuration is None:
            raise GraphQLError(
                "smtpConfiguration is required", extensions={"code": "BAD_INPUT"}
            )
        relay = self.relay_rule(configuration)
        missing = [
            name
            for name in ("username", "password")
            if not relay and not (configuration.get(name) or "").strip()
        ]
        if missing:
            raise GraphQLError(
                f"credentials required: {', '.join(missing)}",
                extensions={"code": "BAD_INPUT"},
            )
        organization = str(configuration["organizationId"])
        if await self.taken(organization, input["emailAddress"]):
            raise GraphQLError("address already used", extensions={"code": "TAKEN"})
        if self.racy:
            await asyncio.sleep(DATABASE_LATENCY_S)
        sender = {
            "id": str(uuid.uuid4()),
            "emailAddress": input["emailAddress"],
            "senderName": input["senderName"],
            "smtpConfiguration": {
                "id": str(uuid.uuid4()),
                "host": configuration["host"],
                "port": str(configuration["port"]),
                "organizationId": organization,
                "ipRelayAuth": relay,
            },
        }
        self.rows.append(sender)
        return {
            "clientMutationId": input.get("clientMutationId"),
            "smtpCustomEmail": sender,
        }

    def list(self, _info: Any, organizationId: str) -> list[dict[str, Any]]:
        return [
            row
            for row in self.rows
            if row["smtpConfiguration"]["organizationId"] == organizationId
        ]


def _app(senders: Senders) -> Starlette:
    return graphql_app(
        SDL,
        {
            "createSmtpCustomEmailWithConfiguration": senders.create,
            "smtpCustomEmails": senders.list,
        },
    )


def racy_app() -> Starlette:
    """Uniqueness checked, then an await, then the save: no unique index."""
    return _app(Senders(relay_rule=_relay_when_true, racy=True))


def relay_by_null_app() -> Starlette:
    """`ipRelayAuth: null` read as relay on: no credentials needed then."""
    return _app(Senders(relay_rule=_relay_unless_false, racy=False))


def faithful_app() -> Starlette:
    """Both bugs fixed: the suite must pass it (the control)."""
    return _app(Senders(relay_rule=_relay_when_true, racy=False))

"""An independent implementation with a permissive rule set (no `mock_server` code).

Its choices where the guide is silent, unlike the mock's and `strictish_impl`'s:

- an address is `x@y`: one @, something without spaces on each side;
- every text is trimmed; an address is kept as sent, and compared with
  `str.lower` (so `STRASSE@x` and `straße@x` are two addresses);
- limits: sender name 80, address 100, host 255, username 128, password 64;
- non-ASCII is refused in the host only; ports 0 to 65535; credentials sent
  with IP relay are ignored;
- every problem of a request in one entry, `; `-joined, naming the inputs by
  their own names in `extensions.fields: [...]`, code `VALIDATION_FAILED`;
  messages name the field as the API does (`password must be at most 64
  characters`);
- a request without a token: HTTP 401 with one entry, `UNAUTHENTICATED`.
"""

from __future__ import annotations

import re
import uuid
from typing import TYPE_CHECKING, Any

from tests.contracts.alt_impl import SDL
from tests.contracts.impl_shell import Refusal, graphql_app

if TYPE_CHECKING:
    from starlette.applications import Starlette

ADDRESS = re.compile(r"[^@\s]+@[^@\s]+")
LIMITS = {
    "senderName": 80,
    "emailAddress": 100,
    "host": 255,
    "username": 128,
    "password": 64,
}
UNAUTHORIZED = {
    "errors": [
        {
            "message": "Authentication required",
            "extensions": {"code": "UNAUTHENTICATED"},
        }
    ]
}


def _problems(
    values: dict[str, str | None], port: int, relay: bool
) -> list[tuple[str, str]]:
    problems: list[tuple[str, str]] = []
    for name in ("senderName", "emailAddress", "host", "organizationId"):
        value = values[name] or ""
        if not value:
            problems.append((name, f"{name} must not be blank"))
        elif name in LIMITS and len(value) > LIMITS[name]:
            problems.append((name, f"{name} must be at most {LIMITS[name]} characters"))
        elif name == "emailAddress" and not ADDRESS.fullmatch(value):
            problems.append((name, "emailAddress is not a valid email address"))
        elif name == "host" and not value.isascii():
            problems.append((name, "host must contain only ASCII characters"))
    if not 0 <= port <= 65535:
        problems.append(("port", "port must be between 0 and 65535"))
    for name in ("username", "password"):
        credential = values[name]
        if not relay and not credential:
            problems.append((name, f"{name} is required unless ipRelayAuth is true"))
        elif not relay and credential and len(credential) > LIMITS[name]:
            problems.append((name, f"{name} must be at most {LIMITS[name]} characters"))
    return problems


def _refusal(problems: list[tuple[str, str]], code: str) -> Refusal:
    return Refusal(
        [
            {
                "message": "; ".join(message for _, message in problems),
                "extensions": {"code": code, "fields": [name for name, _ in problems]},
            }
        ]
    )


class Senders:
    def __init__(self) -> None:
        self.taken: set[tuple[str, str]] = set()

    def create(self, info: Any, input: dict[str, Any]) -> dict[str, Any]:
        configuration = input.get("smtpConfiguration")
        if configuration is None:
            raise _refusal(
                [("smtpConfiguration", "smtpConfiguration must be provided")],
                "BAD_USER_INPUT",
            )
        values: dict[str, str | None] = {
            name: None if source.get(name) is None else str(source[name]).strip()
            for source, names in (
                (input, ("senderName", "emailAddress")),
                (configuration, ("host", "organizationId", "username", "password")),
            )
            for name in names
        }
        relay = configuration.get("ipRelayAuth") is True
        problems = _problems(values, configuration["port"], relay)
        if problems:
            raise _refusal(problems, "VALIDATION_FAILED")
        address = values["emailAddress"] or ""
        key = (str(configuration["organizationId"]), address.lower())
        if key in self.taken:
            raise _refusal(
                [("emailAddress", "emailAddress is already taken")], "ALREADY_EXISTS"
            )
        self.taken.add(key)
        return {
            "clientMutationId": input.get("clientMutationId"),
            "smtpCustomEmail": {
                "id": str(uuid.uuid4()),
                "emailAddress": address,
                "senderName": values["senderName"],
                "smtpConfiguration": {
                    "id": str(uuid.uuid4()),
                    "host": values["host"],
                    "port": str(configuration["port"]),
                    "organizationId": configuration["organizationId"],
                    "ipRelayAuth": relay,
                },
            },
        }


def create_app() -> Starlette:
    root = {"createSmtpCustomEmailWithConfiguration": Senders().create}
    return graphql_app(SDL, root, unauthorized=UNAUTHORIZED)


app = create_app()

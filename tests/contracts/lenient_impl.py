"""A third implementation of the guide, choosing unlike the mock and `alt_impl`.

Independent of `mock_server` (it shares only `alt_impl`'s HTTP shell), it picks
every silent choice the other way: lenient addresses (one @, something on each
side), every text trimmed, case-sensitive uniqueness, no length limit, ports
1 to 65535, non-ASCII refused in host and address, credentials refused with IP
relay, all problems of a request in one combined entry (" | "), its own codes
and messages, and upper-case UUIDv7 ids. `tests/contracts/test_calibrate.py`
calibrates the mock to it.
"""

from __future__ import annotations

import os
import time
from typing import TYPE_CHECKING, Any

from graphql import GraphQLError

from tests.contracts.alt_impl import served

if TYPE_CHECKING:
    from starlette.applications import Starlette

LABELS = {
    "senderName": "Sender name",
    "emailAddress": "Email address",
    "host": "Host",
    "organizationId": "Organization",
    "username": "Username",
    "password": "Password",
}
INVALID = "UNPROCESSABLE"


def uuid7_upper() -> str:
    number = (time.time_ns() // 1_000_000) << 80 | int.from_bytes(os.urandom(10))
    number = number & ~(0xF000 << 64) | (0x7000 << 64)
    number = number & ~(0xC000 << 48) | (0x8000 << 48)
    text = f"{number:032X}"
    return f"{text[:8]}-{text[8:12]}-{text[12:16]}-{text[16:20]}-{text[20:]}"


def _problems(values: dict[str, Any], port: int, relay: bool) -> list[str]:
    problems = []
    for name in ("senderName", "emailAddress", "host", "organizationId"):
        value = values[name]
        if not value:
            problems.append(f"{LABELS[name]} is required")
        elif name in ("emailAddress", "host") and not value.isascii():
            problems.append(f"{LABELS[name]} must be ASCII")
        elif name == "emailAddress":
            local, at, domain = value.rpartition("@")
            if not (at and local and domain and "@" not in local):
                problems.append("Email address is malformed")
        if name == "host" and not 1 <= port <= 65535:
            problems.append("Port must be from 1 to 65535")
    for name in ("username", "password"):
        if relay and values[name]:
            problems.append(f"{LABELS[name]} is not allowed with IP relay")
        elif not relay and not values[name]:
            problems.append(f"{LABELS[name]} is required without IP relay")
    return problems


class Senders:
    def __init__(self) -> None:
        self.taken: set[tuple[str, str]] = set()

    def create(self, info: Any, input: dict[str, Any]) -> dict[str, Any]:
        configuration = input.get("smtpConfiguration")
        if configuration is None:
            raise GraphQLError(
                "SMTP configuration is missing",
                extensions={"code": "MISSING_CONFIGURATION"},
            )
        values = {
            name: (str(source.get(name) or "")).strip()
            for source, names in (
                (input, ("senderName", "emailAddress")),
                (configuration, ("host", "organizationId", "username", "password")),
            )
            for name in names
        }
        relay = configuration.get("ipRelayAuth") is True
        problems = _problems(values, configuration["port"], relay)
        if problems:
            raise GraphQLError(" | ".join(problems), extensions={"code": INVALID})
        key = (values["organizationId"], values["emailAddress"])
        if key in self.taken:
            raise GraphQLError(
                "Email address already exists", extensions={"code": "DUPLICATE"}
            )
        self.taken.add(key)
        return {
            "clientMutationId": input.get("clientMutationId"),
            "smtpCustomEmail": {
                "id": uuid7_upper(),
                "emailAddress": values["emailAddress"],
                "senderName": values["senderName"],
                "smtpConfiguration": {
                    "id": uuid7_upper(),
                    "host": values["host"],
                    "port": str(configuration["port"]),
                    "organizationId": configuration["organizationId"],
                    "ipRelayAuth": relay,
                },
            },
        }


def create_app() -> Starlette:
    root = {"createSmtpCustomEmailWithConfiguration": Senders().create}
    return served(root, default_code="BAD_REQUEST")


app = create_app()

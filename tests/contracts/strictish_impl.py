"""An independent implementation with a strict-ish rule set (no `mock_server` code).

Its choices where the guide is silent, unlike the mock's and `permissive_impl`'s:

- an address matches the classic `[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(\\.[A-Za-z0-9-]+)*
  \\.[A-Za-z]{2,}`: dots anywhere before the @ (`a..b`, `.lead`), hyphens at
  a label's edge (`x@-dash.example`), but a letters-only top-level domain of
  two or more, ASCII only, no quotes, no IP literal; at most 254 characters,
  said so in a message of its own;
- the address is trimmed, stored lower-cased and compared as NFKC casefolded;
  a blank one is blank, not invalid;
- the sender name is trimmed and stored as NFC; the host must not have spaces
  around or inside it, must be ASCII, and is stored lower-cased;
- limits: sender name 120, host 253, username 255, password 128; ports 1 to
  65535; credentials sent with IP relay are refused; a credential of spaces
  is a value;
- one entry per problem, `extensions.field` naming the input by its own name,
  codes `INVALID_ARGUMENT` and `CONFLICT`, labels of its own (`SMTP host`);
- a request without a token: HTTP 401 with one entry, `UNAUTHORIZED`;
- ids are upper-case version-4 UUIDs.
"""

from __future__ import annotations

import re
import unicodedata
import uuid
from typing import TYPE_CHECKING, Any

from tests.contracts.alt_impl import SDL
from tests.contracts.impl_shell import Refusal, graphql_app

if TYPE_CHECKING:
    from starlette.applications import Starlette

ADDRESS = re.compile(r"[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}")
LABELS = {
    "senderName": "Sender name",
    "emailAddress": "Email address",
    "host": "SMTP host",
    "organizationId": "Organization",
    "username": "SMTP username",
    "password": "SMTP password",
}
LIMITS = {"senderName": 120, "emailAddress": 254, "host": 253, "username": 255}
LIMITS["password"] = 128
INVALID = "INVALID_ARGUMENT"
UNAUTHORIZED = {
    "errors": [
        {
            "message": "Unauthorized: missing or invalid token",
            "extensions": {"code": "UNAUTHORIZED"},
        }
    ]
}


def _entry(name: str, message: str, code: str = INVALID) -> dict[str, Any]:
    return {"message": message, "extensions": {"code": code, "field": name}}


def _text_problems(name: str, value: str) -> list[dict[str, Any]]:
    label = LABELS[name]
    if name == "host":
        if value != value.strip():
            return [_entry(name, f"{label} must not start or end with whitespace")]
        if not value.isascii():
            return [_entry(name, f"{label} must contain only ASCII characters")]
        if " " in value:
            return [_entry(name, f"{label} must not contain spaces")]
    if len(value) > LIMITS[name]:
        return [_entry(name, f"{label} must be at most {LIMITS[name]} characters")]
    if name == "emailAddress" and not ADDRESS.fullmatch(value):
        return [_entry(name, "Email address is invalid")]
    return []


def _problems(values: dict[str, Any], port: int, relay: bool) -> list[dict[str, Any]]:
    problems = []
    for name in ("senderName", "emailAddress", "host", "organizationId"):
        value = values[name] or ""
        if not value.strip():
            problems.append(_entry(name, f"{LABELS[name]} can't be blank"))
        elif name != "organizationId":
            problems += _text_problems(name, value)
    if not 1 <= port <= 65535:
        problems.append(_entry("port", "Port must be between 1 and 65535"))
    for name in ("username", "password"):
        value = values[name]
        if relay and value is not None and value != "":
            problems.append(_entry(name, f"{LABELS[name]} must be empty with IP relay"))
        elif not relay and not value:
            problems.append(
                _entry(name, f"{LABELS[name]} is required without IP relay")
            )
        elif not relay:
            problems += _text_problems(name, value)
    return problems


class Senders:
    def __init__(self) -> None:
        self.taken: set[tuple[str, str]] = set()

    def create(self, info: Any, input: dict[str, Any]) -> dict[str, Any]:
        configuration = input.get("smtpConfiguration")
        if configuration is None:
            raise Refusal(
                [
                    _entry(
                        "smtpConfiguration",
                        "smtpConfiguration is required",
                        "BAD_USER_INPUT",
                    )
                ]
            )
        values = {
            "senderName": unicodedata.normalize("NFC", input["senderName"].strip()),
            "emailAddress": input["emailAddress"].strip().lower(),
            "host": configuration["host"],
            "organizationId": configuration["organizationId"],
            "username": configuration.get("username"),
            "password": configuration.get("password"),
        }
        relay = configuration.get("ipRelayAuth") is True
        problems = _problems(values, configuration["port"], relay)
        if problems:
            raise Refusal(problems)
        key = unicodedata.normalize("NFKC", values["emailAddress"]).casefold()
        if (values["organizationId"], key) in self.taken:
            raise Refusal(
                [_entry("emailAddress", "Email address is already in use", "CONFLICT")]
            )
        self.taken.add((values["organizationId"], key))
        return {
            "clientMutationId": input.get("clientMutationId"),
            "smtpCustomEmail": {
                "id": str(uuid.uuid4()).upper(),
                "emailAddress": values["emailAddress"],
                "senderName": values["senderName"],
                "smtpConfiguration": {
                    "id": str(uuid.uuid4()).upper(),
                    "host": values["host"].lower(),
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

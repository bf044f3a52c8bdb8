"""Mutants modelled on bugs real GraphQL APIs ship (issue #13).

Each imitates one bug seen in the wild: a uniqueness check raced by a second
request, a form library's `null` read as "on", shared per-request state, a
boot-seeded id generator, an error formatter that drops what the spec asks
for. They use the same seams as the rest of the catalogue (stores, variable
and response rewrites) and the mock's public API only.
"""

from __future__ import annotations

import asyncio
import itertools
import unicodedata
from typing import TYPE_CHECKING, Any

from contracts.selftest.mutants.stores import FlawedStore
from mock_server.domain import email_taken

if TYPE_CHECKING:
    from collections.abc import Callable

    from starlette.types import ASGIApp, Receive, Scope, Send

    from mock_server.domain import SmtpCustomEmail
    from mock_server.stores import Store

Variables = dict[str, Any]
FIELD = "createSmtpCustomEmailWithConfiguration"

DATABASE_ROUND_TRIP_S = 0.01
"""The await between the uniqueness check and the save (a query to a database)."""
SHARED_STATE_WAIT_S = 0.005
"""The await during which another request overwrites the shared state."""


# --- stores ----------------------------------------------------------------


class RacyStore(FlawedStore):
    """Rails-style `validates :uniqueness`: look up, await, then insert."""

    async def add(self, sender: SmtpCustomEmail) -> SmtpCustomEmail:
        if await self.clash(sender) is not None:
            raise email_taken()
        await asyncio.sleep(DATABASE_ROUND_TRIP_S)
        return await self.save_unchecked(sender)


class LowerCasedOnOneSideStore(FlawedStore):
    """Saved addresses are lower-cased for the index; lookups are not."""

    def clashes(self, first: SmtpCustomEmail, second: SmtpCustomEmail) -> bool:
        return (first.configuration.organization_id, first.email_address.lower()) == (
            second.configuration.organization_id,
            second.email_address,
        )


class NormalizedOnOneSideStore(FlawedStore):
    """Saved addresses are NFC-normalized for the index; lookups are not."""

    def clashes(self, first: SmtpCustomEmail, second: SmtpCustomEmail) -> bool:
        stored = unicodedata.normalize("NFC", first.email_address.casefold())
        return (first.configuration.organization_id, stored) == (
            second.configuration.organization_id,
            second.email_address.casefold(),
        )


# --- variable rewrites -------------------------------------------------------


def relay_on_when_null(variables: Variables) -> Variables:
    """`if relay is not False`: an untouched checkbox (null) turns relay on."""
    configuration = variables.get("smtpConfiguration")
    if isinstance(configuration, dict) and configuration.get("ipRelayAuth", 0) is None:
        return {
            **variables,
            "smtpConfiguration": {**configuration, "ipRelayAuth": True},
        }
    return variables


def empty_password_counts(variables: Variables) -> Variables:
    """`password is not None` instead of "present and not blank"."""
    configuration = variables.get("smtpConfiguration")
    if isinstance(configuration, dict) and configuration.get("password") == "":
        filled = {**configuration, "password": "<empty>"}
        return {**variables, "smtpConfiguration": filled}
    return variables


# --- response rewrites --------------------------------------------------------


def _payload(body: Any) -> dict[str, Any] | None:
    data = body.get("data") if isinstance(body, dict) else None
    payload = data.get(FIELD) if isinstance(data, dict) else None
    return payload if isinstance(payload, dict) else None


def _address_key(variables: Variables) -> tuple[str, str]:
    configuration = variables.get("smtpConfiguration") or {}
    return (
        str(configuration.get("organizationId")),
        str(variables.get("emailAddress", "")).casefold(),
    )


class FirstSenderOnDuplicate:
    """An upsert-ish "find or create": a duplicate answers the first sender."""

    def __init__(self) -> None:
        self.created: dict[tuple[str, str], Any] = {}

    async def __call__(
        self, variables: Variables, status: int, body: Any, _store: Store
    ) -> tuple[int, Any]:
        payload = _payload(body)
        key = _address_key(variables)
        if payload is not None and payload.get("smtpCustomEmail"):
            self.created.setdefault(key, payload)
        elif isinstance(body, dict) and body.get("errors") and key in self.created:
            return 200, {"data": {FIELD: self.created[key]}}
        return status, body


class DefaultPort:
    """`port` serialized from the settings' default instead of the record."""

    async def __call__(
        self, _variables: Variables, status: int, body: Any, _store: Store
    ) -> tuple[int, Any]:
        payload = _payload(body)
        sender = (payload or {}).get("smtpCustomEmail")
        if isinstance(sender, dict) and isinstance(
            sender.get("smtpConfiguration"), dict
        ):
            sender["smtpConfiguration"]["port"] = "587"
        return status, body


class SharedClientMutationId:
    """clientMutationId kept on a shared object, not per request, across an await."""

    def __init__(self) -> None:
        self.current: Any = None

    async def __call__(
        self, variables: Variables, status: int, body: Any, _store: Store
    ) -> tuple[int, Any]:
        sent = variables.get("input")
        self.current = sent.get("clientMutationId") if isinstance(sent, dict) else None
        await asyncio.sleep(SHARED_STATE_WAIT_S)  # e.g. an audit-log write
        payload = _payload(body)
        if payload is not None and "clientMutationId" in payload:
            payload["clientMutationId"] = self.current
        return status, body


class DataNullWithoutErrors:
    """A resolver error swallowed by a catch-all: `{"data": null}`, no errors."""

    async def __call__(
        self, _variables: Variables, status: int, body: Any, _store: Store
    ) -> tuple[int, Any]:
        if status == 200 and isinstance(body, dict) and body.get("errors"):
            return 200, {"data": None}
        return status, body


class ErrorsWithoutPath:
    """A hand-written error formatter that keeps only message and extensions."""

    async def __call__(
        self, _variables: Variables, status: int, body: Any, _store: Store
    ) -> tuple[int, Any]:
        for entry in (body.get("errors") if isinstance(body, dict) else None) or []:
            entry.pop("path", None)
        return status, body


class InputInExtensions:
    """Debug info left on in production: the rejected input in `extensions`."""

    async def __call__(
        self, variables: Variables, status: int, body: Any, _store: Store
    ) -> tuple[int, Any]:
        errors = body.get("errors") if isinstance(body, dict) else None
        configuration = variables.get("smtpConfiguration")
        if errors and isinstance(configuration, dict):
            errors[0].setdefault("extensions", {})["input"] = configuration
        return status, body


class UnavailableEveryTenthCreate:
    """An overloaded backend answering 503, without saying when to come back."""

    def __init__(self) -> None:
        self.creates = itertools.count(1)

    async def __call__(
        self, variables: Variables, status: int, body: Any, _store: Store
    ) -> tuple[int, Any]:
        creating = "emailAddress" in variables or "input" in variables
        if creating and next(self.creates) % 10 == 0:
            return 503, {"errors": [{"message": "Service Unavailable"}]}
        return status, body


# --- apps --------------------------------------------------------------------


class RestartingApp:
    """A worker recycled every `every` requests, its id generator seeded at boot.

    Args:
        boot: Builds the app as the process starts it (same seed every time).
        every: Requests served before the next restart.
    """

    def __init__(self, boot: Callable[[], ASGIApp], every: int) -> None:
        self._boot = boot
        self._every = every
        self._served = 0
        self._app = boot()

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http" and scope["method"] == "POST":
            self._served += 1
            if self._served % self._every == 0:
                self._app = self._boot()
        await self._app(scope, receive, send)

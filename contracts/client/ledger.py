"""Run namespaces and the ledger of everything a run created.

Every address a run generates has the form
`smtp-contract+<run-id>-<n>@<email-domain>`, so what a run left behind on a
live API is easy to find and remove; the ledger lists it as it is created.
"""

from __future__ import annotations

import itertools
import json
import threading
from dataclasses import asdict, dataclass, replace
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from collections.abc import Mapping
    from pathlib import Path

ADDRESS_PREFIX = "smtp-contract+"


class Namespace:
    """Hands out addresses unique to one run.

    Args:
        run_id: Distinguishes this run from every other.
        email_domain: Domain of the addresses.
    """

    def __init__(self, run_id: str, email_domain: str) -> None:
        self.run_id = run_id
        self.email_domain = email_domain
        self._counter = itertools.count(1)
        self._lock = threading.Lock()

    @property
    def password_marker(self) -> str:
        """Prefix of every password this run generates.

        An echo of one is found in one pass and is never a coincidence.
        """
        return f"pw{self.run_id}"

    def fresh_address(self) -> str:
        """Return an address no earlier request of this run used."""
        with self._lock:
            number = next(self._counter)
        return f"{ADDRESS_PREFIX}{self.run_id}-{number}@{self.email_domain}"

    def owns(self, address: str) -> bool:
        """Whether an address (in any letter case) belongs to this run."""
        return address.casefold().startswith(
            f"{ADDRESS_PREFIX}{self.run_id}-".casefold()
        )


SENDER = "sender"
CONFIGURATION = "configuration"


@dataclass(frozen=True, slots=True)
class Created:
    """One sender (its configuration went with it) or configuration a run created.

    Attributes:
        kind: `sender`, or `configuration` for one made by
            `createSmtpConfiguration` (then `id` is the configuration's and
            `email_address` is empty).
        configuration_deleted: The clean-up deleted the sender's
            configuration, but the target offers no way to delete the sender.
        refused: Why the target refused to delete it, when it did.
        undeletable: The target has no operation that deletes it.
    """

    id: str
    configuration_id: str
    email_address: str
    organization_id: str
    run_id: str
    created_at: str
    kind: str = SENDER
    configuration_deleted: bool = False
    refused: str = ""
    undeletable: bool = False


class Ledger:
    """Records created senders, appending each to a JSON-lines file as it goes.

    Args:
        path: The file, or None to keep the record in memory only.
        run_id: Written into every entry.
    """

    def __init__(self, path: Path | None, run_id: str) -> None:
        self.path = path
        self.run_id = run_id
        self.entries: list[Created] = []
        self._lock = threading.Lock()

    def record(
        self,
        sender_id: str,
        configuration_id: str,
        email: str,
        organization: str,
        *,
        kind: str = SENDER,
    ) -> None:
        """Add one created sender (or configuration, with `kind`)."""
        entry = Created(
            id=sender_id,
            configuration_id=configuration_id,
            email_address=email,
            organization_id=organization,
            run_id=self.run_id,
            created_at=datetime.now(UTC).isoformat(timespec="seconds"),
            kind=kind,
        )
        with self._lock:
            self.entries.append(entry)
            if self.path is not None:
                with self.path.open("a", encoding="utf-8") as file:
                    file.write(json.dumps(asdict(entry)) + "\n")

    def record_answer(self, sender: Mapping[str, Any], sent: Mapping[str, Any]) -> None:
        """Add a sender as a create returned it, falling back on what was sent.

        A query may select only the id, so the address and organization come
        from the request's variables (`sent`, with or without `input`).
        """
        variables = sent.get("input", sent)
        sent_configuration = variables.get("smtpConfiguration") or {}
        configuration = sender.get("smtpConfiguration") or {}
        self.record(
            str(sender.get("id")),
            str(configuration.get("id", "")),
            str(sender.get("emailAddress", variables.get("emailAddress"))),
            str(
                configuration.get(
                    "organizationId", sent_configuration.get("organizationId")
                )
            ),
        )

    def record_configuration(self, configuration_id: str, organization: str) -> None:
        """Add a configuration made by `createSmtpConfiguration`."""
        self.record(
            configuration_id, configuration_id, "", organization, kind=CONFIGURATION
        )

    def forget(self, entry_id: str) -> None:
        """Drop an entry once what it names was deleted."""
        with self._lock:
            self.entries = [entry for entry in self.entries if entry.id != entry_id]

    def note(self, entry_id: str, **changes: Any) -> None:
        """Record what the clean-up learned of an entry (`Created` fields)."""
        with self._lock:
            self.entries = [
                replace(entry, **changes) if entry.id == entry_id else entry
                for entry in self.entries
            ]

    def pending_deletes(self) -> int:
        """Deletes the clean-up may still send (one per object not yet gone)."""
        with self._lock:
            return sum(
                1
                for entry in self.entries
                if not (entry.configuration_deleted or entry.undeletable)
            )

    def senders_left(self) -> list[Created]:
        """The senders still on the target."""
        return [entry for entry in self.entries if entry.kind == SENDER]

    def configurations_left(self) -> list[Created]:
        """Entries whose configuration is still on the target."""
        return [entry for entry in self.entries if not entry.configuration_deleted]

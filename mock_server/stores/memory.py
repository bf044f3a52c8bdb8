"""The default store: a dict in the server process."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from mock_server.domain.senders import email_taken
from mock_server.stores._codec import Row, from_row, to_row

if TYPE_CHECKING:
    from mock_server.domain.senders import SmtpCustomEmail


_ORGANIZATION = 6  # where a row holds the organization id


class MemoryStore:
    """Keeps senders in memory; state ends with the process.

    Atomicity comes from asyncio: no method awaits between checking the
    uniqueness index and writing, so no other request can interleave. That is
    also why `--workers` > 1 is refused for this store.

    Senders are kept as flat rows (see `to_row`), which the garbage collector
    stops tracking, so that full collections do not grow with the store.
    """

    def __init__(self) -> None:
        self._senders: dict[str, Row] = {}
        # (organization, casefolded address) -> sender id: O(1) uniqueness.
        self._by_email: dict[tuple[str, str], str] = {}

    async def add(self, sender: SmtpCustomEmail) -> None:
        if sender.uniqueness_key in self._by_email:
            raise email_taken()
        self._save(sender)

    async def add_all(self, senders: Sequence[SmtpCustomEmail]) -> None:
        seen: set[tuple[str, str]] = set()
        for index, sender in enumerate(senders):
            key = sender.uniqueness_key
            if key in self._by_email or key in seen:
                raise email_taken(f"smtpCustomEmails[{index}].emailAddress")
            seen.add(key)
        for sender in senders:
            self._save(sender)

    async def get(self, sender_id: str) -> SmtpCustomEmail | None:
        row = self._senders.get(sender_id)
        return None if row is None else from_row(row)

    async def list_by_organization(self, organization_id: str) -> list[SmtpCustomEmail]:
        return [
            from_row(row)
            for row in self._senders.values()
            if row[_ORGANIZATION] == organization_id
        ]

    async def list_all(self) -> list[SmtpCustomEmail]:
        return [from_row(row) for row in self._senders.values()]

    async def delete(self, sender_id: str) -> bool:
        row = self._senders.pop(sender_id, None)
        if row is None:
            return False
        del self._by_email[from_row(row).uniqueness_key]
        return True

    async def clear(self) -> None:
        self._senders.clear()
        self._by_email.clear()

    def _save(self, sender: SmtpCustomEmail) -> None:
        self._senders[sender.id] = to_row(sender)
        self._by_email[sender.uniqueness_key] = sender.id


class MemoryBackend:
    """Per-session in-memory stores, in this process only."""

    name = "memory"

    def __init__(self) -> None:
        self._sessions: dict[str, MemoryStore] = {}

    def session(self, name: str) -> MemoryStore:
        """The session's store, created on first use."""
        store = self._sessions.get(name)
        if store is None:
            store = self._sessions[name] = MemoryStore()
        return store

    async def close(self) -> None:
        """Nothing to release."""

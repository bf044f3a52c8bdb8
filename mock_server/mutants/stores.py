"""Stores with a deliberate uniqueness bug, one per mutant."""

from __future__ import annotations

from typing import TYPE_CHECKING

from mock_server.domain.senders import email_taken
from mock_server.stores import MemoryStore
from mock_server.stores._codec import to_row

if TYPE_CHECKING:
    from mock_server.domain.senders import SmtpCustomEmail


class NoUniquenessStore(MemoryStore):
    async def add(self, sender: SmtpCustomEmail) -> None:
        self._save_without_index(sender)

    def _save_without_index(self, sender: SmtpCustomEmail) -> None:
        self._senders[sender.id] = to_row(sender)


class GlobalUniquenessStore(MemoryStore):
    async def add(self, sender: SmtpCustomEmail) -> None:
        address = sender.email_address.casefold()
        if any(s.email_address.casefold() == address for s in await self.list_all()):
            raise email_taken()
        await super().add(sender)


class DuplicateReplacesStore(MemoryStore):
    async def add(self, sender: SmtpCustomEmail) -> None:
        existing = self._by_email.get(sender.uniqueness_key)
        if existing is not None:
            # The first sender is overwritten, then the duplicate is refused.
            del self._senders[existing]
            self._senders[sender.id] = to_row(sender)
            self._by_email[sender.uniqueness_key] = sender.id
        await super().add(sender)


class CaseSensitiveStore(MemoryStore):
    async def add(self, sender: SmtpCustomEmail) -> None:
        key = (sender.configuration.organization_id, sender.email_address)
        if any(
            (s.configuration.organization_id, s.email_address) == key
            for s in await self.list_all()
        ):
            raise email_taken()
        self._senders[sender.id] = to_row(sender)

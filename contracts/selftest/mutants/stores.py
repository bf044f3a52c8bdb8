"""Stores with a deliberate uniqueness bug, one per mutant.

They implement the mock's public `Store` and `StoreBackend` interfaces from
scratch (a dict of senders), so the mock needs no hook for them: a mutant app
is `create_app(store=FlawedBackend(...))`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from mock_server.domain import email_taken

if TYPE_CHECKING:
    from collections.abc import Callable, Sequence

    from mock_server.domain import SmtpCustomEmail


class FlawedStore:
    """A store in a dict, faithful except for the rule `clashes` states.

    Subclasses override `clashes` (which senders may not coexist) or `add`.
    """

    def __init__(self) -> None:
        self._senders: dict[str, SmtpCustomEmail] = {}

    def clashes(self, first: SmtpCustomEmail, second: SmtpCustomEmail) -> bool:
        """Whether two senders break uniqueness (faithful: same org and address)."""
        return first.uniqueness_key == second.uniqueness_key

    def clash(self, sender: SmtpCustomEmail) -> SmtpCustomEmail | None:
        """The stored sender `sender` clashes with, if any."""
        return next(
            (s for s in self._senders.values() if self.clashes(s, sender)), None
        )

    async def add(self, sender: SmtpCustomEmail) -> None:
        if self.clash(sender) is not None:
            raise email_taken()
        self._senders[sender.id] = sender

    async def add_all(self, senders: Sequence[SmtpCustomEmail]) -> None:
        for index, sender in enumerate(senders):
            earlier = senders[:index]
            if self.clash(sender) or any(self.clashes(s, sender) for s in earlier):
                raise email_taken(f"smtpCustomEmails[{index}].emailAddress")
        self._senders.update((sender.id, sender) for sender in senders)

    async def get(self, sender_id: str) -> SmtpCustomEmail | None:
        return self._senders.get(sender_id)

    async def list_by_organization(self, organization_id: str) -> list[SmtpCustomEmail]:
        return [
            s
            for s in self._senders.values()
            if s.configuration.organization_id == organization_id
        ]

    async def list_all(self) -> list[SmtpCustomEmail]:
        return list(self._senders.values())

    async def delete(self, sender_id: str) -> bool:
        return self._senders.pop(sender_id, None) is not None

    async def clear(self) -> None:
        self._senders.clear()


class NoUniquenessStore(FlawedStore):
    def clashes(self, first: SmtpCustomEmail, second: SmtpCustomEmail) -> bool:
        return False


class GlobalUniquenessStore(FlawedStore):
    def clashes(self, first: SmtpCustomEmail, second: SmtpCustomEmail) -> bool:
        return first.email_address.casefold() == second.email_address.casefold()


class CaseSensitiveStore(FlawedStore):
    def clashes(self, first: SmtpCustomEmail, second: SmtpCustomEmail) -> bool:
        return (first.configuration.organization_id, first.email_address) == (
            second.configuration.organization_id,
            second.email_address,
        )


class DuplicateReplacesStore(FlawedStore):
    async def add(self, sender: SmtpCustomEmail) -> None:
        existing = self.clash(sender)
        if existing is not None:
            # The first sender is overwritten, then the duplicate is refused.
            del self._senders[existing.id]
            self._senders[sender.id] = sender
        await super().add(sender)


class FlawedBackend:
    """One flawed store per session (a `StoreBackend`).

    Args:
        store_factory: Makes the store of a new session.
    """

    name = "memory"

    def __init__(self, store_factory: Callable[[], FlawedStore]) -> None:
        self._factory = store_factory
        self._sessions: dict[str, FlawedStore] = {}

    def session(self, name: str) -> FlawedStore:
        """The session's store, created on first use."""
        if name not in self._sessions:
            self._sessions[name] = self._factory()
        return self._sessions[name]

    async def close(self) -> None:
        """Nothing to release."""

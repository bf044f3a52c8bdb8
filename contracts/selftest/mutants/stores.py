"""Stores with a deliberate uniqueness bug, one per mutant.

They implement the mock's public `Store` and `StoreBackend` interfaces over a
plain `MemoryStore`, so the mock needs no hook for them: a mutant app
is `create_app(store=FlawedBackend(...))`.
"""

from __future__ import annotations

import uuid
from dataclasses import replace
from typing import TYPE_CHECKING

from mock_server.domain import email_taken
from mock_server.stores import Deleted, MemoryStore

if TYPE_CHECKING:
    from collections.abc import Callable, Sequence

    from mock_server.domain import SmtpConfiguration, SmtpCustomEmail


class FlawedStore:
    """A store faithful except for the rule `clashes` states.

    The records live in a real `MemoryStore` under an address key that never
    clashes (the sender's id), and uniqueness is judged here instead, so the
    family's configurations (list, default, update, delete) behave as the
    mock's. Subclasses override `clashes` (which senders may not coexist) or
    `add`.
    """

    def __init__(self) -> None:
        self._inner = MemoryStore()
        # Sender id -> its real address key (stale ids are never looked up).
        self._keys: dict[str, str] = {}

    def clashes(self, first: SmtpCustomEmail, second: SmtpCustomEmail) -> bool:
        """Whether two senders break uniqueness (faithful: same org and address)."""
        return first.uniqueness_key == second.uniqueness_key

    async def clash(self, sender: SmtpCustomEmail) -> SmtpCustomEmail | None:
        """The stored sender `sender` clashes with, if any."""
        stored = [
            replace(s, address_key=self._keys[s.id])
            for s in await self._inner.list_all()
        ]
        return next((s for s in stored if self.clashes(s, sender)), None)

    async def add(self, sender: SmtpCustomEmail) -> SmtpCustomEmail:
        if await self.clash(sender) is not None:
            raise email_taken()
        return await self.save_unchecked(sender)

    async def add_all(self, senders: Sequence[SmtpCustomEmail]) -> None:
        for index, sender in enumerate(senders):
            earlier = senders[:index]
            if await self.clash(sender) or any(
                self.clashes(s, sender) for s in earlier
            ):
                raise email_taken(f"smtpCustomEmails[{index}].emailAddress")
        for sender in senders:
            await self.save_unchecked(sender)

    async def save_unchecked(self, sender: SmtpCustomEmail) -> SmtpCustomEmail:
        """Save a sender without judging uniqueness (for subclasses' flaws)."""
        self._keys[sender.id] = sender.uniqueness_key[1]
        return await self._inner.add(replace(sender, address_key=sender.id))

    async def get(self, sender_id: str) -> SmtpCustomEmail | None:
        return await self._inner.get(sender_id)

    async def list_by_organization(self, organization_id: str) -> list[SmtpCustomEmail]:
        return await self._inner.list_by_organization(organization_id)

    async def list_all(self) -> list[SmtpCustomEmail]:
        return await self._inner.list_all()

    async def delete(self, sender_id: str) -> bool:
        return await self._inner.delete(sender_id)

    async def clear(self) -> None:
        await self._inner.clear()

    async def add_configuration(
        self, configuration: SmtpConfiguration, *, make_default: bool | None
    ) -> SmtpConfiguration:
        return await self._inner.add_configuration(
            configuration, make_default=make_default
        )

    async def get_configuration(
        self, configuration_id: str
    ) -> SmtpConfiguration | None:
        return await self._inner.get_configuration(configuration_id)

    async def update_configuration(
        self, configuration: SmtpConfiguration, *, default: bool | None
    ) -> SmtpConfiguration | None:
        return await self._inner.update_configuration(configuration, default=default)

    async def delete_configuration(
        self, configuration_id: str, *, cascade: bool
    ) -> Deleted:
        return await self._inner.delete_configuration(configuration_id, cascade=cascade)

    async def list_configurations(
        self, organization_id: str
    ) -> list[SmtpConfiguration]:
        return await self._inner.list_configurations(organization_id)


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
    async def add(self, sender: SmtpCustomEmail) -> SmtpCustomEmail:
        existing = await self.clash(sender)
        if existing is not None:
            # The first sender is overwritten, then the duplicate is refused.
            await self.delete(existing.id)
            await self.save_unchecked(sender)
        return await super().add(sender)


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


# --- the documented configuration operations (#25) --------------------------


class UpdateReseals(FlawedStore):
    """Every update stores a new `encryptedPassword`, even with no password sent."""

    async def update_configuration(
        self, configuration: SmtpConfiguration, *, default: bool | None
    ) -> SmtpConfiguration | None:
        token = f"sealed:v1:{uuid.uuid4().hex}"
        resealed = replace(configuration, encrypted_password=token)
        return await super().update_configuration(resealed, default=default)


class DeleteUnknownSucceeds(FlawedStore):
    """Deleting an id that does not exist reports a deletion."""

    async def delete_configuration(
        self, configuration_id: str, *, cascade: bool
    ) -> Deleted:
        await super().delete_configuration(configuration_id, cascade=cascade)
        return Deleted.DELETED


class DeleteKeeps(FlawedStore):
    """A delete answers success but the configuration stays (a soft delete)."""

    async def delete_configuration(
        self, configuration_id: str, *, cascade: bool
    ) -> Deleted:
        found = await self.get_configuration(configuration_id)
        return Deleted.NOT_FOUND if found is None else Deleted.DELETED


class SendersConfigurationsUnlisted(FlawedStore):
    """The list holds only configurations made on their own, not senders'."""

    async def list_configurations(
        self, organization_id: str
    ) -> list[SmtpConfiguration]:
        senders = await self.list_by_organization(organization_id)
        theirs = {sender.configuration.id for sender in senders}
        listed = await super().list_configurations(organization_id)
        return [c for c in listed if c.id not in theirs]


class EveryConfigurationDefault(FlawedStore):
    """Every configuration reads as its organization's default."""

    async def list_configurations(
        self, organization_id: str
    ) -> list[SmtpConfiguration]:
        listed = await super().list_configurations(organization_id)
        return [replace(c, default_smtp=True) for c in listed]

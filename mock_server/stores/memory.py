"""The default store: dicts in the server process."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from typing import TYPE_CHECKING

from mock_server.domain.senders import email_taken
from mock_server.stores._codec import (
    ConfigurationRow,
    Row,
    from_configuration_row,
    from_row,
    to_configuration_row,
    to_row,
)
from mock_server.stores.base import Deleted

if TYPE_CHECKING:
    from mock_server.domain.configurations import SmtpConfiguration
    from mock_server.domain.senders import SmtpCustomEmail


_ORGANIZATION = 6  # where a row holds the organization id


class MemoryStore:
    """Keeps senders and configurations in memory; state ends with the process.

    Atomicity comes from asyncio: no method awaits between checking the
    uniqueness index and writing, so no other request can interleave. That is
    also why `--workers` > 1 is refused for this store.

    Records are kept as flat rows (see `to_row`), which the garbage collector
    stops tracking, so that full collections do not grow with the store.
    """

    def __init__(self) -> None:
        self._senders: dict[str, Row] = {}
        # (organization, casefolded address) -> sender id: O(1) uniqueness.
        self._by_email: dict[tuple[str, str], str] = {}
        # Configuration id -> its row, or the id of the sender holding it.
        self._configurations: dict[str, ConfigurationRow | str] = {}
        # Organization -> its configuration ids, oldest first (a dict keeps order).
        self._by_organization: dict[str, dict[str, None]] = {}
        self._defaults: dict[str, str] = {}

    async def add(self, sender: SmtpCustomEmail) -> SmtpCustomEmail:
        if sender.uniqueness_key in self._by_email:
            raise email_taken()
        return self._save(sender)

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
        return None if row is None else self._sender(row)

    async def list_by_organization(self, organization_id: str) -> list[SmtpCustomEmail]:
        return [
            self._sender(row)
            for row in self._senders.values()
            if row[_ORGANIZATION] == organization_id
        ]

    async def list_all(self) -> list[SmtpCustomEmail]:
        return [self._sender(row) for row in self._senders.values()]

    async def delete(self, sender_id: str) -> bool:
        row = self._senders.pop(sender_id, None)
        if row is None:
            return False
        sender = from_row(row)
        del self._by_email[sender.uniqueness_key]
        self._forget_configuration(sender.configuration)
        return True

    async def clear(self) -> None:
        self._senders.clear()
        self._by_email.clear()
        self._configurations.clear()
        self._by_organization.clear()
        self._defaults.clear()

    async def add_configuration(
        self, configuration: SmtpConfiguration, *, make_default: bool | None
    ) -> SmtpConfiguration:
        self._configurations[configuration.id] = to_configuration_row(configuration)
        return self._index(configuration, make_default=make_default)

    async def get_configuration(
        self, configuration_id: str
    ) -> SmtpConfiguration | None:
        entry = self._configurations.get(configuration_id)
        if entry is None:
            return None
        if isinstance(entry, str):
            return self._sender(self._senders[entry]).configuration
        return self._configuration(entry)

    async def update_configuration(
        self, configuration: SmtpConfiguration, *, default: bool | None
    ) -> SmtpConfiguration | None:
        entry = self._configurations.get(configuration.id)
        if entry is None:
            return None
        if isinstance(entry, str):
            sender = from_row(self._senders[entry])
            self._senders[entry] = to_row(replace(sender, configuration=configuration))
        else:
            self._configurations[configuration.id] = to_configuration_row(configuration)
        organization = configuration.organization_id
        if default:
            self._defaults[organization] = configuration.id
        elif default is False and self._defaults.get(organization) == configuration.id:
            del self._defaults[organization]
        return await self.get_configuration(configuration.id)

    async def delete_configuration(
        self, configuration_id: str, *, cascade: bool
    ) -> Deleted:
        entry = self._configurations.get(configuration_id)
        if entry is None:
            return Deleted.NOT_FOUND
        if isinstance(entry, str):
            if not cascade:
                return Deleted.IN_USE
            await self.delete(entry)
            return Deleted.DELETED
        self._forget_configuration(self._configuration(entry))
        return Deleted.DELETED

    async def list_configurations(
        self, organization_id: str
    ) -> list[SmtpConfiguration]:
        ids = self._by_organization.get(organization_id, {})
        found = [await self.get_configuration(i) for i in ids]
        return [configuration for configuration in found if configuration]

    def _save(self, sender: SmtpCustomEmail) -> SmtpCustomEmail:
        self._senders[sender.id] = to_row(sender)
        self._by_email[sender.uniqueness_key] = sender.id
        self._configurations[sender.configuration.id] = sender.id
        configuration = self._index(sender.configuration, make_default=None)
        if configuration.default_smtp:
            return replace(sender, configuration=configuration)
        return sender

    def _index(
        self, configuration: SmtpConfiguration, *, make_default: bool | None
    ) -> SmtpConfiguration:
        organization = configuration.organization_id
        self._by_organization.setdefault(organization, {})[configuration.id] = None
        if make_default or (
            make_default is None and organization not in self._defaults
        ):
            self._defaults[organization] = configuration.id
            return replace(configuration, default_smtp=True)
        return configuration

    def _forget_configuration(self, configuration: SmtpConfiguration) -> None:
        organization = configuration.organization_id
        self._configurations.pop(configuration.id, None)
        self._by_organization.get(organization, {}).pop(configuration.id, None)
        if self._defaults.get(organization) == configuration.id:
            del self._defaults[organization]

    def _is_default(self, configuration_id: str, organization_id: str) -> bool:
        return self._defaults.get(organization_id) == configuration_id

    def _sender(self, row: Row) -> SmtpCustomEmail:
        default = self._is_default(row[3], row[6])
        return from_row(row, default_smtp=default)

    def _configuration(self, row: ConfigurationRow) -> SmtpConfiguration:
        default = self._is_default(row[0], row[3])
        return from_configuration_row(row, default_smtp=default)


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

"""The interface every store implements; it knows the domain, not GraphQL."""

from __future__ import annotations

import enum
from collections.abc import Sequence
from typing import TYPE_CHECKING, Protocol, runtime_checkable

if TYPE_CHECKING:
    from mock_server.domain.configurations import SmtpConfiguration
    from mock_server.domain.senders import SmtpCustomEmail


class Deleted(enum.Enum):
    """What `Store.delete_configuration` did."""

    DELETED = "deleted"
    NOT_FOUND = "not-found"
    IN_USE = "in-use"
    """A sender uses it and `cascade` was false: nothing was deleted."""


class Store(Protocol):
    """Where senders and SMTP configurations live.

    Every write is one atomic step: `add` and `add_all` check uniqueness and
    save together, so N simultaneous identical creates leave exactly one
    sender. A sender's configuration is one of its organization's
    configurations. Each organization has at most one default configuration,
    kept by the store (not in the records), so moving it is one write; an
    organization without a default gets the next configuration saved.
    """

    async def add(self, sender: SmtpCustomEmail) -> SmtpCustomEmail:
        """Save a sender and its configuration together.

        Returns:
            The sender as stored: its configuration's `default_smtp` is set
            when it became the organization's default.

        Raises:
            EmailTaken: the address exists in the organization; nothing is saved.
        """

    async def add_all(self, senders: Sequence[SmtpCustomEmail]) -> None:
        """Save every sender, or none of them.

        Raises:
            EmailTaken: an address exists already or twice in `senders`; its
                problem's field names the item's index. Nothing is saved.
        """

    async def get(self, sender_id: str) -> SmtpCustomEmail | None:
        """Return the sender with this id, if any."""

    async def list_by_organization(self, organization_id: str) -> list[SmtpCustomEmail]:
        """Return the organization's senders, oldest first."""

    async def list_all(self) -> list[SmtpCustomEmail]:
        """Return every sender, oldest first."""

    async def delete(self, sender_id: str) -> bool:
        """Delete a sender with its configuration; return whether it existed."""

    async def clear(self) -> None:
        """Delete everything."""

    async def add_configuration(
        self, configuration: SmtpConfiguration, *, make_default: bool | None
    ) -> SmtpConfiguration:
        """Save a configuration of no sender.

        It becomes its organization's default when `make_default` is true, or
        when it is None and the organization has no default yet.

        Returns:
            The configuration as stored, `default_smtp` set.
        """

    async def get_configuration(
        self, configuration_id: str
    ) -> SmtpConfiguration | None:
        """The configuration with this id (a sender's or not), if any."""

    async def update_configuration(
        self, configuration: SmtpConfiguration, *, default: bool | None
    ) -> SmtpConfiguration | None:
        """Replace the stored configuration of the same id.

        Args:
            configuration: The new values; its organization is unchanged.
            default: True makes it the default; False leaves the
                organization without a default if it was; None keeps it.

        Returns:
            The configuration as stored, or None when it no longer exists.
        """

    async def delete_configuration(
        self, configuration_id: str, *, cascade: bool
    ) -> Deleted:
        """Delete a configuration; with `cascade`, a sender using it goes too."""

    async def list_configurations(
        self, organization_id: str
    ) -> list[SmtpConfiguration]:
        """The organization's configurations, oldest first, `default_smtp` set."""


class StoreBackend(Protocol):
    """A place that keeps one isolated `Store` per session."""

    name: str
    """Short name for messages: memory, sqlite, redis."""

    def session(self, name: str) -> Store:
        """The store of one session (created on first use)."""

    async def close(self) -> None:
        """Release connections."""


@runtime_checkable
class SharedSettings(Protocol):
    """A backend several processes share also keeps the mock's own settings.

    Used for fault-injection rules, so `--workers N` apply the same ones
    (#14). The memory backend has no such thing: one process, one copy.
    """

    async def get_setting(self, key: str) -> str | None:
        """The setting's text, or None when it was never set."""

    async def put_setting(self, key: str, value: str) -> None:
        """Replace the setting's text."""

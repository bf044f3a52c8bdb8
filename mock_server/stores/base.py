"""The interface every store implements; it knows the domain, not GraphQL."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Protocol, runtime_checkable

if TYPE_CHECKING:
    from mock_server.domain.senders import SmtpCustomEmail


class Store(Protocol):
    """Where senders live.

    `add` and `add_all` are the only writes that create data, and each checks
    uniqueness and saves in one atomic step, so N simultaneous identical creates
    leave exactly one sender.
    """

    async def add(self, sender: SmtpCustomEmail) -> None:
        """Save a sender and its configuration together.

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

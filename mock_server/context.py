"""What resolvers receive as `info.context`: the services of one running app."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from mock_server.ids import IdFactory
    from mock_server.stores import Store


@dataclass(frozen=True, slots=True)
class MockContext:
    """Services shared by every request of one app instance.

    Attributes:
        store: Where senders are kept.
        ids: Source of record ids (seeded under `--seed`).
    """

    store: Store
    ids: IdFactory

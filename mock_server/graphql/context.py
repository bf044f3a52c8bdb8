"""What resolvers receive as `info.context`: the caller's session store and ids."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from mock_server.domain.ids import IdFactory
    from mock_server.stores import Store


@dataclass(frozen=True, slots=True)
class MockContext:
    """What one request's resolvers work with.

    Attributes:
        store: The store of the request's session.
        ids: Source of record ids (seeded under `--seed`), shared by the app.
    """

    store: Store
    ids: IdFactory

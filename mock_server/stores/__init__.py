"""Stores: where the mock keeps senders. They know the domain, not GraphQL."""

from __future__ import annotations

from mock_server.stores.base import Deleted, Store, StoreBackend
from mock_server.stores.memory import MemoryBackend, MemoryStore
from mock_server.stores.urls import (
    MEMORY_URL,
    check_reachable,
    is_shared,
    open_backend,
)

__all__ = [
    "MEMORY_URL",
    "Deleted",
    "MemoryBackend",
    "MemoryStore",
    "Store",
    "StoreBackend",
    "check_reachable",
    "is_shared",
    "open_backend",
]

"""Stores: where the mock keeps senders. They know the domain, not GraphQL."""

from __future__ import annotations

from mock_server.stores.base import Store
from mock_server.stores.memory import MemoryStore

__all__ = ["MemoryStore", "Store"]

"""Choosing a store from a URL: `memory://`, `sqlite:///path.db`, `redis://host:port/db`."""

from __future__ import annotations

from typing import TYPE_CHECKING

from mock_server.errors import ConfigurationError

if TYPE_CHECKING:
    from mock_server.stores.base import StoreBackend

MEMORY_URL = "memory://"


def open_backend(url: str) -> StoreBackend:
    """Make the store a URL names (without connecting yet).

    Raises:
        ConfigurationError: the URL names no known store.
    """
    if url in (MEMORY_URL, "memory"):
        from mock_server.stores.memory import MemoryBackend

        return MemoryBackend()
    if url.startswith("sqlite:///") and len(url) > len("sqlite:///"):
        from mock_server.stores.sqlite import SqliteBackend

        return SqliteBackend(url.removeprefix("sqlite:///"))
    if url.startswith(("redis://", "rediss://", "unix://")):
        from mock_server.stores.redis import RedisBackend

        return RedisBackend(url)
    raise ConfigurationError(
        f"unknown store URL {url!r}: use memory://, sqlite:///path.db or "
        "redis://host:port/db"
    )


def is_shared(url: str) -> bool:
    """Whether several processes can serve one state from this store."""
    return not url.startswith("memory")


def check_reachable(url: str) -> None:
    """Connect once to the store a URL names, so a bad one fails at start.

    Raises:
        ConfigurationError: the URL names no known store.
        StoreUnavailable: the store cannot be reached.
    """
    backend = open_backend(url)
    if backend.name == "sqlite":
        from mock_server.stores.sqlite import SqliteBackend

        assert isinstance(backend, SqliteBackend)
        backend.connect()
        backend.disconnect()
    elif backend.name == "redis":
        import redis
        from redis.exceptions import RedisError

        from mock_server.errors import StoreUnavailable

        try:
            redis.Redis.from_url(url, socket_connect_timeout=2, socket_timeout=2).ping()
        except (RedisError, OSError) as exc:
            raise StoreUnavailable("redis", str(exc)) from exc

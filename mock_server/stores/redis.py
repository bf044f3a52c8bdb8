"""Redis: one state shared by several mock processes, on several hosts.

Each write is one Lua script, so checking the uniqueness key and saving the
sender happen atomically on the server, whichever process sends them.

Keys of a session, under `<prefix>:<session>:`:
    sender:<id>                 the sender as JSON
    email:<org>|<address>       the sender id holding that address (casefolded;
                                the separator is the unit separator, 0x1f)
    order                       sender ids, oldest first
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Sequence
from typing import TYPE_CHECKING, Any, TypeVar

import redis.asyncio as aioredis
from redis.exceptions import ConnectionError as RedisConnectionError, TimeoutError

from mock_server.domain.senders import email_taken
from mock_server.errors import StoreUnavailable
from mock_server.stores._codec import dumps, loads

if TYPE_CHECKING:
    from mock_server.domain.senders import SmtpCustomEmail

T = TypeVar("T")

# KEYS: email keys..., then sender keys..., then the order list.
# ARGV: ids..., then JSON records...  Returns 0, or the 1-based index of the
# first item whose address is taken (or repeated within the call).
_ADD_ALL = """
local n = #ARGV / 2
local seen = {}
for i = 1, n do
  if redis.call('EXISTS', KEYS[i]) == 1 or seen[KEYS[i]] then return i end
  seen[KEYS[i]] = true
end
for i = 1, n do
  redis.call('SET', KEYS[i], ARGV[i])
  redis.call('SET', KEYS[n + i], ARGV[n + i])
  redis.call('RPUSH', KEYS[2 * n + 1], ARGV[i])
end
return 0
"""

# KEYS: sender key, email key, order list; ARGV: id.
_DELETE = """
if redis.call('DEL', KEYS[1]) == 0 then return 0 end
if redis.call('GET', KEYS[2]) == ARGV[1] then redis.call('DEL', KEYS[2]) end
redis.call('LREM', KEYS[3], 0, ARGV[1])
return 1
"""


class RedisBackend:
    """Senders in Redis, one key space per session.

    Args:
        url: `redis://host:port/db`.
        prefix: First part of every key, so several mocks can share a server.
        timeout: Seconds before an unanswered call counts as unavailable.
    """

    name = "redis"

    def __init__(
        self, url: str, *, prefix: str = "smtp-mock", timeout: float = 2.0
    ) -> None:
        self.url = url
        self.prefix = prefix
        self._client = aioredis.Redis.from_url(
            url,
            socket_timeout=timeout,
            socket_connect_timeout=timeout,
            retry_on_timeout=False,
        )
        self.add_all_script = self._client.register_script(_ADD_ALL)
        self.delete_script = self._client.register_script(_DELETE)

    @property
    def client(self) -> aioredis.Redis:
        """The connection pool."""
        return self._client

    def session(self, name: str) -> RedisStore:
        """The store of one session."""
        return RedisStore(self, f"{self.prefix}:{name}:")

    async def close(self) -> None:
        """Close the connection pool."""
        await self._client.aclose()

    async def get_setting(self, key: str) -> str | None:
        """A setting every process sharing this server sees (see `SharedSettings`)."""
        value = await self.call(lambda: self._client.get(self._setting_key(key)))
        return None if value is None else _text(value)

    async def put_setting(self, key: str, value: str) -> None:
        """Replace a shared setting."""
        await self.call(lambda: self._client.set(self._setting_key(key), value))

    def _setting_key(self, key: str) -> str:
        # "|" is never in a session name (sessions.py), so no session's keys,
        # nor a session's reset (a scan of "<prefix>:<session>:*"), meet it.
        return f"{self.prefix}|settings|{key}"

    async def call(self, work: Callable[[], Awaitable[T]]) -> T:
        """Run one Redis call; an unreachable server becomes `StoreUnavailable`."""
        try:
            return await work()
        except (RedisConnectionError, TimeoutError, OSError) as exc:
            raise StoreUnavailable("redis", f"{_safe(self.url)}: {exc}") from exc


class RedisStore:
    """One session's view of a `RedisBackend`."""

    def __init__(self, backend: RedisBackend, namespace: str) -> None:
        self._backend = backend
        self._ns = namespace

    async def add(self, sender: SmtpCustomEmail) -> None:
        if await self._add_all([sender]):
            raise email_taken()

    async def add_all(self, senders: Sequence[SmtpCustomEmail]) -> None:
        conflict = await self._add_all(senders)
        if conflict:
            raise email_taken(f"smtpCustomEmails[{conflict - 1}].emailAddress")

    async def get(self, sender_id: str) -> SmtpCustomEmail | None:
        client = self._backend.client
        record = await self._backend.call(
            lambda: client.get(self._sender_key(sender_id))
        )
        return None if record is None else loads(record)

    async def list_by_organization(self, organization_id: str) -> list[SmtpCustomEmail]:
        return [
            sender
            for sender in await self.list_all()
            if sender.configuration.organization_id == organization_id
        ]

    async def list_all(self) -> list[SmtpCustomEmail]:
        client = self._backend.client

        async def read() -> list[Any]:
            ids = await client.lrange(self._ns + "order", 0, -1)
            if not ids:
                return []
            keys = [self._sender_key(_text(i)) for i in ids]
            return list(await client.mget(keys))

        return [loads(record) for record in await self._backend.call(read) if record]

    async def delete(self, sender_id: str) -> bool:
        sender = await self.get(sender_id)
        if sender is None:
            return False
        keys = [
            self._sender_key(sender_id),
            self._email_key(sender),
            self._ns + "order",
        ]
        script = self._backend.delete_script
        deleted = await self._backend.call(lambda: script(keys=keys, args=[sender_id]))
        return bool(deleted)

    async def clear(self) -> None:
        client = self._backend.client

        async def clear() -> None:
            keys = [key async for key in client.scan_iter(match=self._ns + "*")]
            if keys:
                await client.delete(*keys)

        await self._backend.call(clear)

    async def _add_all(self, senders: Sequence[SmtpCustomEmail]) -> int:
        keys = [self._email_key(s) for s in senders]
        keys += [self._sender_key(s.id) for s in senders]
        keys.append(self._ns + "order")
        args = [s.id for s in senders] + [dumps(s) for s in senders]
        script = self._backend.add_all_script
        return int(await self._backend.call(lambda: script(keys=keys, args=args)))

    def _sender_key(self, sender_id: str) -> str:
        return f"{self._ns}sender:{sender_id}"

    def _email_key(self, sender: SmtpCustomEmail) -> str:
        organization, address = sender.uniqueness_key
        return f"{self._ns}email:{organization}\x1f{address}"


def _safe(url: str) -> str:
    """The URL without a password, for messages."""
    if "@" not in url:
        return url
    scheme, _, rest = url.partition("://")
    return f"{scheme}://***@{rest.rpartition('@')[2]}"


def _text(value: bytes | str) -> str:
    return value.decode() if isinstance(value, bytes) else value

"""Redis: one state shared by several mock processes, on several hosts.

Each write is one Lua script, so checking the uniqueness key and saving the
sender happen atomically on the server, whichever process sends them.

Keys of a session, under `<prefix>:<session>:`:
    sender:<id>                 the sender as JSON
    email:<org>|<address>       the sender id holding that address (casefolded;
                                the separator is the unit separator, 0x1f)
    order                       sender ids, oldest first
    configuration:<id>          a configuration of no sender as JSON, or
                                `@<sender id>` for a sender's
    configurations:<org>        the organization's configuration ids, oldest first
    default:<org>               the id of the organization's default configuration
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Sequence
from dataclasses import replace
from typing import TYPE_CHECKING, TypeVar

import redis.asyncio as aioredis
from redis.exceptions import ConnectionError as RedisConnectionError, TimeoutError

from mock_server.domain.senders import email_taken
from mock_server.errors import StoreUnavailable
from mock_server.stores._codec import (
    dumps,
    dumps_configuration,
    loads,
    loads_configuration,
)
from mock_server.stores._redis_scripts import (
    ADD_ALL,
    ADD_CONFIGURATION,
    DELETE,
    DELETE_CONFIGURATION,
    UPDATE_CONFIGURATION,
)
from mock_server.stores.base import Deleted

if TYPE_CHECKING:
    from mock_server.domain.configurations import SmtpConfiguration
    from mock_server.domain.senders import SmtpCustomEmail

T = TypeVar("T")


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
        self.add_all_script = self._client.register_script(ADD_ALL)
        self.delete_script = self._client.register_script(DELETE)
        self.add_configuration_script = self._client.register_script(ADD_CONFIGURATION)
        self.update_configuration_script = self._client.register_script(
            UPDATE_CONFIGURATION
        )
        self.delete_configuration_script = self._client.register_script(
            DELETE_CONFIGURATION
        )

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

    async def add(self, sender: SmtpCustomEmail) -> SmtpCustomEmail:
        conflict, default = await self._add_all([sender])
        if conflict:
            raise email_taken()
        if not default:
            return sender
        return replace(
            sender, configuration=replace(sender.configuration, default_smtp=True)
        )

    async def add_all(self, senders: Sequence[SmtpCustomEmail]) -> None:
        conflict, _ = await self._add_all(senders)
        if conflict:
            raise email_taken(f"smtpCustomEmails[{conflict - 1}].emailAddress")

    async def get(self, sender_id: str) -> SmtpCustomEmail | None:
        found = await self._senders([sender_id])
        return found[0] if found else None

    async def list_by_organization(self, organization_id: str) -> list[SmtpCustomEmail]:
        return [
            sender
            for sender in await self.list_all()
            if sender.configuration.organization_id == organization_id
        ]

    async def list_all(self) -> list[SmtpCustomEmail]:
        client = self._backend.client
        ids = await self._backend.call(lambda: client.lrange(self._ns + "order", 0, -1))
        return await self._senders([_text(i) for i in ids])

    async def delete(self, sender_id: str) -> bool:
        sender = await self.get(sender_id)
        if sender is None:
            return False
        configuration = sender.configuration
        keys = [
            self._sender_key(sender_id),
            self._email_key(sender),
            self._ns + "order",
            self._configuration_key(configuration.id),
            self._list_key(configuration.organization_id),
            self._default_key(configuration.organization_id),
        ]
        script = self._backend.delete_script
        args = [sender_id, configuration.id]
        deleted = await self._backend.call(lambda: script(keys=keys, args=args))
        return bool(deleted)

    async def clear(self) -> None:
        client = self._backend.client

        async def clear() -> None:
            keys = [key async for key in client.scan_iter(match=self._ns + "*")]
            if keys:
                await client.delete(*keys)

        await self._backend.call(clear)

    async def add_configuration(
        self, configuration: SmtpConfiguration, *, make_default: bool | None
    ) -> SmtpConfiguration:
        organization = configuration.organization_id
        keys = [
            self._configuration_key(configuration.id),
            self._list_key(organization),
            self._default_key(organization),
        ]
        args = [
            configuration.id,
            dumps_configuration(configuration),
            {True: "1", False: "0", None: ""}[make_default],
        ]
        script = self._backend.add_configuration_script
        default = await self._backend.call(lambda: script(keys=keys, args=args))
        return replace(configuration, default_smtp=bool(default))

    async def get_configuration(
        self, configuration_id: str
    ) -> SmtpConfiguration | None:
        found = await self._configurations([configuration_id])
        return found[0] if found else None

    async def update_configuration(
        self, configuration: SmtpConfiguration, *, default: bool | None
    ) -> SmtpConfiguration | None:
        client = self._backend.client
        key = self._configuration_key(configuration.id)
        entry = await self._backend.call(lambda: client.get(key))
        if entry is None:
            return None
        pointer = _text(entry)
        if pointer.startswith("@"):
            sender = await self.get(pointer[1:])
            if sender is None:
                return None
            holder = self._sender_key(sender.id)
            record = dumps(replace(sender, configuration=configuration))
        else:
            holder, record, pointer = key, dumps_configuration(configuration), ""
        flag = {True: "1", False: "0", None: ""}[default]
        keys = [key, holder, self._default_key(configuration.organization_id)]
        args = [configuration.id, record, pointer, flag]
        script = self._backend.update_configuration_script
        if not await self._backend.call(lambda: script(keys=keys, args=args)):
            return None
        return await self.get_configuration(configuration.id)

    async def delete_configuration(
        self, configuration_id: str, *, cascade: bool
    ) -> Deleted:
        client = self._backend.client
        key = self._configuration_key(configuration_id)
        entry = await self._backend.call(lambda: client.get(key))
        if entry is None:
            return Deleted.NOT_FOUND
        pointer = _text(entry)
        if pointer.startswith("@"):
            if not cascade:
                return Deleted.IN_USE
            deleted = await self.delete(pointer[1:])
            return Deleted.DELETED if deleted else Deleted.NOT_FOUND
        organization = loads_configuration(pointer).organization_id
        keys = [key, self._list_key(organization), self._default_key(organization)]
        script = self._backend.delete_configuration_script
        args = [configuration_id]
        deleted = await self._backend.call(lambda: script(keys=keys, args=args))
        return Deleted.DELETED if deleted else Deleted.NOT_FOUND

    async def list_configurations(
        self, organization_id: str
    ) -> list[SmtpConfiguration]:
        client = self._backend.client
        key = self._list_key(organization_id)
        ids = await self._backend.call(lambda: client.lrange(key, 0, -1))
        return await self._configurations([_text(i) for i in ids])

    async def _add_all(self, senders: Sequence[SmtpCustomEmail]) -> tuple[int, int]:
        keys = [self._email_key(s) for s in senders]
        keys += [self._sender_key(s.id) for s in senders]
        keys.append(self._ns + "order")
        keys += [self._configuration_key(s.configuration.id) for s in senders]
        keys += [self._list_key(s.configuration.organization_id) for s in senders]
        keys += [self._default_key(s.configuration.organization_id) for s in senders]
        args = [s.id for s in senders] + [dumps(s) for s in senders]
        args += [s.configuration.id for s in senders]
        script = self._backend.add_all_script
        conflict, default = await self._backend.call(
            lambda: script(keys=keys, args=args)
        )
        return int(conflict), int(default)

    async def _senders(self, ids: list[str]) -> list[SmtpCustomEmail]:
        """The senders of these ids that exist, default flags filled in."""
        if not ids:
            return []
        client = self._backend.client
        keys = [self._sender_key(i) for i in ids]
        records = await self._backend.call(lambda: client.mget(keys))
        senders = [loads(record) for record in records if record]
        defaults = await self._defaults(
            {s.configuration.organization_id for s in senders}
        )
        return [
            replace(s, configuration=_flagged(s.configuration, defaults))
            for s in senders
        ]

    async def _configurations(self, ids: list[str]) -> list[SmtpConfiguration]:
        """The configurations of these ids that exist, default flags filled in."""
        if not ids:
            return []
        client = self._backend.client
        keys = [self._configuration_key(i) for i in ids]
        entries = [
            _text(e) for e in await self._backend.call(lambda: client.mget(keys)) if e
        ]
        owners = [e[1:] for e in entries if e.startswith("@")]
        by_owner = {s.id: s.configuration for s in await self._senders(owners)}
        found: list[SmtpConfiguration] = []
        for entry in entries:
            if entry.startswith("@"):
                if entry[1:] in by_owner:
                    found.append(by_owner[entry[1:]])
            else:
                found.append(loads_configuration(entry))
        defaults = await self._defaults({c.organization_id for c in found})
        return [_flagged(c, defaults) for c in found]

    async def _defaults(self, organizations: set[str]) -> dict[str, str]:
        if not organizations:
            return {}
        client = self._backend.client
        ordered = sorted(organizations)
        keys = [self._default_key(o) for o in ordered]
        values = await self._backend.call(lambda: client.mget(keys))
        return {o: _text(v) for o, v in zip(ordered, values, strict=True) if v}

    def _sender_key(self, sender_id: str) -> str:
        return f"{self._ns}sender:{sender_id}"

    def _email_key(self, sender: SmtpCustomEmail) -> str:
        organization, address = sender.uniqueness_key
        return f"{self._ns}email:{organization}\x1f{address}"

    def _configuration_key(self, configuration_id: str) -> str:
        return f"{self._ns}configuration:{configuration_id}"

    def _list_key(self, organization_id: str) -> str:
        return f"{self._ns}configurations:{organization_id}"

    def _default_key(self, organization_id: str) -> str:
        return f"{self._ns}default:{organization_id}"


def _flagged(
    configuration: SmtpConfiguration, defaults: dict[str, str]
) -> SmtpConfiguration:
    default = defaults.get(configuration.organization_id) == configuration.id
    return replace(configuration, default_smtp=default)


def _safe(url: str) -> str:
    """The URL without a password, for messages."""
    if "@" not in url:
        return url
    scheme, _, rest = url.partition("://")
    return f"{scheme}://***@{rest.rpartition('@')[2]}"


def _text(value: bytes | str) -> str:
    return value.decode() if isinstance(value, bytes) else value

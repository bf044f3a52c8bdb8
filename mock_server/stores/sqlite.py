"""A SQLite file: survives restarts, shared by `--workers` processes.

Uniqueness is a UNIQUE constraint on (session, organization, casefolded
address), checked by the same transaction that inserts both rows, so
simultaneous creates in several processes leave exactly one sender. The
standard library's sqlite3 runs in a worker thread, one connection per process.

`smtp_configurations` lists every configuration in creation order: a sender's
points at the sender (whose record holds it), one of no sender holds its own
record. `smtp_defaults` has one row per organization with a default, so "one
default per organization" is its primary key. A file written before these
tables existed gets its senders' configurations listed when it is opened.
"""

from __future__ import annotations

import asyncio
import sqlite3
import threading
from collections.abc import Callable, Sequence
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING, TypeVar

from mock_server.domain.senders import email_taken
from mock_server.errors import StoreUnavailable
from mock_server.stores._codec import (
    dumps,
    dumps_configuration,
    loads,
)
from mock_server.stores._sqlite_configurations import (
    configurations,
    default_if_none,
    forget_default,
    rewrite,
    set_default,
)
from mock_server.stores.base import Deleted

if TYPE_CHECKING:
    from mock_server.domain.configurations import SmtpConfiguration
    from mock_server.domain.senders import SmtpCustomEmail

T = TypeVar("T")

_SCHEMA = """
CREATE TABLE IF NOT EXISTS smtp_custom_emails (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    session TEXT NOT NULL,
    id TEXT NOT NULL,
    organization_id TEXT NOT NULL,
    email_key TEXT NOT NULL,
    record TEXT NOT NULL,
    UNIQUE (session, organization_id, email_key),
    UNIQUE (session, id)
);
CREATE INDEX IF NOT EXISTS smtp_custom_emails_by_org
    ON smtp_custom_emails (session, organization_id);
CREATE TABLE IF NOT EXISTS smtp_configurations (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    session TEXT NOT NULL,
    id TEXT NOT NULL,
    organization_id TEXT NOT NULL,
    sender_id TEXT,
    record TEXT,
    UNIQUE (session, id)
);
CREATE INDEX IF NOT EXISTS smtp_configurations_by_org
    ON smtp_configurations (session, organization_id);
CREATE TABLE IF NOT EXISTS smtp_defaults (
    session TEXT NOT NULL,
    organization_id TEXT NOT NULL,
    configuration_id TEXT NOT NULL,
    PRIMARY KEY (session, organization_id)
);
INSERT INTO smtp_configurations (session, id, organization_id, sender_id)
    SELECT e.session, json_extract(e.record, '$.configuration.id'),
           e.organization_id, e.id
    FROM smtp_custom_emails AS e
    WHERE NOT EXISTS (
        SELECT 1 FROM smtp_configurations AS c
        WHERE c.session = e.session AND c.sender_id = e.id
    )
    ORDER BY e.seq;
CREATE TABLE IF NOT EXISTS mock_settings (
    key TEXT PRIMARY KEY,
    value TEXT NOT NULL
);
"""


class SqliteBackend:
    """Senders in one SQLite file, one session per column value.

    Args:
        path: The database file (created when missing).
        timeout: Seconds to wait for another process's write lock.
    """

    name = "sqlite"

    def __init__(self, path: Path | str, *, timeout: float = 10.0) -> None:
        self.path = Path(path)
        self._timeout = timeout
        self._lock = threading.Lock()
        self._connection: sqlite3.Connection | None = None

    def session(self, name: str) -> SqliteStore:
        """The store of one session."""
        return SqliteStore(self, name)

    async def close(self) -> None:
        """Close this process's connection."""
        self.disconnect()

    def connect(self) -> None:
        """Open the file and create the table; fails fast on a bad path.

        Raises:
            StoreUnavailable: the file cannot be opened or written.
        """
        self.run(lambda connection: None)

    def disconnect(self) -> None:
        """Close this process's connection now (it reopens on next use)."""
        with self._lock:
            if self._connection is not None:
                self._connection.close()
                self._connection = None

    async def get_setting(self, key: str) -> str | None:
        """A setting every process on this file sees (see `SharedSettings`)."""

        def select(db: sqlite3.Connection) -> str | None:
            row = db.execute(
                "SELECT value FROM mock_settings WHERE key = ?", (key,)
            ).fetchone()
            return None if row is None else str(row[0])

        return await self.call(select)

    async def put_setting(self, key: str, value: str) -> None:
        """Replace a shared setting."""
        await self.call(
            lambda db: db.execute(
                "INSERT INTO mock_settings (key, value) VALUES (?, ?) "
                "ON CONFLICT (key) DO UPDATE SET value = excluded.value",
                (key, value),
            )
        )

    async def call(self, work: Callable[[sqlite3.Connection], T]) -> T:
        """Run `work` in a thread, inside one transaction."""
        return await asyncio.to_thread(self.run, work)

    def run(self, work: Callable[[sqlite3.Connection], T]) -> T:
        """Run `work` now, inside one transaction, holding the process's lock."""
        with self._lock:
            try:
                connection = self._open()
                with connection:
                    return work(connection)
            except sqlite3.IntegrityError:
                raise
            except (sqlite3.Error, OSError) as exc:
                self._connection = None
                raise StoreUnavailable("sqlite", f"{self.path}: {exc}") from exc

    def _open(self) -> sqlite3.Connection:
        if self._connection is None:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            connection = sqlite3.connect(
                self.path,
                timeout=self._timeout,
                isolation_level=None,
                check_same_thread=False,
            )
            connection.execute("PRAGMA journal_mode=WAL")
            connection.executescript(_SCHEMA)
            # Explicit transactions: BEGIN IMMEDIATE takes the write lock first.
            connection.isolation_level = "IMMEDIATE"
            self._connection = connection
        return self._connection


class SqliteStore:
    """One session's view of a `SqliteBackend`."""

    def __init__(self, backend: SqliteBackend, session: str) -> None:
        self._backend = backend
        self._session = session

    async def add(self, sender: SmtpCustomEmail) -> SmtpCustomEmail:
        try:
            default = await self._backend.call(lambda db: self._insert(db, sender))
        except sqlite3.IntegrityError as exc:
            raise email_taken() from exc
        if not default:
            return sender
        return replace(
            sender, configuration=replace(sender.configuration, default_smtp=True)
        )

    async def add_all(self, senders: Sequence[SmtpCustomEmail]) -> None:
        def insert_all(db: sqlite3.Connection) -> int | None:
            for index, sender in enumerate(senders):
                try:
                    self._insert(db, sender)
                except sqlite3.IntegrityError:
                    db.rollback()
                    return index
            return None

        conflict = await self._backend.call(insert_all)
        if conflict is not None:
            raise email_taken(f"smtpCustomEmails[{conflict}].emailAddress")

    async def get(self, sender_id: str) -> SmtpCustomEmail | None:
        rows = await self._select("e.id = ?", sender_id)
        return rows[0] if rows else None

    async def list_by_organization(self, organization_id: str) -> list[SmtpCustomEmail]:
        return await self._select("e.organization_id = ?", organization_id)

    async def list_all(self) -> list[SmtpCustomEmail]:
        return await self._select("1 = ?", 1)

    async def delete(self, sender_id: str) -> bool:
        return await self._backend.call(lambda db: self._delete_sender(db, sender_id))

    async def clear(self) -> None:
        def clear(db: sqlite3.Connection) -> None:
            for table in ("smtp_custom_emails", "smtp_configurations", "smtp_defaults"):
                db.execute(f"DELETE FROM {table} WHERE session = ?", (self._session,))

        await self._backend.call(clear)

    async def add_configuration(
        self, configuration: SmtpConfiguration, *, make_default: bool | None
    ) -> SmtpConfiguration:
        def insert(db: sqlite3.Connection) -> bool:
            db.execute(
                "INSERT INTO smtp_configurations "
                "(session, id, organization_id, record) VALUES (?, ?, ?, ?)",
                (
                    self._session,
                    configuration.id,
                    configuration.organization_id,
                    dumps_configuration(configuration),
                ),
            )
            if make_default:
                set_default(db, self._session, configuration)
                return True
            if make_default is None:
                return default_if_none(db, self._session, configuration)
            return False

        default = await self._backend.call(insert)
        return replace(configuration, default_smtp=default)

    async def get_configuration(
        self, configuration_id: str
    ) -> SmtpConfiguration | None:
        found = await self._backend.call(
            lambda db: configurations(db, self._session, "c.id = ?", configuration_id)
        )
        return found[0] if found else None

    async def update_configuration(
        self, configuration: SmtpConfiguration, *, default: bool | None
    ) -> SmtpConfiguration | None:
        def update(db: sqlite3.Connection) -> SmtpConfiguration | None:
            row = db.execute(
                "SELECT sender_id FROM smtp_configurations "
                "WHERE session = ? AND id = ?",
                (self._session, configuration.id),
            ).fetchone()
            if row is None:
                return None
            rewrite(db, self._session, configuration, row[0])
            if default:
                set_default(db, self._session, configuration)
            elif default is False:
                forget_default(db, self._session, configuration.id)
            found = configurations(db, self._session, "c.id = ?", configuration.id)
            return found[0] if found else None

        return await self._backend.call(update)

    async def delete_configuration(
        self, configuration_id: str, *, cascade: bool
    ) -> Deleted:
        def delete(db: sqlite3.Connection) -> Deleted:
            row = db.execute(
                "SELECT sender_id FROM smtp_configurations "
                "WHERE session = ? AND id = ?",
                (self._session, configuration_id),
            ).fetchone()
            if row is None:
                return Deleted.NOT_FOUND
            if row[0] is not None:
                if not cascade:
                    return Deleted.IN_USE
                self._delete_sender(db, row[0])
                return Deleted.DELETED
            db.execute(
                "DELETE FROM smtp_configurations WHERE session = ? AND id = ?",
                (self._session, configuration_id),
            )
            forget_default(db, self._session, configuration_id)
            return Deleted.DELETED

        return await self._backend.call(delete)

    async def list_configurations(
        self, organization_id: str
    ) -> list[SmtpConfiguration]:
        return await self._backend.call(
            lambda db: configurations(
                db, self._session, "c.organization_id = ?", organization_id
            )
        )

    def _insert(self, db: sqlite3.Connection, sender: SmtpCustomEmail) -> bool:
        organization, email_key = sender.uniqueness_key
        db.execute(
            "INSERT INTO smtp_custom_emails "
            "(session, id, organization_id, email_key, record) VALUES (?, ?, ?, ?, ?)",
            (self._session, sender.id, organization, email_key, dumps(sender)),
        )
        db.execute(
            "INSERT INTO smtp_configurations "
            "(session, id, organization_id, sender_id) VALUES (?, ?, ?, ?)",
            (self._session, sender.configuration.id, organization, sender.id),
        )
        return default_if_none(db, self._session, sender.configuration)

    def _delete_sender(self, db: sqlite3.Connection, sender_id: str) -> bool:
        cursor = db.execute(
            "DELETE FROM smtp_custom_emails WHERE session = ? AND id = ?",
            (self._session, sender_id),
        )
        if cursor.rowcount == 0:
            return False
        row = db.execute(
            "DELETE FROM smtp_configurations WHERE session = ? AND sender_id = ? "
            "RETURNING id",
            (self._session, sender_id),
        ).fetchone()
        if row is not None:
            forget_default(db, self._session, row[0])
        return True

    async def _select(self, condition: str, value: object) -> list[SmtpCustomEmail]:
        query = (
            "SELECT e.record, d.configuration_id FROM smtp_custom_emails AS e "
            "LEFT JOIN smtp_defaults AS d "
            "ON d.session = e.session AND d.organization_id = e.organization_id "
            f"WHERE e.session = ? AND {condition} ORDER BY e.seq"
        )

        def select(db: sqlite3.Connection) -> list[tuple[str, str | None]]:
            return list(db.execute(query, (self._session, value)))

        senders = []
        for record, default in await self._backend.call(select):
            sender = loads(record)
            if default == sender.configuration.id:
                sender = replace(
                    sender,
                    configuration=replace(sender.configuration, default_smtp=True),
                )
            senders.append(sender)
        return senders

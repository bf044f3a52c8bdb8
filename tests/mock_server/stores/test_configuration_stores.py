"""SMTP configurations in every store: memory, a real SQLite file, real Redis."""

from __future__ import annotations

import asyncio
import sqlite3
from dataclasses import replace

import pytest

from mock_server.domain.configurations import ConfigurationDraft, build_configuration
from mock_server.domain.ids import IdFactory
from mock_server.stores.base import Deleted
from mock_server.stores.sqlite import SqliteBackend
from tests.mock_server.stores.test_stores import backend, sender, store

pytestmark = pytest.mark.anyio
__all__ = ["backend", "store"]  # the fixtures, shared with the senders' suite

IDS = IdFactory()


def configuration(organization="org-1", host="h"):
    draft = ConfigurationDraft(
        host=host, port=25, organization_id=organization, ip_relay_auth=True
    )
    return build_configuration(draft, IDS, IDS)


async def test_the_first_configuration_of_an_organization_is_its_default(store):
    first = await store.add_configuration(configuration(), make_default=None)
    second = await store.add_configuration(configuration(), make_default=None)
    elsewhere = await store.add_configuration(configuration("org-2"), make_default=None)

    assert (first.default_smtp, second.default_smtp) == (True, False)
    assert elsewhere.default_smtp is True
    listed = await store.list_configurations("org-1")
    assert [(c.id, c.default_smtp) for c in listed] == [
        (first.id, True),
        (second.id, False),
    ]


async def test_a_senders_configuration_is_listed_and_can_be_the_default(store):
    created = await store.add(sender())
    other = await store.add_configuration(configuration(), make_default=None)

    assert created.configuration.default_smtp is True
    assert await store.get_configuration(created.configuration.id) == (
        created.configuration
    )
    listed = await store.list_configurations("org-1")
    assert [c.id for c in listed] == [created.configuration.id, other.id]


async def test_one_default_per_organization(store):
    created = await store.add(sender())
    moved = await store.add_configuration(configuration(), make_default=True)

    assert moved.default_smtp is True
    defaults = [c for c in await store.list_configurations("org-1") if c.default_smtp]
    assert defaults == [moved]
    assert (await store.get(created.id)).configuration.default_smtp is False

    back = await store.update_configuration(created.configuration, default=True)
    assert back.default_smtp is True
    assert (await store.get_configuration(moved.id)).default_smtp is False


async def test_make_default_false_never_takes_the_default(store):
    made = await store.add_configuration(configuration(), make_default=False)

    assert made.default_smtp is False
    assert not any(c.default_smtp for c in await store.list_configurations("org-1"))


async def test_update_replaces_a_configuration_and_a_senders(store):
    alone = await store.add_configuration(configuration(), make_default=None)
    created = await store.add(sender())

    changed = await store.update_configuration(
        replace(alone, host="new-host", port=2525), default=None
    )
    assert (changed.host, changed.port, changed.default_smtp) == (
        "new-host",
        2525,
        True,
    )
    await store.update_configuration(
        replace(created.configuration, host="sender-host"), default=None
    )
    assert (await store.get(created.id)).configuration.host == "sender-host"
    assert (
        await store.update_configuration(replace(alone, id="missing"), default=None)
        is None
    )


async def test_update_with_default_false_leaves_the_organization_without_one(store):
    first = await store.add_configuration(configuration(), make_default=None)

    cleared = await store.update_configuration(first, default=False)

    assert cleared.default_smtp is False
    taken = await store.add_configuration(configuration(), make_default=None)
    assert taken.default_smtp is True


async def test_delete_a_configuration(store):
    first = await store.add_configuration(configuration(), make_default=None)
    second = await store.add_configuration(configuration(), make_default=None)

    assert await store.delete_configuration(first.id, cascade=False) is Deleted.DELETED
    assert await store.delete_configuration(first.id, cascade=False) is (
        Deleted.NOT_FOUND
    )
    assert await store.get_configuration(first.id) is None
    assert await store.list_configurations("org-1") == [second]


async def test_deleting_a_senders_configuration_cascades_or_is_refused(store):
    created = await store.add(sender())
    configuration_id = created.configuration.id

    refused = await store.delete_configuration(configuration_id, cascade=False)
    assert refused is Deleted.IN_USE
    assert await store.get(created.id) is not None

    deleted = await store.delete_configuration(configuration_id, cascade=True)
    assert deleted is Deleted.DELETED
    assert await store.get(created.id) is None
    assert await store.list_configurations("org-1") == []
    await store.add(sender())  # the address is free again, and the new default
    assert [c.default_smtp for c in await store.list_configurations("org-1")] == [True]


async def test_deleting_a_sender_deletes_its_configuration(store):
    created = await store.add(sender())

    await store.delete(created.id)

    assert await store.get_configuration(created.configuration.id) is None
    assert await store.list_configurations("org-1") == []


async def test_clear_empties_the_configurations_too(store):
    await store.add(sender())
    await store.add_configuration(configuration(), make_default=None)

    await store.clear()

    assert await store.list_configurations("org-1") == []
    fresh = await store.add_configuration(configuration(), make_default=None)
    assert fresh.default_smtp is True


async def test_simultaneous_first_configurations_leave_one_default(store):
    made = await asyncio.gather(
        *(
            store.add_configuration(configuration(), make_default=None)
            for _ in range(20)
        )
    )

    assert sum(c.default_smtp for c in made) == 1
    listed = await store.list_configurations("org-1")
    assert sum(c.default_smtp for c in listed) == 1
    assert len(listed) == 20


async def test_sessions_keep_their_own_configurations(backend):
    alice, bob = backend.session("alice"), backend.session("bob")
    await alice.add_configuration(configuration(), make_default=None)

    assert await bob.list_configurations("org-1") == []


async def test_an_older_sqlite_file_lists_its_senders_configurations(tmp_path):
    path = tmp_path / "old.db"
    old = SqliteBackend(path)
    created = await old.session("default").add(sender())
    await old.close()
    # As a file written before configurations had their own table.
    with sqlite3.connect(path) as db:
        db.execute("DROP TABLE smtp_configurations")
        db.execute("DROP TABLE smtp_defaults")

    again = SqliteBackend(path)
    listed = await again.session("default").list_configurations("org-1")
    await again.close()

    assert [c.id for c in listed] == [created.configuration.id]

"""One suite for every store: memory, a real SQLite file, the real Redis server."""

from __future__ import annotations

import asyncio
import gc
import uuid
from collections.abc import AsyncIterator

import pytest

from mock_server import EmailTaken
from mock_server.domain.ids import IdFactory
from mock_server.domain.senders import ConfigurationDraft, SenderDraft, build_sender
from mock_server.errors import ConfigurationError, StoreUnavailable
from mock_server.stores import MemoryBackend, StoreBackend, open_backend
from mock_server.stores.redis import RedisBackend
from mock_server.stores.sqlite import SqliteBackend

pytestmark = pytest.mark.anyio

REDIS_URL = "redis://127.0.0.1:6379/0"
IDS = IdFactory()


def sender(email="a@example.com", organization="org-1", name="A"):
    return build_sender(
        SenderDraft(
            sender_name=name,
            email_address=email,
            configuration=ConfigurationDraft(
                host="h",
                port=25,
                organization_id=organization,
                username="u",
                password="p",
            ),
        ),
        IDS,
    )


@pytest.fixture(params=["memory", "sqlite", "redis"])
async def backend(request, tmp_path) -> AsyncIterator[StoreBackend]:
    if request.param == "memory":
        made: StoreBackend = MemoryBackend()
    elif request.param == "sqlite":
        made = SqliteBackend(tmp_path / "mock.db")
    else:
        made = RedisBackend(REDIS_URL, prefix=f"smtp-mock-test-{uuid.uuid4().hex}")
    yield made
    if isinstance(made, RedisBackend):
        keys = [key async for key in made.client.scan_iter(match=f"{made.prefix}:*")]
        if keys:
            await made.client.delete(*keys)
    await made.close()


@pytest.fixture
def store(backend):
    return backend.session("default")


async def test_add_get_list_delete(store):
    first = await store.add(sender())
    other_org = await store.add(sender(organization="org-2"))

    assert await store.get(first.id) == first
    assert await store.get("missing") is None
    assert await store.list_by_organization("org-1") == [first]
    assert await store.list_all() == [first, other_org]
    assert await store.delete(first.id) is True
    assert await store.delete(first.id) is False
    assert await store.list_all() == [other_org]


async def test_credentials_and_every_field_round_trip(store):
    created = await store.add(sender(name="Équipe 支持"))

    [stored] = await store.list_all()
    assert stored == created
    assert stored.configuration.password == "p"


async def test_uniqueness_is_per_organization_and_case_insensitive(store):
    await store.add(sender("a@example.com"))

    with pytest.raises(EmailTaken):
        await store.add(sender("A@EXAMPLE.com"))
    await store.add(sender("a@example.com", organization="org-2"))
    assert len(await store.list_all()) == 2


async def test_deleting_frees_the_address(store):
    first = sender()
    await store.add(first)
    await store.delete(first.id)

    await store.add(sender())


async def test_add_all_is_all_or_nothing(store):
    await store.add(sender("taken@example.com"))

    with pytest.raises(EmailTaken) as caught:
        await store.add_all([sender("new@example.com"), sender("taken@example.com")])
    assert caught.value.problems[0].field == "smtpCustomEmails[1].emailAddress"
    with pytest.raises(EmailTaken) as within:
        await store.add_all([sender("x@example.com"), sender("X@example.com")])
    assert within.value.problems[0].field == "smtpCustomEmails[1].emailAddress"

    assert [s.email_address for s in await store.list_all()] == ["taken@example.com"]
    await store.add_all([sender("new@example.com")])
    assert len(await store.list_all()) == 2


async def test_clear_empties_everything(store):
    await store.add(sender())
    await store.clear()

    assert await store.list_all() == []
    await store.add(sender())


async def test_sessions_are_isolated(backend):
    alice, bob = backend.session("alice"), backend.session("bob")
    await alice.add(sender())

    await bob.add(sender())  # the same address: another session
    assert len(await alice.list_all()) == 1
    await alice.clear()
    assert len(await bob.list_all()) == 1
    assert await alice.list_all() == []


async def test_simultaneous_identical_creates_leave_exactly_one(store):
    attempts = [sender("same@example.com") for _ in range(20)]

    results = await asyncio.gather(
        *(store.add(item) for item in attempts), return_exceptions=True
    )

    stored = [r for r in results if not isinstance(r, BaseException)]
    assert len(stored) == 1
    assert all(isinstance(r, EmailTaken) for r in results if r is not stored[0])
    assert len(await store.list_all()) == 1


async def test_sqlite_persists_across_restarts(tmp_path):
    path = tmp_path / "persist.db"
    first = SqliteBackend(path)
    created = await first.session("default").add(sender())
    await first.close()

    again = SqliteBackend(path)
    assert await again.session("default").list_all() == [created]
    await again.close()


async def test_unreachable_redis_is_store_unavailable():
    # Nothing listens on port 1.
    backend = RedisBackend("redis://127.0.0.1:1/0", timeout=0.5)

    with pytest.raises(StoreUnavailable, match="redis store is unavailable"):
        await backend.session("default").list_all()
    await backend.close()


def test_unusable_sqlite_path_is_store_unavailable(tmp_path):
    blocker = tmp_path / "file"
    blocker.write_text("not a directory")

    with pytest.raises(StoreUnavailable, match="sqlite"):
        SqliteBackend(blocker / "mock.db").connect()


@pytest.mark.parametrize(
    ("url", "kind"),
    [
        ("memory://", MemoryBackend),
        ("sqlite:///tmp/x.db", SqliteBackend),
        ("redis://127.0.0.1:6379/0", RedisBackend),
    ],
)
def test_store_urls(url, kind):
    assert isinstance(open_backend(url), kind)


@pytest.mark.parametrize("url", ["postgres://x", "sqlite:///", "nothing"])
def test_unknown_store_urls_are_refused(url):
    with pytest.raises(ConfigurationError, match="unknown store URL"):
        open_backend(url)


async def test_memory_adds_nothing_the_garbage_collector_must_walk():
    """Full collections must not grow with the store (they showed in p99)."""
    store = MemoryBackend().session("")
    gc.collect()
    before = len(gc.get_objects())
    for number in range(2_000):
        await store.add(sender(email=f"user{number}@example.com"))
    gc.collect()

    assert len(gc.get_objects()) - before < 100
    assert len(await store.list_all()) == 2_000

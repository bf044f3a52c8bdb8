"""Fault rules kept in a shared store reach every worker (#14)."""

from __future__ import annotations

import uuid

import pytest

from mock_server import create_app
from mock_server.stores.redis import RedisBackend
from mock_server.stores.sqlite import SqliteBackend
from mock_server.web.middleware.faults import Fault

pytestmark = pytest.mark.anyio

PROBE = {"query": "query Probe { __typename }"}
RULE = {"operation": "Probe", "status": 503, "retry_after": 7}


async def test_a_rule_posted_to_one_worker_fires_on_another(tmp_path, client_for):
    path = tmp_path / "shared.db"
    first = client_for(create_app(store=SqliteBackend(path)))
    second = client_for(create_app(store=SqliteBackend(path)))
    async with first, second:
        assert (await second.post("/graphql", json=PROBE)).status_code == 200

        posted = await first.post("/__mock/faults", json=[RULE])
        fired = await second.post("/graphql", json=PROBE)
        listed = await second.get("/__mock/faults")
        await second.delete("/__mock/faults")
        after = await first.post("/graphql", json=PROBE)

    assert posted.json() == {"faults": [RULE]}
    assert (fired.status_code, fired.headers["retry-after"]) == (503, "7")
    assert listed.json() == {"faults": [RULE]}
    assert after.status_code == 200


async def test_a_start_publishes_its_own_rules_and_forgets_older_ones(
    tmp_path, client_for
):
    path = tmp_path / "restart.db"
    async with client_for(create_app(store=SqliteBackend(path))) as old:
        await old.post("/__mock/faults", json=[RULE])
    # Lifespan startup, as uvicorn runs it in each worker.
    restarted = create_app(
        store=SqliteBackend(path), faults=[Fault(operation="Other", status=500)]
    )
    worker = create_app(store=SqliteBackend(path))
    async with (
        restarted.router.lifespan_context(restarted),
        client_for(worker) as client,
    ):
        listed = (await client.get("/__mock/faults")).json()["faults"]
        probe = await client.post("/graphql", json=PROBE)

    assert listed == [{"operation": "Other", "status": 500}]
    assert probe.status_code == 200


async def test_an_unreadable_store_answers_503_and_keeps_the_rules(
    tmp_path, client_for
):
    # A directory is no SQLite file: every read of the store fails.
    app = create_app(store=SqliteBackend(tmp_path))
    async with client_for(app) as client:
        posted = await client.post("/__mock/faults", json=[RULE])
        query = await client.post("/graphql", json=PROBE)

    assert posted.status_code == 503
    assert "unavailable" in posted.text.lower()
    assert query.status_code == 200  # no rules, and __typename reads no store


@pytest.mark.parametrize("kind", ["sqlite", "redis"])
async def test_settings_round_trip(tmp_path, kind):
    if kind == "sqlite":
        backend: SqliteBackend | RedisBackend = SqliteBackend(tmp_path / "s.db")
    else:
        prefix = f"smtp-mock-test-{uuid.uuid4().hex}"
        backend = RedisBackend("redis://127.0.0.1:6379/0", prefix=prefix)
    try:
        assert await backend.get_setting("faults") is None
        await backend.put_setting("faults", "[1]")
        await backend.put_setting("faults", "[2]")
        assert await backend.get_setting("faults") == "[2]"
        # A session's reset never touches the settings.
        await backend.session("default").clear()
        assert await backend.get_setting("faults") == "[2]"
    finally:
        if isinstance(backend, RedisBackend):
            await backend.client.delete(f"{backend.prefix}|settings|faults")
        await backend.close()

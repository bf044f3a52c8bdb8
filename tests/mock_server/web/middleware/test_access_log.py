from __future__ import annotations

import logging

import httpx
import pytest

from contracts.documented import MUTATION_FIELD, SCENARIO_A_VARIABLES
from mock_server import create_app
from mock_server.stores import MemoryBackend, MemoryStore
from mock_server.web.middleware.access_log import AccessLogMiddleware
from tests.helpers import create, scenario_a

pytestmark = pytest.mark.anyio

TOKEN = "log-test-token"


class _BrokenStore(MemoryStore):
    """A store with a bug: the way to prove bugs are reported, not leaked."""

    async def add(self, sender):
        raise RuntimeError("store bug")


class _BrokenBackend(MemoryBackend):
    def session(self, name):
        return _BrokenStore()


def access_lines(caplog):
    return [r.getMessage() for r in caplog.records if r.name == "mock_server.access"]


async def test_one_line_per_request_with_operation_outcome_and_latency(
    client_for, caplog
):
    caplog.set_level(logging.INFO, logger="mock_server")
    async with client_for(create_app(token=TOKEN)) as client:
        client.headers["authorization"] = f"Bearer {TOKEN}"
        await create(client, SCENARIO_A_VARIABLES)
        await create(client, scenario_a(port=0))
        await client.post("/graphql", json={"query": "{ nope }"})
        await client.post("/graphql", json={}, headers={"authorization": "Bearer no"})

    lines = access_lines(caplog)
    assert len(lines) == 4
    assert lines[0].startswith(
        "POST /graphql 200 op=CreateSmtpCustomEmailWithConfiguration outcome=OK "
    )
    assert lines[0].endswith("ms")
    assert "outcome=RECORD_INVALID" in lines[1]
    assert "200 op=- outcome=GRAPHQL_VALIDATION_FAILED" in lines[2]
    assert "401 op=- outcome=UNAUTHORIZED" in lines[3]


async def test_logs_never_contain_passwords_or_tokens(client_for, caplog):
    caplog.set_level(logging.DEBUG)
    async with client_for(create_app(token=TOKEN)) as client:
        client.headers["authorization"] = f"Bearer {TOKEN}"
        await create(client, SCENARIO_A_VARIABLES)
        await create(client, SCENARIO_A_VARIABLES)
        await create(client, scenario_a(host=None))

    assert caplog.records
    assert "s3cr3t-PA" not in caplog.text
    assert TOKEN not in caplog.text


async def test_expected_errors_are_logged_without_traceback(client, caplog):
    caplog.set_level(logging.DEBUG)
    await create(client, SCENARIO_A_VARIABLES)
    await create(client, SCENARIO_A_VARIABLES)

    assert all(record.exc_info is None for record in caplog.records)


async def test_a_bug_gets_a_clean_error_and_a_logged_traceback(client_for, caplog):
    caplog.set_level(logging.INFO, logger="mock_server")
    async with client_for(create_app(store=_BrokenBackend())) as client:
        response = await create(client, SCENARIO_A_VARIABLES)

    assert response.status_code == 200
    body = response.json()
    assert body["data"] == {MUTATION_FIELD: None}
    [entry] = body["errors"]
    assert entry["message"] == "Internal server error"
    assert entry["extensions"]["code"] == "INTERNAL_SERVER_ERROR"
    assert "store bug" not in response.text
    [bug] = [record for record in caplog.records if record.exc_info]
    assert entry["extensions"]["correlation_id"] in bug.getMessage()


async def test_latency_comes_from_the_injected_clock(caplog):
    caplog.set_level(logging.INFO, logger="mock_server.access")
    ticks = iter([10.0, 10.25])
    app = AccessLogMiddleware(create_app(), clock=lambda: next(ticks))

    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(
        transport=transport, base_url="http://localhost"
    ) as client:
        await client.get("/__mock/health")

    assert access_lines(caplog)[-1].endswith(" 250.0ms")


async def test_nothing_is_logged_when_info_is_off(client, caplog):
    caplog.set_level(logging.WARNING, logger="mock_server")
    await client.get("/__mock/health")

    assert access_lines(caplog) == []

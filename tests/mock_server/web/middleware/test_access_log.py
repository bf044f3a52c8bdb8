from __future__ import annotations

import contextlib
import io
import logging
import re
import time

import httpx
import pytest

from contracts.documented import MUTATION_FIELD, SCENARIO_A_VARIABLES
from mock_server import create_app
from mock_server.stores import MemoryBackend, MemoryStore
from mock_server.web.middleware.access_log import (
    AccessLineWriter,
    AccessLog,
    AccessLogMiddleware,
)
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


@pytest.fixture
def writer():
    """serve's writer as the access logger's one handler, as `serve` sets it."""
    from mock_server.serving import LOG_FORMAT, SecondCachingFormatter

    stream = io.StringIO()
    writer = AccessLineWriter(stream)
    writer.setFormatter(SecondCachingFormatter(LOG_FORMAT))
    access = logging.getLogger("mock_server.access")
    level, propagate = access.level, access.propagate
    access.addHandler(writer)
    access.setLevel(logging.INFO)
    access.propagate = False
    yield writer, stream
    access.removeHandler(writer)
    access.setLevel(level)
    access.propagate = propagate


@contextlib.contextmanager
def alone(handler):
    """The writer as the access logger's only handler.

    pytest attaches its capture handlers to every non-propagating logger
    while a test runs: with them, the logger gets records as usual.
    """
    access = logging.getLogger("mock_server.access")
    others = access.handlers[:]
    access.handlers = [handler]
    try:
        yield
    finally:
        access.handlers = others


def _line_parts(text):
    # "2026-01-01 12:00:00,123 INFO mock_server.access POST ..."
    stamp, _, rest = text.partition(" INFO ")
    return stamp, rest


async def test_serves_writer_writes_the_line_logging_would(writer, client_for, caplog):
    handler, stream = writer
    caplog.set_level(logging.INFO, logger="mock_server")
    async with client_for(create_app()) as client:
        before = time.time()
        with alone(handler):
            await create(client, SCENARIO_A_VARIABLES)
        handler.flush()

    [line] = stream.getvalue().splitlines()
    stamp, rest = _line_parts(line)
    assert rest.startswith(
        "mock_server.access POST /graphql 200 "
        "op=CreateSmtpCustomEmailWithConfiguration outcome=OK "
    )
    assert re.fullmatch(r"\d{4}-\d\d-\d\d \d\d:\d\d:\d\d,\d{3}", stamp)
    seconds = time.mktime(time.strptime(stamp[:19], "%Y-%m-%d %H:%M:%S"))
    assert before - 1 <= seconds <= time.time()
    # Handed to the writer, not to logging's other handlers.
    assert access_lines(caplog) == []


async def test_serves_writer_writes_records_logged_the_usual_way_in_order(writer):
    handler, stream = writer
    access = logging.getLogger("mock_server.access")
    access.propagate = True  # no longer the writer alone: records, as usual
    scope = {"method": "GET", "path": "/a", "state": {}}

    AccessLog().write(scope, 200, time.perf_counter())
    access.info("a line of %s", "its own")
    handler.flush()

    lines = [_line_parts(line)[1] for line in stream.getvalue().splitlines()]
    assert lines[0].startswith("mock_server.access GET /a 200 op=- outcome=- ")
    assert lines[1] == "mock_server.access a line of its own"


@pytest.mark.parametrize("change", ["logger filter", "handler filter", "level"])
async def test_a_writer_with_company_gets_records_not_parts(writer, change):
    handler, stream = writer
    access = logging.getLogger("mock_server.access")
    kept = logging.Filter()
    target = access if change == "logger filter" else handler
    if change == "level":
        handler.setLevel(logging.WARNING)
    else:
        target.addFilter(kept)
    try:
        with alone(handler):
            AccessLog().write({"method": "GET", "path": "/b"}, 404, time.perf_counter())
        handler.flush()
    finally:
        target.removeFilter(kept)

    written = stream.getvalue()
    assert ("GET /b 404" in written) is (change != "level")


def test_a_flush_with_nothing_handed_over_writes_nothing():
    stream = io.StringIO()

    AccessLineWriter(stream).flush()

    assert stream.getvalue() == ""


def test_a_broken_stream_or_formatter_never_fails_the_request(monkeypatch):
    class Broken(io.StringIO):
        def write(self, text):
            raise OSError("disk full")

    class Failing(logging.Formatter):
        def format(self, record):
            raise ValueError("bad format")

    errors: list[logging.LogRecord] = []
    writer = AccessLineWriter(Broken())
    monkeypatch.setattr(writer, "handleError", errors.append)
    record = logging.makeLogRecord({"msg": "line"})

    writer.emit(record)
    writer.flush()
    writer.setFormatter(Failing())
    writer.emit(record)

    assert [type(error) for error in errors] == [logging.LogRecord, logging.LogRecord]
    assert errors[1] is record

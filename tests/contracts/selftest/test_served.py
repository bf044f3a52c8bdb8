"""The servers of the self-test's over-HTTP runs: started, awaited, stopped."""

from __future__ import annotations

import multiprocessing
import os

import httpx
import pytest

from contracts.documented import DOCUMENTED_OPERATION
from contracts.selftest import served as serving
from contracts.selftest.mutants import SELFTEST_TOKEN
from contracts.selftest.served import (
    ServerDidNotStart,
    app_server,
    mock_server,
    served,
)
from tests.helpers import scenario_a

PORT_AS_NUMBER = "contracts.selftest.mutants.apps:port-as-number"


def answered_port(url: str) -> object:
    response = httpx.post(
        url,
        json={"query": DOCUMENTED_OPERATION, "variables": scenario_a()},
        headers={"authorization": f"Bearer {SELFTEST_TOKEN}"},
    )
    payload = response.json()["data"]["createSmtpCustomEmailWithConfiguration"]
    return payload["smtpCustomEmail"]["smtpConfiguration"]["port"]


def test_a_forked_mutant_server_serves_the_mutant_until_stopped():
    with served(app_server(PORT_AS_NUMBER, os.environ)) as url:
        port = answered_port(url)

    assert port == 587  # the mutant's deviation: a number
    with pytest.raises(httpx.TransportError):
        httpx.post(url, json={"query": "{ __typename }"}, timeout=2)


def test_without_a_fork_server_a_new_interpreter_serves_it(monkeypatch):
    # Windows has no fork: the same server, started by `spawn`.
    monkeypatch.setattr(multiprocessing, "get_all_start_methods", lambda: ["spawn"])

    with served(app_server(PORT_AS_NUMBER, os.environ)) as url:
        assert answered_port(url) == 587


def test_a_server_slow_to_stop_is_killed(monkeypatch):
    # No grace at all: whatever uvicorn's shutdown takes is too long.
    monkeypatch.setattr(serving, "STOP_TIMEOUT_S", 0.0)
    environment = {**os.environ, "SMTP_MOCK_TOKEN": SELFTEST_TOKEN}

    for start in (app_server(PORT_AS_NUMBER, os.environ), mock_server(environment)):
        with served(start) as url:
            httpx.post(url, json={"query": "{ __typename }"})

        with pytest.raises(httpx.TransportError):
            httpx.post(url, json={"query": "{ __typename }"}, timeout=2)


def test_a_server_that_exits_at_start_is_tried_three_times_then_reported():
    # An unknown store makes `smtp-mock serve` exit before it listens.
    environment = {**os.environ, "SMTP_MOCK_STORE": "nosuch://x"}

    with (
        pytest.raises(ServerDidNotStart, match="after 3 starts"),
        served(mock_server(environment)),
    ):
        pytest.fail("no server should have answered")


def test_a_server_that_never_answers_is_given_up_on(monkeypatch):
    monkeypatch.setattr(serving, "READY_TIMEOUT_S", 0.3)
    monkeypatch.setattr(serving, "START_ATTEMPTS", 1)
    # A mutant name the factory refuses: uvicorn exits, or never listens.
    with (
        pytest.raises(ServerDidNotStart),
        served(app_server("contracts.selftest.mutants.apps:no-such-mutant", {})),
    ):
        pytest.fail("no server should have answered")

"""Fault rules reach every worker when the store is shared (#14)."""

from __future__ import annotations

from pathlib import Path

import httpx
import pytest

from tests.e2e.conftest import TOKEN, Server, running_server

# Their subprocesses run code other tests measure (CONTRIBUTING.md, "Coverage").
pytestmark = pytest.mark.no_cover_subprocesses

# A database of its own, so no other Redis-backed mock meets these rules.
REDIS_URL = "redis://127.0.0.1:6379/11"
HEADERS = {"Authorization": f"Bearer {TOKEN}"}
PROBES = 30


def fresh_connection_post(server: Server, query: str) -> httpx.Response:
    # A new connection each time, so the workers take turns accepting.
    return httpx.post(server.url, json={"query": query}, headers=HEADERS, timeout=10)


def both_workers_answer(server: Server) -> bool:
    # Seeded workers hand out the same correlation ids in the same order, so
    # an id seen twice was handed out by two different workers.
    seen: set[str] = set()
    for _ in range(200):
        response = fresh_connection_post(server, "{ __typename }")
        correlation = response.headers["x-correlation-id"]
        if correlation in seen:
            return True
        seen.add(correlation)
    return False


@pytest.mark.parametrize("store", ["redis", "sqlite"])
def test_a_rule_set_through_one_worker_fires_on_every_worker(tmp_path: Path, store):
    url = REDIS_URL if store == "redis" else f"sqlite:///{tmp_path / 'faults.db'}"
    with running_server(
        tmp_path, "--store", url, "--workers", "2", env={"SMTP_MOCK_SEED": "3"}
    ) as server:
        faults_url = server.url.replace("/graphql", "/__mock/faults")
        assert both_workers_answer(server)

        rule = {"operation": "Probe", "status": 503, "retry_after": 7}
        assert httpx.post(faults_url, json=[rule], headers=HEADERS).status_code == 200
        throttled = [
            fresh_connection_post(server, "query Probe { __typename }")
            for _ in range(PROBES)
        ]
        listed = httpx.get(faults_url, headers=HEADERS).json()["faults"]
        assert httpx.delete(faults_url, headers=HEADERS).status_code == 200
        cleared = [
            fresh_connection_post(server, "query Probe { __typename }")
            for _ in range(PROBES)
        ]

    assert {(r.status_code, r.headers.get("retry-after")) for r in throttled} == {
        (503, "7")
    }
    assert listed == [rule]
    assert {r.status_code for r in cleared} == {200}

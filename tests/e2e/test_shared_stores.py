"""Shared state across processes: SQLite with two workers, Redis with two servers."""

from __future__ import annotations

import asyncio
import copy
import json
import subprocess
import sys
import uuid
from pathlib import Path
from typing import Any

import httpx
import pytest

from contracts.documented import DOCUMENTED_OPERATION, SCENARIO_A_VARIABLES
from tests.e2e.conftest import TOKEN, running_server
from tests.helpers import free_port

REDIS_URL = "redis://127.0.0.1:6379/0"
ATTEMPTS = 50


async def simultaneous_creates(urls: list[str], session: str) -> list[dict[str, Any]]:
    variables = copy.deepcopy(SCENARIO_A_VARIABLES)
    variables["emailAddress"] = f"race-{uuid.uuid4().hex[:8]}@acme.example"
    headers = {"Authorization": f"Bearer {TOKEN}", "X-Mock-Session": session}
    body = {"query": DOCUMENTED_OPERATION, "variables": variables}
    limits = httpx.Limits(max_connections=ATTEMPTS)
    async with httpx.AsyncClient(timeout=30, limits=limits) as client:
        responses = await asyncio.gather(
            *(
                client.post(urls[index % len(urls)], json=body, headers=headers)
                for index in range(ATTEMPTS)
            )
        )
    assert {response.status_code for response in responses} == {200}
    return [response.json() for response in responses]


def state(url: str, session: str) -> list[dict[str, Any]]:
    response = httpx.get(
        url.replace("/graphql", "/__mock/state"),
        headers={"Authorization": f"Bearer {TOKEN}", "X-Mock-Session": session},
    )
    senders: list[dict[str, Any]] = response.json()["smtpCustomEmails"]
    return senders


def assert_exactly_one_winner(results: list[dict[str, Any]]) -> None:
    winners = [body for body in results if "errors" not in body]
    losers = [body for body in results if "errors" in body]
    assert len(winners) == 1
    assert len(losers) == ATTEMPTS - 1
    assert {body["errors"][0]["message"] for body in losers} == {
        "Email address has already been taken in this organization"
    }


def test_sqlite_with_two_workers_keeps_uniqueness(tmp_path: Path):
    store = f"sqlite:///{tmp_path / 'shared.db'}"
    with running_server(tmp_path, "--store", store, "--workers", "2") as server:
        results = asyncio.run(simultaneous_creates([server.url], "race"))
        stored = state(server.url, "race")

    assert_exactly_one_winner(results)
    assert len(stored) == 1
    assert stored[0]["smtpConfiguration"]["id"]


def test_two_redis_backed_servers_share_one_state(tmp_path: Path):
    session = f"race-{uuid.uuid4().hex[:8]}"
    with (
        running_server(tmp_path, "--store", REDIS_URL) as first,
        running_server(tmp_path, "--store", REDIS_URL) as second,
    ):
        results = asyncio.run(simultaneous_creates([first.url, second.url], session))
        seen_by_first = state(first.url, session)
        seen_by_second = state(second.url, session)
        httpx.post(
            first.url.replace("/graphql", "/__mock/reset"),
            headers={"Authorization": f"Bearer {TOKEN}", "X-Mock-Session": session},
        )
        after_reset = state(second.url, session)

    assert_exactly_one_winner(results)
    assert len(seen_by_first) == 1
    assert seen_by_first == seen_by_second
    assert after_reset == []


def test_sqlite_state_survives_a_restart(tmp_path: Path):
    store = f"sqlite:///{tmp_path / 'persist.db'}"
    with running_server(tmp_path, "--store", store) as server:
        asyncio.run(simultaneous_creates([server.url], "default"))
    with running_server(tmp_path, "--store", store) as restarted:
        assert len(state(restarted.url, "default")) == 1


def test_workers_with_the_memory_store_are_refused():
    script = Path(sys.executable).with_name("smtp-mock")
    result = subprocess.run(
        [str(script), "serve", "--workers", "2", "--port", str(free_port())],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )

    assert result.returncode == 2
    assert "needs a shared store" in result.stderr


def test_an_unreachable_store_stops_the_server_at_start():
    script = Path(sys.executable).with_name("smtp-mock")
    result = subprocess.run(
        [str(script), "serve", "--store", "redis://127.0.0.1:1/0"],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )

    assert result.returncode == 2
    assert "redis store is unavailable" in result.stderr


@pytest.mark.no_cover  # measured by the other tests: see conftest.py
@pytest.mark.parametrize("store", ["sqlite", "redis"])
def test_the_contract_suite_passes_against_a_shared_store(tmp_path: Path, store):
    if store == "sqlite":
        args = ["--store", f"sqlite:///{tmp_path / 'contract.db'}", "--workers", "2"]
    else:
        args = ["--store", REDIS_URL]
    with running_server(tmp_path, *args) as server:
        script = Path(sys.executable).with_name("smtp-contract")
        result = subprocess.run(
            [
                str(script), "run", "--url", server.url, "--org", "980700673",
                "--other-org", "980700674", "--rps", "500",
                "--hypothesis-profile", "dev",
                "--cleanup", "--allow-leftovers",
                "--json-report", str(tmp_path / "verdicts.json"),
            ],
            capture_output=True,
            text=True,
            timeout=300,
            env={**_clean_env(), "SMTP_CONTRACT_TOKEN": TOKEN},
            check=False,
            cwd=tmp_path,
        )  # fmt: skip

    assert result.returncode == 0, result.stdout[-3000:] + result.stderr
    verdicts = (tmp_path / "verdicts.json").read_text()
    report = json.loads(verdicts)
    assert (report["exit_status"], report["failed"]) == (0, [])
    assert report["target"].startswith(f"target={server.url}")
    traffic = report["traffic"]
    assert traffic["requests_sent"] > 0
    # Numbers, not text: a CI job compares them without parsing.
    assert (traffic["throttled"], traffic["seconds_waited"]) == (0, 0.0)
    assert isinstance(traffic["seconds_waited"], float)
    assert TOKEN not in verdicts


def _clean_env() -> dict[str, str]:
    import os

    return {k: v for k, v in os.environ.items() if not k.startswith("SMTP_")}

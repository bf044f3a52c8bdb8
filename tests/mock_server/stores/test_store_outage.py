"""A store that goes away mid-run: 503 in the GraphQL shape, then recovery."""

from __future__ import annotations

import copy
import shutil
import subprocess
import time
from pathlib import Path

import httpx
import pytest

from contracts.documented import MUTATION_FIELD, SCENARIO_A_VARIABLES
from mock_server import create_app
from mock_server.stores.redis import RedisBackend
from tests.helpers import create, free_port

pytestmark = pytest.mark.anyio


class RedisProcess:
    """A private redis-server, so the test may stop and restart it."""

    def __init__(self, port: int, directory: Path) -> None:
        self.port = port
        self.directory = directory
        self.process: subprocess.Popen[bytes] | None = None

    def start(self) -> None:
        self.process = subprocess.Popen(
            [
                shutil.which("redis-server") or "redis-server",
                "--port", str(self.port), "--bind", "127.0.0.1", "--save", "",
                "--appendonly", "no", "--dir", str(self.directory),
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )  # fmt: skip
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            ping = subprocess.run(
                ["redis-cli", "-p", str(self.port), "ping"],
                capture_output=True,
                check=False,
            )
            if ping.stdout.strip() == b"PONG":
                return
            time.sleep(0.05)
        raise RuntimeError("redis-server did not start")

    def stop(self) -> None:
        if self.process is not None:
            self.process.terminate()
            self.process.wait(timeout=10)
            self.process = None


@pytest.fixture
def redis_process(tmp_path):
    process = RedisProcess(free_port(), tmp_path)
    process.start()
    yield process
    process.stop()


def variables(email):
    changed = copy.deepcopy(SCENARIO_A_VARIABLES)
    changed["emailAddress"] = email
    return changed


async def test_outage_gives_503_then_the_mock_recovers(redis_process, caplog):
    backend = RedisBackend(f"redis://127.0.0.1:{redis_process.port}/0", timeout=1.0)
    transport = httpx.ASGITransport(app=create_app(store=backend))
    async with httpx.AsyncClient(
        transport=transport, base_url="http://localhost"
    ) as client:
        before = await create(client, variables("before@acme.example"))
        redis_process.stop()
        during = await create(client, variables("during@acme.example"))
        state_during = await client.get("/__mock/state")
        redis_process.start()
        after = await create(client, variables("after@acme.example"))
        state_after = await client.get("/__mock/state")
    await backend.close()

    assert before.status_code == 200
    assert during.status_code == 503
    assert during.headers["retry-after"] == "1"
    body = during.json()
    assert body["data"] == {MUTATION_FIELD: None}
    [error] = body["errors"]
    assert error["extensions"]["code"] == "SERVICE_UNAVAILABLE"
    assert error["message"] == "The mock's store is unavailable; try again shortly"
    assert state_during.status_code == 503
    assert state_during.headers["retry-after"] == "1"
    assert after.status_code == 200
    assert "errors" not in after.json()
    # The restarted server is empty (it keeps nothing on disk): only "after".
    emails = [s["emailAddress"] for s in state_after.json()["smtpCustomEmails"]]
    assert emails == ["after@acme.example"]
    assert all(record.exc_info is None for record in caplog.records)

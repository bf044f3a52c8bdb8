from __future__ import annotations

import contextlib
import os
import re
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.helpers import free_port, healthy, stop

TOKEN = "e2e-token-0123"
READY_TIMEOUT_S = 20.0
LOG_TIMEOUT_S = 5.0


@dataclass
class Server:
    url: str
    token: str
    log_path: Path
    process: subprocess.Popen[bytes]

    def log(self) -> str:
        return self.log_path.read_text()

    def log_with(self, wanted: str, timeout: float = LOG_TIMEOUT_S) -> str:
        """The log once it matches the regex `wanted`, or as it is after `timeout`.

        The access line of a request is written after its response has gone
        out, so a client can hold the answer before the line is in the file.
        """
        deadline = time.monotonic() + timeout
        log = self.log()
        while not re.search(wanted, log) and time.monotonic() < deadline:
            time.sleep(0.05)
            log = self.log()
        return log


def wait_until_healthy(base_url: str, process: subprocess.Popen[bytes]) -> None:
    """Poll the health endpoint until it answers, within a bounded time."""
    deadline = time.monotonic() + READY_TIMEOUT_S
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"server exited early with code {process.returncode}")
        if healthy(base_url):
            return
        time.sleep(0.05)
    raise RuntimeError(f"server not healthy after {READY_TIMEOUT_S}s")


def smtp_mock_command() -> list[str]:
    script = Path(sys.executable).with_name("smtp-mock")
    return [str(script)]


@contextlib.contextmanager
def running_server(
    log_dir: Path,
    *args: str,
    env: dict[str, str] | None = None,
    host: str = "127.0.0.1",
) -> Iterator[Server]:
    """`smtp-mock serve ARGS` on a free port of `host`, stopped on exit."""
    port = free_port(host)
    log_path = log_dir / f"server-{port}.log"
    environment = {**os.environ, "SMTP_MOCK_TOKEN": TOKEN, **(env or {})}
    with log_path.open("wb") as log:
        process = subprocess.Popen(
            [*smtp_mock_command(), "serve", "--host", host, "--port", str(port), *args],
            stdout=log,
            stderr=subprocess.STDOUT,
            env=environment,
        )
    base_url = f"http://{host}:{port}"
    try:
        wait_until_healthy(base_url, process)
        yield Server(f"{base_url}/graphql", TOKEN, log_path, process)
    finally:
        stop(process)


@pytest.fixture(scope="session")
def server(tmp_path_factory) -> Iterator[Server]:
    """`smtp-mock serve` as a user starts it, on a free port, token from the env."""
    with running_server(
        tmp_path_factory.mktemp("e2e"), env={"SMTP_MOCK_SEED": "11"}
    ) as started:
        yield started

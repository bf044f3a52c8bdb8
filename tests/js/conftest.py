"""Real Node GraphQL servers for the no-false-alarm tests (issue #18).

`tests/js/servers/` holds independent implementations of the documented family
(the guide's mutation and the SMTP configuration create, update, delete and
list operations of `schema.graphql`) on Apollo Server 5 and GraphQL Yoga 5,
with each stack's defaults (versions pinned by its `package-lock.json`). The
fixtures install them once per lock file (`tests.js.npm`), start each as a
real process on a free 127.0.0.1 port, and stop them at the end of the session.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest

from tests.helpers import free_port, listening, stop
from tests.js.npm import node_project

SERVERS_DIR = Path(__file__).parent / "servers"
STACKS = ("apollo", "yoga")
TOKEN = "node-servers-token-0123"
VARIANTS: dict[str, dict[str, str]] = {
    "faithful": {},
    # One documented rule broken: `SmtpConfiguration.port` is an Int.
    "broken": {"SMTP_SERVER_BROKEN": "port-as-number"},
    # The server-stacks guide applied: coercion messages no longer quote values.
    "masked": {"SMTP_SERVER_MASK": "coercion"},
}
READY_TIMEOUT_S = 20.0
_MIN_NODE = 20


@dataclass(frozen=True, slots=True)
class NodeServer:
    """One running server: where it listens and how it was started."""

    stack: str
    variant: str
    url: str
    log_path: Path

    def log(self) -> str:
        return self.log_path.read_text(errors="replace")


def node_missing() -> str | None:
    """Why the Node servers cannot run here, or None when they can."""
    node, npm = shutil.which("node"), shutil.which("npm")
    if node is None or npm is None:
        return "Node.js and npm are not installed (needed for tests/js/servers)"
    version = subprocess.run(
        [node, "--version"], capture_output=True, text=True, check=False
    ).stdout.strip()
    major = version.lstrip("v").split(".")[0]
    if not major.isdigit() or int(major) < _MIN_NODE:
        return f"Node.js {_MIN_NODE}+ is needed for tests/js/servers, found {version!r}"
    return None


def wait_until_ready(url: str, process: subprocess.Popen[bytes], log: Path) -> None:
    """Poll the endpoint until it answers any HTTP status, within a bounded time."""
    deadline = time.monotonic() + READY_TIMEOUT_S
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(
                f"server exited early with code {process.returncode}:\n"
                + log.read_text(errors="replace")
            )
        if listening(url):
            try:
                httpx.post(url, json={"query": "{ __typename }"}, timeout=0.5)
            except httpx.TransportError:
                pass
            else:
                return
        time.sleep(0.05)
    raise RuntimeError(f"{url} not answering after {READY_TIMEOUT_S}s")


class ServerPool:
    """Starts each (stack, variant) server on first use; stops them all on close."""

    def __init__(self, log_dir: Path) -> None:
        self.log_dir = log_dir
        self._running: dict[tuple[str, str], NodeServer] = {}
        self._processes: list[subprocess.Popen[bytes]] = []

    def get(self, stack: str, variant: str = "faithful") -> NodeServer:
        key = (stack, variant)
        if key not in self._running:
            self._running[key] = self._start(stack, variant)
        return self._running[key]

    def _start(self, stack: str, variant: str) -> NodeServer:
        port = free_port()
        log_path = self.log_dir / f"{stack}-{variant}-{port}.log"
        # The stack's defaults as shipped: no NODE_ENV, so no production mode.
        env = {k: v for k, v in os.environ.items() if k != "NODE_ENV"}
        env.update(HOST="127.0.0.1", PORT=str(port), SMTP_SERVER_TOKEN=TOKEN)
        env.update(VARIANTS[variant])
        node = shutil.which("node")
        assert node is not None  # node_missing() ran first
        with log_path.open("wb") as log:
            process = subprocess.Popen(
                [node, f"{stack}.mjs"],
                cwd=SERVERS_DIR,
                stdout=log,
                stderr=subprocess.STDOUT,
                env=env,
            )
        self._processes.append(process)
        # Apollo's standalone server answers on any path, Yoga on /graphql.
        url = f"http://127.0.0.1:{port}/graphql"
        wait_until_ready(url, process, log_path)
        return NodeServer(stack, variant, url, log_path)

    def close(self) -> None:
        stop(*self._processes)


@pytest.fixture(scope="session")
def node_servers(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ServerPool]:
    """The Node servers, installed once and started on demand."""
    reason = node_missing()
    if reason is not None:
        pytest.skip(reason)
    node_project(SERVERS_DIR, "for the Apollo Server and GraphQL Yoga servers")
    pool = ServerPool(tmp_path_factory.mktemp("node-servers"))
    try:
        yield pool
    finally:
        pool.close()

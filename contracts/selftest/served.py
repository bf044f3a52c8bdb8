"""Mutants served over HTTP by a server process of their own.

Some bugs only show on a real server: requests interleaving across
connections, headers, status lines. `served` starts one process (uvicorn with
the mutant's app factory, or `smtp-mock serve` for the faithful mock) on a free
127.0.0.1 port and stops it afterwards; readiness is a bounded poll.
"""

from __future__ import annotations

import contextlib
import socket
import subprocess
import sys
import time
from pathlib import Path
from typing import TYPE_CHECKING

import httpx

if TYPE_CHECKING:
    from collections.abc import Iterator, Mapping

READY_TIMEOUT_S = 60.0
"""How long a server may take to answer its first request (a loaded machine)."""
START_ATTEMPTS = 3
"""A free port can be taken between the probe and the server's bind: retry."""


class ServerDidNotStart(RuntimeError):
    """The server process exited or stayed silent past `READY_TIMEOUT_S`."""


def server_command(factory: str | None) -> list[str]:
    """The command serving `module:factory`, or the faithful mock when None."""
    if factory is None:
        mock = str(Path(sys.executable).with_name("smtp-mock"))
        return [mock, "serve", "--log-level", "warning", "--no-admin"]
    return [
        sys.executable, "-m", "uvicorn", "--factory", factory,
        "--log-level", "warning", "--no-access-log",
    ]  # fmt: skip


@contextlib.contextmanager
def served(command: list[str], env: Mapping[str, str]) -> Iterator[str]:
    """Run `command --port P` on a free port; yield its GraphQL URL.

    Raises:
        ServerDidNotStart: after `START_ATTEMPTS` tries.
    """
    for _attempt in range(START_ATTEMPTS):
        port = _free_port()
        process = subprocess.Popen(
            [*command, "--port", str(port)],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            env=dict(env),
        )
        url = f"http://127.0.0.1:{port}/graphql"
        try:
            if _ready(url, port, process):
                yield url
                return
        finally:
            _stop(process)
    raise ServerDidNotStart(f"{' '.join(command)} did not start")


def _ready(url: str, port: int, process: subprocess.Popen[bytes]) -> bool:
    deadline = time.monotonic() + READY_TIMEOUT_S
    while time.monotonic() < deadline:
        if process.poll() is not None:
            return False
        # A refused connect costs next to nothing; an httpx request about
        # 25 ms of CPU, which polling a starting server every 50 ms paid
        # over and over.
        if _listening(port):
            with contextlib.suppress(httpx.TransportError):
                httpx.post(url, json={"query": "{ __typename }"}, timeout=1.0)
                return True
        time.sleep(0.05)
    return False


def _listening(port: int) -> bool:
    try:
        socket.create_connection(("127.0.0.1", port), timeout=1.0).close()
    except OSError:
        return False
    return True


def _stop(process: subprocess.Popen[bytes]) -> None:
    process.terminate()
    try:
        process.wait(timeout=10)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])

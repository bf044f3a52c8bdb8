"""Mutants served over HTTP by a server process of their own.

Some bugs only show on a real server: requests interleaving across
connections, headers, status lines. `served` starts one process on a free
127.0.0.1 port and stops it afterwards; readiness is a bounded poll. A mutant
is served by uvicorn in a process forked from the self-test's fork server
(`forked.serve_app`), which has done the heavy imports already; the faithful
mock is served by `smtp-mock serve` itself, as users run it.
"""

from __future__ import annotations

import contextlib
import socket
import subprocess
import sys
import time
from pathlib import Path
from typing import TYPE_CHECKING, Protocol

import httpx

from contracts.selftest.forked import serve_app

if TYPE_CHECKING:
    from collections.abc import Callable, Iterator, Mapping
    from multiprocessing.process import BaseProcess

READY_TIMEOUT_S = 60.0
"""How long a server may take to answer its first request (a loaded machine)."""
START_ATTEMPTS = 3
"""A free port can be taken between the probe and the server's bind: retry."""
STOP_TIMEOUT_S = 10.0
"""How long a server may take to stop after SIGTERM before it is killed."""


class ServerDidNotStart(RuntimeError):
    """The server process exited or stayed silent past `READY_TIMEOUT_S`."""


class Server(Protocol):
    """A server process started on a port."""

    def running(self) -> bool:
        """Whether the process has not exited yet."""

    def stop(self) -> None:
        """SIGTERM, then SIGKILL past `STOP_TIMEOUT_S`; returns once it exited."""


def mock_server(env: Mapping[str, str]) -> Callable[[int], Server]:
    """What starts the faithful mock, `smtp-mock serve`, on a given port."""
    mock = str(Path(sys.executable).with_name("smtp-mock"))

    def start(port: int) -> Server:
        command = [mock, "serve", "--log-level", "warning", "--no-admin",
                   "--port", str(port)]  # fmt: skip
        return _Subprocess(
            subprocess.Popen(
                command,
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
                env=dict(env),
            )
        )

    return start


def app_server(factory: str, env: Mapping[str, str]) -> Callable[[int], Server]:
    """What starts uvicorn serving the app factory `module:name` on a given port."""

    def start(port: int) -> Server:
        return _Forked(serve_app(factory, port, env))

    return start


@contextlib.contextmanager
def served(start: Callable[[int], Server]) -> Iterator[str]:
    """Start a server on a free port; yield its GraphQL URL; stop it.

    Raises:
        ServerDidNotStart: after `START_ATTEMPTS` tries.
    """
    for _attempt in range(START_ATTEMPTS):
        port = _free_port()
        server = start(port)
        url = f"http://127.0.0.1:{port}/graphql"
        try:
            if _ready(url, port, server):
                yield url
                return
        finally:
            server.stop()
    raise ServerDidNotStart(f"no server answered after {START_ATTEMPTS} starts")


def _ready(url: str, port: int, server: Server) -> bool:
    deadline = time.monotonic() + READY_TIMEOUT_S
    while time.monotonic() < deadline:
        if not server.running():
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


class _Subprocess:
    def __init__(self, process: subprocess.Popen[bytes]) -> None:
        self._process = process

    def running(self) -> bool:
        return self._process.poll() is None

    def stop(self) -> None:
        self._process.terminate()
        try:
            self._process.wait(timeout=STOP_TIMEOUT_S)
        except subprocess.TimeoutExpired:
            self._process.kill()
            self._process.wait()


class _Forked:
    def __init__(self, process: BaseProcess) -> None:
        self._process = process

    def running(self) -> bool:
        return self._process.is_alive()

    def stop(self) -> None:
        self._process.terminate()
        self._process.join(STOP_TIMEOUT_S)
        if self._process.is_alive():
            self._process.kill()
            self._process.join()


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])

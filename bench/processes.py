"""Servers as real processes: start (timing the cold start), stop, memory, CPUs."""

from __future__ import annotations

import contextlib
import os
import re
import shutil
import socket
import subprocess
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import httpx

from bench.payloads import payload

ROOT = Path(__file__).resolve().parent.parent


@dataclass
class Server:
    """One server under test."""

    name: str
    command: list[str]
    port: int
    env: dict[str, str | None] = field(default_factory=dict)
    """Environment variables to set, or to unset (None), for it."""
    cwd: Path = ROOT
    cpu: int | None = 0
    """The CPU it runs on (None: any; several workers need several)."""
    process: subprocess.Popen[bytes] | None = None
    cold_start_s: float | None = None
    skipped: str | None = None
    rounds: list[dict[str, float]] = field(default_factory=list)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}/graphql"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def pinned(command: list[str], cpu: int) -> list[str]:
    """Pin a command to one CPU when taskset exists (2-core machines)."""
    if shutil.which("taskset") and (os.cpu_count() or 1) > 1:
        return ["taskset", "-c", str(cpu), *command]
    return command


@contextlib.contextmanager
def on_cpu(cpu: int) -> Iterator[None]:
    """Run this process on one CPU for a while (where the OS allows it)."""
    if not hasattr(os, "sched_setaffinity") or (os.cpu_count() or 1) < 2:
        yield
        return
    before = os.sched_getaffinity(0)
    os.sched_setaffinity(0, {cpu})
    try:
        yield
    finally:
        os.sched_setaffinity(0, before)


def environment(changes: dict[str, str | None]) -> dict[str, str]:
    """This process's environment with `changes` (None unsets a variable)."""
    env: dict[str, str | None] = {**os.environ, "PYTHONPATH": str(ROOT), **changes}
    return {name: value for name, value in env.items() if value is not None}


def start(server: Server) -> None:
    """Start a server and measure process start to first successful create."""
    started = time.monotonic()
    cpu = server.cpu
    command = server.command if cpu is None else pinned(server.command, cpu)
    server.process = subprocess.Popen(
        command,
        cwd=server.cwd,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        env=environment(server.env),
    )
    deadline = started + 30
    while time.monotonic() < deadline:
        # Connect first: an httpx request costs about 25 ms of CPU, so polling
        # with it every 10 ms took a core from the server being timed.
        if _listening(server.url):
            try:
                response = httpx.post(server.url, json=payload(0), timeout=1)
                if response.status_code == 200:
                    server.cold_start_s = time.monotonic() - started
                    return
            except httpx.TransportError:
                pass
        time.sleep(0.01)
    server.skipped = "skipped: not answering within 30 s"


def _listening(url: str) -> bool:
    address = httpx.URL(url)
    try:
        socket.create_connection((address.host, address.port or 80), 1).close()
    except OSError:
        return False
    return True


def stop(server: Server) -> None:
    if server.process is not None:
        server.process.terminate()
        try:
            server.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            server.process.kill()


def rss_mb(process: subprocess.Popen[bytes] | None) -> float | None:
    """Resident memory of a server process (the python child of taskset)."""
    if process is None:
        return None
    status = Path(f"/proc/{process.pid}/status")
    if not status.exists():
        return None
    match = re.search(r"VmRSS:\s+(\d+) kB", status.read_text())
    return int(match.group(1)) / 1024 if match else None

"""Running a page's recipes: one shell, the servers it starts, the mock it shares.

Each page runs in a bash of its own, in a folder of its own holding what a
reader has beside the checkout (`schema.graphql`), after the shared mock's
state and faults are reset. Its URLs on 127.0.0.1:4000 point at the mock the
test module serves, or at the one the page itself started last.
"""

from __future__ import annotations

import contextlib
import difflib
import os
import re
import select
import shlex
import shutil
import signal
import subprocess
import sys
import time
import uuid
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

import httpx
import pytest

from tests.docs.recipes import (
    ROOT,
    commands,
    matches,
    output_lines,
    without_progress,
)
from tests.helpers import free_port, healthy, stop

if TYPE_CHECKING:
    from tests.docs.recipes import Block

BIN = Path(sys.executable).parent
DOC_PORT = 4000
"""The port the pages show: what `make serve` listens on."""
READER_FILES = ("schema.graphql", "mock_operations.graphql")
"""Files of the checkout a page may use, copied into its folder."""
COMMAND_TIMEOUT_S = 120.0
READY_TIMEOUT_S = 20.0

_ASSIGNMENT = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*=")
_LOCAL_URL = re.compile(r"\b(127\.0\.0\.1|localhost|0\.0\.0\.0):(\d{4})\b")
_PORT_OPTION = re.compile(r"--port(?:=|\s+)(\d{4})\b")


def session_env() -> dict[str, str]:
    """A reader's shell: the virtualenv first on PATH, none of our settings."""
    # Nor coverage's subprocess measurement: it would double the recipes'
    # time, and what they run is measured by the unit and e2e tests.
    ours = ("SMTP_MOCK_", "SMTP_CONTRACT_", "COVERAGE_", "COV_CORE_")
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(ours) and key != "CI"
    }
    env |= {
        "PATH": f"{BIN}{os.pathsep}{env.get('PATH', '')}",
        "COLUMNS": "80",
        "NO_COLOR": "1",
        "TERM": "dumb",
    }
    return env


@dataclass(frozen=True)
class Shared:
    """The module's `smtp-mock serve`, started as `make serve` starts it."""

    port: int
    log: Path

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"


def run_page(page: str, found: list[Block], shared: Shared, workdir: Path) -> None:
    """Run a page's blocks in order; fail at the first output the page does not show."""
    httpx.post(f"{shared.url}/__mock/reset").raise_for_status()
    httpx.delete(f"{shared.url}/__mock/faults").raise_for_status()
    for name in READER_FILES:
        shutil.copy(ROOT / name, workdir / name)
    session = Session(workdir, session_env(), {DOC_PORT: shared.port}, shared)
    try:
        for block in found:
            for command in commands(block):
                actual = without_progress(session.run(command.text))
                expected = session.expected(command.expected)
                if not matches(expected, actual):
                    diff = difflib.unified_diff(
                        expected, actual, page, "printed", lineterm=""
                    )
                    pytest.fail(f"{block.where}: $ {command.text}\n" + "\n".join(diff))
    finally:
        session.close()


@dataclass(frozen=True)
class Served:
    pid: int
    log: Path


@dataclass
class Session:
    """One page's shell, its servers, and where the page's ports really are.

    Args:
        workdir: The shell's current directory (files a recipe writes).
        env: The shell's environment.
        ports: Port shown on the page -> port really served.
        shared: The module's mock: a plain `smtp-mock serve` on the page is it.
    """

    workdir: Path
    env: dict[str, str]
    ports: dict[int, int]
    shared: Shared
    servers: list[Served] = field(default_factory=list)
    _shell: subprocess.Popen[bytes] | None = None

    def run(self, command: str) -> list[str]:
        """Run one command of the page; what it printed (stdout and stderr)."""
        if is_serve(command):
            return self._serve(command)
        return self._shell_run(self.rewrite(command))

    def _shell_run(self, command: str) -> list[str]:
        shell = self._open()
        marker = f"__docs_done_{uuid.uuid4().hex}__"
        # `$?` is the last command's status, as in a terminal (`$ echo $?`).
        script = "(exit ${__docs_status:-0})\n"
        script += f"{{\n{command}\n}} </dev/null 2>&1\n"
        script += f"__docs_status=$?\nprintf '\\n{marker}\\n'\n"
        assert shell.stdin is not None
        shell.stdin.write(script.encode())
        shell.stdin.flush()
        return output_lines(_read_until(shell, marker).decode(errors="replace"))

    def rewrite(self, text: str) -> str:
        """The page's local URLs and ports, pointed at the served ones."""
        text = _LOCAL_URL.sub(lambda m: f"{m[1]}:{self._port(m[2])}", text)
        return _PORT_OPTION.sub(lambda m: f"--port {self._port(m[1])}", text)

    def expected(self, lines: list[str]) -> list[str]:
        return [self.rewrite(line) for line in lines]

    def _port(self, shown: str) -> int:
        return self.ports.setdefault(int(shown), free_port())

    def _open(self) -> subprocess.Popen[bytes]:
        if self._shell is None:
            self._shell = subprocess.Popen(
                ["bash", "--noprofile", "--norc"],
                stdin=subprocess.PIPE,
                stdout=subprocess.PIPE,
                stderr=subprocess.STDOUT,
                cwd=self.workdir,
                env=self.env,
            )
        return self._shell

    def _serve(self, command: str) -> list[str]:
        """Start a server as the page does, in its shell; its start-up output.

        In the page's shell, so that it sees the variables the page set; in
        the background, on a free port that the page's URLs then point to.
        """
        words = _words(command)
        if words == ["smtp-mock", "serve"]:
            # The very command and settings the shared mock was started with.
            self.ports[DOC_PORT] = self.shared.port
            return output_lines(self.shared.log.read_text(errors="replace"))
        shown = DOC_PORT
        if "--port" in words:
            shown = int(words[words.index("--port") + 1])
        self.ports[shown] = free_port()
        log = self.workdir / f".serve-{len(self.servers)}.log"
        started = self._shell_run(
            f"SMTP_MOCK_PORT={self.ports[shown]} {self.rewrite(command)} "
            f"> {shlex.quote(str(log))} 2>&1 &\necho $!"
        )
        served = Served(int(started[-1]), log)
        self.servers.append(served)
        wait_ready(f"http://127.0.0.1:{self.ports[shown]}", served.pid)
        return output_lines(log.read_text(errors="replace"))

    def close(self) -> None:
        """Stop the servers the page started, then its shell."""
        for served in self.servers:
            end_process(served.pid)
        if self._shell is not None:
            stop(self._shell)
            for pipe in (self._shell.stdin, self._shell.stdout):
                if pipe is not None:
                    pipe.close()


def is_serve(command: str) -> bool:
    """`[VAR=value ...] smtp-mock serve ...`: a server the page starts."""
    try:
        words = _words(command)
    except ValueError:
        return False
    while words and _ASSIGNMENT.match(words[0]):
        words.pop(0)
    return len(words) > 1 and words[0].endswith("smtp-mock") and words[1] == "serve"


def _words(command: str) -> list[str]:
    return shlex.split(command.replace("\\\n", " "))


def _read_until(shell: subprocess.Popen[bytes], marker: str) -> bytes:
    assert shell.stdout is not None
    fd = shell.stdout.fileno()
    wanted = f"\n{marker}\n".encode()
    buffer = b""
    deadline = time.monotonic() + COMMAND_TIMEOUT_S
    while wanted not in buffer:
        left = deadline - time.monotonic()
        ready, _, _ = select.select([fd], [], [], max(left, 0))
        if not ready:
            raise TimeoutError(f"no end of command within {COMMAND_TIMEOUT_S} s")
        chunk = os.read(fd, 65536)
        if not chunk:
            raise RuntimeError(f"the shell exited: {buffer.decode(errors='replace')}")
        buffer += chunk
    return buffer[: buffer.index(wanted)]


def wait_ready(base_url: str, pid: int) -> None:
    """Until the health check answers, or the server has stopped (a refusal)."""
    deadline = time.monotonic() + READY_TIMEOUT_S
    while time.monotonic() < deadline:
        if not _alive(pid):
            return
        if healthy(base_url):
            return
        time.sleep(0.05)
    raise RuntimeError(f"{base_url} not ready after {READY_TIMEOUT_S} s")


def _alive(pid: int) -> bool:
    """Running: neither gone nor a zombie its shell has not reaped yet."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return False
    return stat.rsplit(")", 1)[1].split()[0] != "Z"


def end_process(pid: int) -> None:
    """SIGTERM (so coverage writes its data), then SIGKILL after 10 s."""
    for sig, wait_s in ((signal.SIGTERM, 10.0), (signal.SIGKILL, 5.0)):
        with contextlib.suppress(ProcessLookupError):
            os.kill(pid, sig)
        deadline = time.monotonic() + wait_s
        while _alive(pid) and time.monotonic() < deadline:
            time.sleep(0.05)
        if not _alive(pid):
            return

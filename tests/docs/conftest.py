from __future__ import annotations

import subprocess
from typing import TYPE_CHECKING

import pytest

from tests.docs.sessions import BIN, Shared, end_process, session_env, wait_ready
from tests.helpers import free_port

if TYPE_CHECKING:
    from collections.abc import Iterator


@pytest.fixture(scope="module")
def shared_mock(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Shared]:
    """`smtp-mock serve` as `make serve` starts it (on a free port), per module."""
    port = free_port()
    log = tmp_path_factory.mktemp("docs-mock") / "serve.log"
    with log.open("wb") as out:
        process = subprocess.Popen(
            [str(BIN / "smtp-mock"), "serve", "--port", str(port)],
            stdout=out,
            stderr=subprocess.STDOUT,
            env=session_env(),
        )
    try:
        wait_ready(f"http://127.0.0.1:{port}", process.pid)
        assert process.poll() is None, log.read_text()
        yield Shared(port, log)
    finally:
        end_process(process.pid)
        process.wait()

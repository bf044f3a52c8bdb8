"""The self-test's forked pytest runs, started without coverage measurement."""

from __future__ import annotations

import os
from typing import TYPE_CHECKING

import pytest

from contracts.selftest.forked import run_pytest

if TYPE_CHECKING:
    from pathlib import Path


@pytest.fixture(scope="package", autouse=True)
def unmeasured_fork_server(tmp_path_factory: pytest.TempPathFactory) -> None:
    """Start this worker's fork server with coverage off, before any test does.

    A forked run ends with `os._exit`, which skips coverage's save: what a
    measured fork executes is never recorded, so measuring it only cost the
    self-test about a third more CPU. The fork server is started once per
    process, by its first run, with that moment's environment; this first
    run (`pytest --version`) is started without coverage's settings. The
    mutants' servers are forks too: `test_mutant_battery.py` measures the
    mutants in-process instead.
    """
    environment = {
        key: value
        for key, value in os.environ.items()
        if key != "COVERAGE_PROCESS_CONFIG"
    }
    log: Path = tmp_path_factory.mktemp("fork-server") / "version.log"
    saved = os.environ.pop("COVERAGE_PROCESS_CONFIG", None)
    try:
        assert run_pytest(["--version"], environment, log, timeout=120) == 0
    finally:
        if saved is not None:
            os.environ["COVERAGE_PROCESS_CONFIG"] = saved

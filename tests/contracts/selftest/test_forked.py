"""pytest runs forked from a process that has done the imports."""

from __future__ import annotations

import os
import subprocess

import pytest

from contracts.selftest.forked import run_pytest

PASSING = """
import os

def test_sees_only_its_environment():
    assert os.environ.get("FORKED_MARK") == "yes"
    assert "FORKED_PARENT_ONLY" not in os.environ
    print("ran in", os.getpid())
"""
FAILING = "def test_fails():\n    assert 1 + 1 == 3\n"
SLOW = "import time\n\ndef test_sleeps():\n    time.sleep(30)\n"


def run(tmp_path, source, timeout=60.0, env=None):
    test_file = tmp_path / "test_case.py"
    test_file.write_text(source)
    log = tmp_path / "pytest.log"
    environment = {"PATH": os.environ["PATH"], **(env or {})}
    code = run_pytest(
        ["-q", "-s", "-p", "no:cacheprovider", str(test_file)],
        environment,
        log,
        timeout,
    )
    return code, log.read_text()


def test_a_passing_run_exits_0_in_a_process_and_environment_of_its_own(
    tmp_path, monkeypatch
):
    monkeypatch.setenv("FORKED_PARENT_ONLY", "1")

    code, output = run(tmp_path, PASSING, env={"FORKED_MARK": "yes"})

    assert code == 0, output
    assert "1 passed" in output
    child = int(output.split("ran in ")[1].split()[0])
    assert child != os.getpid()
    # The parent's environment was not changed by the run.
    assert "FORKED_MARK" not in os.environ


def test_a_failing_run_exits_1_and_its_output_goes_to_the_log(tmp_path, capfd):
    code, output = run(tmp_path, FAILING)

    assert code == 1
    assert "assert (1 + 1) == 3" in output  # rewritten: a test module
    assert "1 failed" in output
    assert "PytestAssertRewriteWarning" not in output
    assert capfd.readouterr().out == ""


def test_a_run_past_its_timeout_is_killed(tmp_path):
    with pytest.raises(subprocess.TimeoutExpired):
        run(tmp_path, SLOW, timeout=3.0)

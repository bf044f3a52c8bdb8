"""Calibrate against an independent implementation served by uvicorn, then serve it.

The loop a user runs: `calibrate --url` learns the target's profile, `smtp-mock
serve --profile` serves it, `run` still passes on that mock, and `diff
--profile` shows every probe step `same` against the target. Over HTTP, the
held-out agreement (#30) of the implementations built to differ from the mock.
"""

from __future__ import annotations

import contextlib
import os
import re
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from mock_server.domain.profile import (
    BlankCredentials,
    EmailSyntax,
    Grouping,
    Uniqueness,
)
from mock_server.domain.profile_files import load_profile
from tests.e2e.conftest import running_server
from tests.helpers import free_port, listening, smtp_contract

pytestmark = pytest.mark.starts_first

REPO_ROOT = Path(__file__).resolve().parents[2]
ORG = "980700673"
FAST = ("--rps", "1000")


@contextlib.contextmanager
def uvicorn_app(app: str, log_dir: Path) -> Iterator[str]:
    """An ASGI app of the tests package, served by a real uvicorn process."""
    port = free_port()
    env = {**os.environ, "PYTHONPATH": str(REPO_ROOT)}
    with (log_dir / f"uvicorn-{port}.log").open("wb") as log:
        process = subprocess.Popen(
            [sys.executable, "-m", "uvicorn", app, "--port", str(port),
             "--log-level", "warning"],
            stdout=log, stderr=subprocess.STDOUT, env=env, cwd=REPO_ROOT,
        )  # fmt: skip
    url = f"http://127.0.0.1:{port}/graphql"
    try:
        _wait_until_answering(url, process)
        yield url
    finally:
        process.terminate()
        process.wait(timeout=10)


def _wait_until_answering(url: str, process: subprocess.Popen[bytes]) -> None:
    deadline = time.monotonic() + 20.0
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"uvicorn exited early with {process.returncode}")
        if listening(url):
            with contextlib.suppress(httpx.TransportError):
                httpx.post(url, json={"query": "{ __typename }"}, timeout=0.5)
                return
        time.sleep(0.05)
    raise RuntimeError("uvicorn did not answer within 20 s")


@pytest.fixture(scope="module")
def alt_url(tmp_path_factory) -> Iterator[str]:
    with uvicorn_app(
        "tests.contracts.alt_impl:app", tmp_path_factory.mktemp("u")
    ) as url:
        yield url


def calibrate(url: str, *args: str) -> subprocess.CompletedProcess[str]:
    return smtp_contract(
        "--url", url, "--org", ORG, *FAST, *args, token=None, command="calibrate"
    )


def test_the_loop_makes_the_mock_answer_like_the_target(alt_url, tmp_path):
    profile_path = tmp_path / "alt.toml"
    before = smtp_contract(
        "--url",
        alt_url,
        "--org",
        ORG,
        *FAST,
        "--allow-leftovers",
        token=None,
        command="diff",
    )

    learned = calibrate(alt_url, "-o", str(profile_path))
    after = smtp_contract(
        "--url", alt_url, "--org", ORG, *FAST, "--profile", str(profile_path),
        "--allow-leftovers", token=None, command="diff",
    )  # fmt: skip

    assert learned.returncode == 0, learned.stdout + learned.stderr
    profile = load_profile(profile_path)
    assert profile.uniqueness is Uniqueness.CASE_SENSITIVE
    assert profile.email_syntax is EmailSyntax.ANY
    assert profile.grouping is Grouping.COMBINED
    assert profile.blank_credentials is BlankCredentials.ACCEPT
    assert profile.overrides["duplicate.emailAddress"] == "duplicate"
    probes_before = [line for line in before.stdout.splitlines() if "probe." in line]
    probes_after = [line for line in after.stdout.splitlines() if "probe." in line]
    assert sum("DIFFERENT" in line for line in probes_before) >= 10
    assert len(probes_after) == 21
    assert not [line for line in probes_after if "DIFFERENT" in line]
    assert "messages:" not in after.stdout.split("arguments.required")[0]
    with running_server(tmp_path, "--profile", str(profile_path)) as served:
        run = smtp_contract(
            "--url", served.url, "--org", ORG, "--rps", "500",
            "--hypothesis-profile", "dev",
            "--keep", token=served.token,
        )  # fmt: skip
    assert run.returncode == 0, run.stdout[-3000:] + run.stderr


def test_against_exits_0_when_unchanged_and_1_when_the_target_changed(
    alt_url, tmp_path
):
    profile_path = tmp_path / "alt.toml"
    assert calibrate(alt_url, "-o", str(profile_path)).returncode == 0

    unchanged = calibrate(alt_url, "--against", str(profile_path))
    with uvicorn_app("tests.contracts.lenient_impl:app", tmp_path) as lenient_url:
        changed = calibrate(lenient_url, "--against", str(profile_path))

    assert unchanged.returncode == 0, unchanged.stdout + unchanged.stderr
    assert changed.returncode == 1, changed.stdout + changed.stderr
    assert "CHANGED ids.version" not in changed.stdout  # v1 was never calibrated
    assert "CHANGED port.max: 2147483647 -> 65535" in changed.stdout
    assert "CHANGED credentials.blank: 'accept' -> 'missing'" in changed.stdout
    assert "CHANGED errors.duplicate.emailAddress" in changed.stdout
    assert f"curl -sS -X POST {lenient_url}" in changed.stdout


HELD_OUT = re.compile(r"held-out agreement: (\d+) of (\d+)")
SPENT = re.compile(r"calibrated \d+ choices with (\d+) requests")


@pytest.mark.no_cover  # measured by the other tests: see conftest.py
@pytest.mark.parametrize(
    "app",
    ["tests.contracts.permissive_impl:app", "tests.contracts.strictish_impl:app"],
)
def test_over_http_the_calibrated_mock_agrees_on_held_out_inputs(app, tmp_path):
    profile_path = tmp_path / "profile.toml"
    token = "held-out-e2e-token"
    with uvicorn_app(app, tmp_path) as url:
        before = smtp_contract(
            "--url", url, "--org", ORG, *FAST, "--held-out", "100", "--keep",
            token=token, command="diff",
        )  # fmt: skip
        learned = calibrate_with(url, token, "-o", str(profile_path))
        after = smtp_contract(
            "--url", url, "--org", ORG, *FAST, "--profile", str(profile_path),
            "--keep", token=token, command="diff",
        )  # fmt: skip

    assert learned.returncode == 0, learned.stdout + learned.stderr
    agreed, total = found(HELD_OUT, learned.stdout)
    [spent] = found(SPENT, learned.stdout)
    assert (total, agreed >= 98, spent <= 220) == (100, True, True), learned.stdout
    was, of = found(HELD_OUT, before.stdout)
    now, of_now = found(HELD_OUT, after.stdout)
    assert (of, was < 60) == (100, True), before.stdout
    assert (of_now, now >= 98) == (100, True), after.stdout
    with running_server(tmp_path, "--profile", str(profile_path)) as served:
        started = served.log_path.read_text()
    assert f"smtp-mock: behaviour profile {profile_path} (" in started


def calibrate_with(
    url: str, token: str, *args: str
) -> subprocess.CompletedProcess[str]:
    return smtp_contract(
        "--url", url, "--org", ORG, *FAST, *args, token=token, command="calibrate"
    )


def found(pattern: re.Pattern[str], text: str) -> list[int]:
    match = pattern.search(text)
    assert match is not None, text
    return [int(group) for group in match.groups()]

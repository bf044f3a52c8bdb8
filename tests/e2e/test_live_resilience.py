"""A target on a bad minute (#14): throttling and drops are not contract failures.

A real `smtp-mock serve` injects the faults (`POST /__mock/faults`); the real
`smtp-contract` commands run against it as a pipeline would.
"""

from __future__ import annotations

import re
import time
import xml.etree.ElementTree as ET
from collections.abc import Iterator

import httpx
import pytest

from contracts.clauses import CLAUSES, Tier
from contracts.documented import OPERATION_NAME
from tests.e2e.conftest import Server, running_server
from tests.helpers import smtp_contract

pytestmark = pytest.mark.starts_first

THROTTLED = {"operation": "*", "probability": 0.15, "status": 429, "retry_after": 1}
UNAVAILABLE = {"operation": "*", "probability": 0.1, "status": 503, "retry_after": 1}
DROPPED = {"operation": "*", "probability": 0.05, "drop": True}
PROFILES = {"429": [THROTTLED], "503": [UNAVAILABLE], "drop": [DROPPED]}
LIVE = (
    "--org", "980700673", "--other-org", "980700674", "--rps", "100",
    "--seed", "1", "--cleanup",
    "--allow-leftovers",
)  # fmt: skip
TRAFFIC = re.compile(
    r"requests sent: (\d+)(?: of a budget of \d+)?.*; throttled (\d+), "
    r"retried (\d+), connections lost (\d+), unknown outcomes (\d+), "
    r"waited ([\d.]+) s"
)


@pytest.fixture(scope="module")
def flaky(tmp_path_factory) -> Iterator[Server]:
    with running_server(
        tmp_path_factory.mktemp("flaky"), env={"SMTP_MOCK_SEED": "5"}
    ) as server:
        yield server


def set_faults(server: Server, rules: list[dict[str, object]]) -> None:
    response = httpx.post(
        server.url.replace("/graphql", "/__mock/faults"),
        json=rules,
        headers={"Authorization": f"Bearer {server.token}"},
    )
    assert response.status_code == 200, response.text


@pytest.fixture
def faults(flaky) -> Iterator[Server]:
    yield flaky
    set_faults(flaky, [])


def traffic(output: str) -> dict[str, float]:
    match = TRAFFIC.search(output)
    assert match, output[-2000:]
    names = ("sent", "throttled", "retried", "lost", "unknown", "waited")
    return dict(zip(names, map(float, match.groups()), strict=True))


def expect_pushback(profile: str, figures: dict[str, float]) -> None:
    if profile == "drop":
        assert figures["lost"] > 0
    else:
        assert figures["throttled"] > 0
        assert figures["retried"] >= figures["throttled"]
        assert figures["waited"] >= figures["throttled"]


@pytest.mark.parametrize("profile", sorted(PROFILES))
def test_run_holds_every_documented_clause_on_a_flaky_target(faults, tmp_path, profile):
    set_faults(faults, PROFILES[profile])
    report, junit = tmp_path / "report.md", tmp_path / "junit.xml"

    # A small budget: one example per property, still every clause once.
    result = smtp_contract(
        "--url", faults.url, *LIVE, "--max-requests", "320",
        "--report", str(report), "--junitxml", str(junit),
        token=faults.token,
    )  # fmt: skip

    assert result.returncode == 0, result.stdout[-3000:] + result.stderr
    text = report.read_text()
    for item in CLAUSES:
        if item.tier is Tier.DOCUMENTED:
            assert f"| `{item.id}` | documented | held |" in text
    figures = traffic(text)
    expect_pushback(profile, figures)
    assert figures == traffic(result.stdout)
    if profile == "429":  # waits make it long: plain progress lines (no TTY)
        assert re.search(
            r"progress: \d+ of 320 requests, \d+ of \d+ clauses", result.stdout
        )
    properties = {
        p.get("name"): p.get("value") for p in ET.parse(junit).iter("property")
    }
    assert properties["retried"] == str(int(figures["retried"]))
    assert properties["seconds_waited"] == f"{figures['waited']:.1f}"


@pytest.mark.parametrize("command", ["fuzz", "diff"])
@pytest.mark.parametrize("profile", sorted(PROFILES))
def test_fuzz_and_diff_pass_on_a_flaky_target(faults, tmp_path, command, profile):
    set_faults(faults, PROFILES[profile])
    junit = tmp_path / "junit.xml"
    extra = ("--max-requests", "100") if command == "fuzz" else ()

    result = smtp_contract(
        "--url", faults.url, *LIVE, *extra, "--junitxml", str(junit),
        token=faults.token, command=command,
    )  # fmt: skip

    assert result.returncode == 0, result.stdout[-3000:] + result.stderr
    figures = traffic(result.stdout)
    expect_pushback(profile, figures)
    properties = {
        p.get("name"): p.get("value") for p in ET.parse(junit).iter("property")
    }
    assert properties["throttled"] == str(int(figures["throttled"]))


@pytest.mark.parametrize("command", ["run", "fuzz", "diff"])
def test_a_target_that_keeps_throttling_stops_with_exit_2(faults, tmp_path, command):
    # Only the documented mutation is throttled, so the preflight gets through
    # and the run is stopped by its own caps, not refused at the door.
    set_faults(
        faults,
        [{"operation": OPERATION_NAME, "status": 429, "retry_after": 1000}],
    )
    report = tmp_path / "report.md"
    started = time.monotonic()

    result = smtp_contract(
        "--url", faults.url, *LIVE, "--max-wait", "5", "--report", str(report),
        token=faults.token, command=command,
    )  # fmt: skip

    assert time.monotonic() - started < 60
    assert result.returncode == 2, result.stdout[-3000:] + result.stderr
    output = result.stdout + result.stderr
    assert "the target throttled the run (HTTP 429)" in output
    assert "past --max-wait 5" in output
    assert "FAILED" not in output
    assert "DIFFERENT" not in output
    assert traffic(report.read_text())["waited"] == 0.0
    if command == "run":
        assert "| `create.both-objects` | documented | not run |" in report.read_text()
    if command == "diff":
        assert "not run: " in output
        assert "create.both-objects" in output.split("not run: ")[1]


def test_a_500_on_one_input_still_fails_its_clause(faults):
    set_faults(faults, [{"operation": "ContractClientMutationId", "status": 500}])

    result = smtp_contract(
        "--url", faults.url, *LIVE, "--hypothesis-profile", "dev", token=faults.token
    )

    assert result.returncode == 1, result.stdout[-3000:] + result.stderr
    assert re.search(r"relay.client-mutation-id\s+inferred\s+FAILED", result.stdout)
    assert "Reproduce: curl" in result.stdout
    assert "throttled 0, retried 0" in result.stdout

"""No false alarms against mainstream GraphQL servers (issue #18).

`run`, `fuzz` and `diff` exit 0 against faithful implementations of the guide
on Apollo Server 5 and GraphQL Yoga 5 with their defaults (HTML or JSON 400s,
graphql-js's coercion messages, UNAUTHENTICATED 401s, validation errors at
HTTP 200), and 1 against a copy of each with `port` returned as a number.

The commands run as a pipeline runs them, as subprocesses; a module fixture
starts them all at once, a few at a time, so the module takes the time of
its slowest few commands rather than of all of them in a row.
"""

from __future__ import annotations

import json
import re
import subprocess
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import httpx
import pytest

from tests.helpers import smtp_contract
from tests.js.conftest import STACKS, TOKEN, ServerPool

pytestmark = pytest.mark.starts_first

ORG, OTHER_ORG = "980700673", "980700674"
# Small budgets: each command takes seconds, and still reaches every phase.
OPTIONS: dict[str, tuple[str, ...]] = {
    "run": ("--org", ORG, "--other-org", OTHER_ORG, "--hypothesis-profile", "dev",
            "--allow-leftovers",
            "--max-requests", "600"),
    "fuzz": ("--org", ORG, "--hypothesis-profile", "dev", "--max-requests", "80",
             "--allow-leftovers"),
    "diff": ("--org", ORG, "--other-org", OTHER_ORG, "--allow-leftovers"),
}  # fmt: skip
COMMANDS = tuple(OPTIONS)
PARALLEL = 3
LISTED = (
    "query($org: ID!) { smtpConfigurations(organizationId: $org) { nodes { id } } }"
)
# (stack, variant, command, extra arguments): every command these tests run.
Job = tuple[str, str, str, tuple[str, ...]]


def jobs(reports: Path) -> list[Job]:
    found: list[Job] = []
    for stack in STACKS:
        found += [(stack, "faithful", command, ()) for command in COMMANDS]
        found += [(stack, "broken", command, ()) for command in COMMANDS]
        found += [
            (stack, "faithful", "run", ("--strict-secrets",)),
            (stack, "masked", "run", ("--strict-secrets",)),
        ]
    # The documented surface only: clean-up can delete configurations, and
    # names the senders it cannot (#25).
    found.append(("yoga", "faithful", "run", _cleanup(reports)))
    # The faithful runs also write every report a CI job would keep.
    return [
        (stack, variant, command, extra or _reports(reports, stack))
        if (variant, command, extra) == ("faithful", "run", ())
        else (stack, variant, command, extra)
        for stack, variant, command, extra in found
    ]


def _reports(reports: Path, stack: str) -> tuple[str, ...]:
    return ("--report", str(reports / f"{stack}.md"),
            "--junitxml", str(reports / f"{stack}.xml"))  # fmt: skip


def _cleanup(reports: Path) -> tuple[str, ...]:
    return ("--cleanup", "--ledger", str(reports / "cleanup.jsonl"))


@pytest.fixture(scope="module")
def reports(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("reports")


@pytest.fixture(scope="module")
def outcomes(
    node_servers: ServerPool, reports: Path
) -> dict[Job, subprocess.CompletedProcess[str]]:
    """Every command's result, keyed by what was run."""
    planned = jobs(reports)

    def execute(job: Job) -> subprocess.CompletedProcess[str]:
        stack, variant, command, extra = job
        url = node_servers.get(stack, variant).url
        return smtp_contract(
            "--url", url, "--rps", "1000", *OPTIONS[command], *extra,
            token=TOKEN, command=command,
        )  # fmt: skip

    for stack, variant, _, _ in planned:  # started one by one, before the load
        node_servers.get(stack, variant)
    with ThreadPoolExecutor(PARALLEL) as pool:
        return dict(zip(planned, pool.map(execute, planned), strict=True))


def outcome(outcomes, reports, stack, variant, command, *extra):
    key = (stack, variant, command, extra)
    if variant == "faithful" and command == "run" and not extra:
        key = (stack, variant, command, _reports(reports, stack))
    result = outcomes[key]
    assert TOKEN not in result.stdout + result.stderr
    return result


def shown(result: subprocess.CompletedProcess[str]) -> str:
    return result.stdout[-4000:] + result.stderr[-2000:]


@pytest.mark.parametrize("command", COMMANDS)
@pytest.mark.parametrize("stack", STACKS)
def test_a_faithful_server_passes(outcomes, reports, stack, command):
    result = outcome(outcomes, reports, stack, "faithful", command)

    assert result.returncode == 0, shown(result)


@pytest.mark.parametrize(
    ("command", "finding"),
    [
        ("run", r"create\.port-string +documented +FAILED"),
        ("fuzz", r"SmtpConfiguration\.port is not a decimal string"),
        ("diff", r"clauses that differ: create\.port-string$"),
    ],
)
@pytest.mark.parametrize("stack", STACKS)
def test_a_broken_copy_fails(outcomes, reports, stack, command, finding):
    result = outcome(outcomes, reports, stack, "broken", command)

    assert result.returncode == 1, shown(result)
    assert re.search(finding, result.stdout, re.MULTILINE), shown(result)


@pytest.mark.parametrize("stack", STACKS)
def test_a_password_in_a_coercion_message_is_a_warning(outcomes, reports, stack):
    lenient = outcome(outcomes, reports, stack, "faithful", "run")
    strict = outcome(outcomes, reports, stack, "faithful", "run", "--strict-secrets")

    assert "security warning: secrets.password-in-request-errors" in lenient.stdout
    assert "## Security warnings" in (reports / f"{stack}.md").read_text()
    junit = (reports / f"{stack}.xml").read_text()
    assert 'name="security-warning" value="secrets.password-in-request-errors"' in junit
    assert re.search(r"secrets\.password +inferred +held", lenient.stdout)
    assert strict.returncode == 1, shown(strict)
    assert re.search(
        r"secrets\.password-in-request-errors +warning +FAILED", strict.stdout
    ), shown(strict)


@pytest.mark.parametrize("stack", STACKS)
def test_the_readme_masking_recipe_clears_the_warning(outcomes, reports, stack):
    result = outcome(outcomes, reports, stack, "masked", "run", "--strict-secrets")

    assert result.returncode == 0, shown(result)
    assert "security warning" not in result.stdout
    assert re.search(
        r"secrets\.password-in-request-errors +warning +held", result.stdout
    )


FAMILY_CLAUSES = (
    "family.create",
    "family.listed",
    "family.update-password",
    "family.update-validates",
    "family.delete",
    "family.delete-unknown",
    "family.default-filter",
)


def test_a_documented_only_server_is_cleaned_of_every_configuration(
    outcomes, reports, node_servers
):
    result = outcome(outcomes, reports, "yoga", "faithful", "run", *_cleanup(reports))
    ledger = [
        json.loads(line)
        for line in (reports / "cleanup.jsonl").read_text().splitlines()
    ]
    url = node_servers.get("yoga", "faithful").url
    listed = httpx.post(
        url,
        json={"query": LISTED, "variables": {"org": ORG}},
        headers={"Authorization": f"Bearer {TOKEN}"},
        timeout=10,
    ).json()["data"]["smtpConfigurations"]["nodes"]

    assert result.returncode == 0, shown(result)
    for clause in FAMILY_CLAUSES:
        assert re.search(rf"{re.escape(clause)} +documented +held", result.stdout)
    assert (
        "clean-up: on; configurations deleted with deleteSmtpConfiguration"
        in result.stdout
    )
    created = {entry["configuration_id"] for entry in ledger}
    assert created
    assert not created & {node["id"] for node in listed}
    senders = [entry["id"] for entry in ledger if entry["kind"] == "sender"]
    assert senders
    assert f"left on the target: {len(senders)}\n" in result.stdout
    left = json.loads((reports / "cleanup.left.json").read_text())
    assert sorted(entry["id"] for entry in left) == sorted(senders)
    assert all(
        entry["reason"] == "its configuration was deleted; the API documents no "
        "way to delete a sender"
        for entry in left
    )

"""`smtp-contract run` against the real server process, as a pipeline runs it."""

from __future__ import annotations

import json

import httpx
import pytest

from tests.helpers import smtp_contract

# Their subprocesses run code other tests measure (CONTRIBUTING.md, "Coverage").
pytestmark = pytest.mark.no_cover_subprocesses


def test_the_suite_passes_against_the_served_mock_and_cleans_up(server, tmp_path):
    report, ledger = tmp_path / "report.md", tmp_path / "ledger.jsonl"

    result = smtp_contract(
        "--url", server.url, "--org", "980700673", "--other-org", "980700674",
        "--rps", "500", "--hypothesis-profile", "dev", "--report", str(report),
        "--ledger", str(ledger), "--cleanup", "--max-requests", "600",
        "--allow-leftovers",
        token=server.token,
    )  # fmt: skip

    assert result.returncode == 0, result.stdout[-3000:] + result.stderr
    assert f"target={server.url}, org=980700673, token=set" in result.stdout
    assert server.token not in result.stdout + result.stderr
    assert "| `auth.token` | inferred | held |" in report.read_text()
    assert "| `email.other-org` | documented | held |" in report.read_text()
    created = [json.loads(line) for line in ledger.read_text().splitlines()]
    senders = [entry for entry in created if entry["kind"] == "sender"]
    assert senders
    assert any(entry["kind"] == "configuration" for entry in created)
    # Every address is in the run's namespace (probes vary its case and spaces).
    assert all(
        entry["email_address"].strip().lower().startswith("smtp-contract+")
        for entry in senders
    )
    # Only the documented delete is served: configurations go, and the run
    # cannot know that this mock deletes a sender with its configuration.
    assert (
        "clean-up: on; configurations deleted with deleteSmtpConfiguration"
        in result.stdout
    )
    assert f"left on the target: {len(senders)}\n" in result.stdout
    left = json.loads(ledger.with_name("ledger.left.json").read_text())
    assert {entry["id"] for entry in left} == {entry["id"] for entry in senders}
    assert all(entry["allowed"] and entry["configuration_deleted"] for entry in left)
    state = httpx.get(
        server.url.replace("/graphql", "/__mock/state"),
        headers={"Authorization": f"Bearer {server.token}"},
    ).json()["smtpCustomEmails"]
    assert not any("smtp-contract+" in s["emailAddress"].lower() for s in state)
    listed = httpx.post(
        server.url,
        json={
            "query": '{ smtpConfigurations(organizationId: "980700673") '
            "{ nodes { id } } }"
        },
        headers={"Authorization": f"Bearer {server.token}"},
    ).json()["data"]["smtpConfigurations"]["nodes"]
    assert not {n["id"] for n in listed} & {e["configuration_id"] for e in created}


def test_a_rejected_token_exits_2_with_one_sentence(server):
    result = smtp_contract("--url", server.url, "--org", "1", token="wrong-token")

    assert result.returncode == 2
    assert "answered HTTP 401: set a valid token" in result.stderr
    assert "wrong-token" not in result.stdout + result.stderr


def test_the_request_budget_is_never_exceeded(server):
    result = smtp_contract(
        "--url", server.url, "--org", "980700673", "--max-requests", "20",
        "--allow-leftovers",
        "--rps", "500", "--hypothesis-profile", "dev",
        token=server.token,
    )  # fmt: skip

    # Requests past the budget are not sent: the run stops with exit 2.
    assert result.returncode == 2, result.stdout[-2000:]
    assert "budget of 20 exhausted" in result.stdout


def test_drift_and_diff_against_the_served_mock_by_url(server):
    drift = smtp_contract("--url", server.url, token=server.token, command="drift")
    diff = smtp_contract(
        "--url", server.url, "--org", "980700673", "--other-org", "980700674",
        "--rps", "500", "--allow-leftovers",
        token=server.token, command="diff",
    )  # fmt: skip

    assert drift.returncode == 0, drift.stdout + drift.stderr
    assert drift.stdout.strip() == "no drift: the schemas are the same"
    assert diff.returncode == 0, diff.stdout + diff.stderr
    assert "auth.token" in diff.stdout
    assert "clauses that differ: none\nrequests sent: " in diff.stdout


def test_fuzz_against_the_served_mock_stays_safe(server, tmp_path):
    ledger = tmp_path / "fuzz-ledger.jsonl"

    result = smtp_contract(
        "--url", server.url, "--org", "980700673", "--rps", "500",
        "--hypothesis-profile", "dev", "--max-requests", "120", "--ledger", str(ledger),
        "--allow-leftovers", token=server.token, command="fuzz",
    )  # fmt: skip

    assert result.returncode == 0, result.stdout[-3000:] + result.stderr
    assert "failures: none" in result.stdout
    requests = int(result.stdout.split("requests sent: ")[1].split()[0])
    assert requests <= 120
    # On a live target nothing is deleted and nothing outside the namespace.
    assert "deleteSmtpCustomEmail" not in result.stdout
    for line in ledger.read_text().splitlines():
        assert '"email_address": "smtp-contract+' in line
        assert '"organization_id": "980700673"' in line

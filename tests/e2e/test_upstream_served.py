"""The consumer loop end to end: `smtp-mock serve --upstream --record-operations`
in front of a second real API, then `smtp-contract operations check` and
`replay` on what was recorded."""

from __future__ import annotations

import json

import httpx
from click.testing import CliRunner

from contracts.cli import main as contract_main
from tests.e2e.conftest import running_server
from tests.helpers import scenario_a
from tests.upstream_api import serve_upstream

UPSTREAM_TOKEN = "upstream-e2e-secret-77"
MIXED = """query Dashboard($org: ID!) {
  organization(id: $org) { name members { email } }
  smtpConfigurations(organizationId: $org) { nodes { id host } }
}"""
CREATE = """mutation Create($input: CreateSmtpCustomEmailWithConfigurationInput!) {
  createSmtpCustomEmailWithConfiguration(input: $input) {
    smtpCustomEmail { id smtpConfiguration { port organizationId } }
  }
}"""


def test_record_then_check_and_replay(tmp_path):
    recorded = tmp_path / "operations.jsonl"
    with (
        serve_upstream() as upstream,
        running_server(
            tmp_path,
            "--upstream",
            upstream.url,
            "--record-operations",
            str(recorded),
            env={"SMTP_MOCK_UPSTREAM_TOKEN": UPSTREAM_TOKEN},
        ) as server,
    ):
        headers = {
            "Authorization": f"Bearer {server.token}",
            "apollographql-client-name": "dashboard",
        }
        mixed = httpx.post(
            server.url,
            json={"query": MIXED, "variables": {"org": "980700673"}},
            headers=headers,
        ).json()
        assert mixed["data"]["organization"]["name"] == "Org 980700673"
        assert mixed["data"]["smtpConfigurations"] == {"nodes": []}
        # The mock authenticated the caller; the upstream got its own token.
        assert upstream.seen.headers[-1]["authorization"] == f"Bearer {UPSTREAM_TOKEN}"
        variables = scenario_a()
        create_input = {
            "senderName": variables["senderName"],
            "emailAddress": variables["emailAddress"],
            "smtpConfiguration": variables["smtpConfiguration"],
        }
        created = httpx.post(
            server.url,
            json={"query": CREATE, "variables": {"input": create_input}},
            headers=headers,
        ).json()
        assert "errors" not in created, created

        records = [json.loads(line) for line in recorded.read_text().splitlines()]
        assert [r["operationName"] for r in records] == ["Dashboard", "Create"]
        assert variables["smtpConfiguration"]["password"] not in recorded.read_text()

        runner = CliRunner(env={"SMTP_CONTRACT_TOKEN": server.token})
        checked = runner.invoke(
            contract_main, ["operations", "check", str(recorded), "--url", server.url]
        )
        assert checked.exit_code == 0, checked.output
        assert "2 operations checked: 0 broken" in checked.output

        # The served mock deletes configurations only: a replayed create's
        # sender would stay, so replay refuses until leftovers are allowed.
        refused = runner.invoke(
            contract_main,
            ["operations", "replay", str(recorded), "--url", server.url,
             "--org", "980700673", "--allow-mutations", "--rps", "50"],
        )  # fmt: skip
        assert refused.exit_code == 2, refused.output
        assert "not started: the API documents no way to delete a sender" in (
            refused.output
        )
        ledger = tmp_path / "replayed.jsonl"
        replayed = runner.invoke(
            contract_main,
            ["operations", "replay", str(recorded), "--url", server.url,
             "--org", "980700673", "--allow-mutations", "--allow-leftovers",
             "--rps", "50", "--ledger", str(ledger)],
        )  # fmt: skip
        assert replayed.exit_code == 0, replayed.output
        assert "2 passed, 0 failed, 0 skipped" in replayed.output
        assert "left on the target: 1\n" in replayed.output
        # The recorded selection has no configuration id: nothing to delete by.
        [left] = json.loads(ledger.with_name("replayed.left.json").read_text())
        assert left["reason"] == "the create's answer did not name its configuration"
        assert left["allowed"]

        without_mutations = runner.invoke(
            contract_main,
            ["operations", "replay", str(recorded), "--url", server.url,
             "--org", "980700673", "--rps", "50"],
        )  # fmt: skip
        assert without_mutations.exit_code == 0, without_mutations.output
        assert "1 passed, 0 failed, 1 skipped" in without_mutations.output

        # What the frontend relies on and the provider no longer serves fails.
        stale = tmp_path / "stale.jsonl"
        stale.write_text(
            json.dumps(
                {
                    "hash": "stale",
                    "operationName": "Stale",
                    "operationType": "query",
                    "document": "query Stale { me { id nickname } }",
                }
            )
            + "\n"
        )
        failed = runner.invoke(
            contract_main,
            ["operations", "replay", str(stale), "--url", server.url,
             "--org", "980700673", "--rps", "50"],
        )  # fmt: skip
        assert failed.exit_code == 1, failed.output
        # A validation error: HTTP 200 in application/json (#28).
        assert "failed   Stale  HTTP 200: refused" in failed.output
        assert "reproduce: curl" in failed.output
    assert UPSTREAM_TOKEN not in server.log()
    assert "forwarding other root fields to" in server.log()

from __future__ import annotations

import re

import pytest
from click.testing import CliRunner

from contracts.clauses import ClauseId
from contracts.cli.commands import main
from contracts.client.in_process import in_process_target, mock_target
from contracts.client.ledger import Namespace
from contracts.config import make_config
from contracts.inputs.steps import Context
from contracts.tools import diff


@pytest.fixture
def context():
    return Context(Namespace("difftest", "example.com"), "980700673", "980700674")


def compare_with(app: str, context: Context) -> list[diff.Row]:
    target = in_process_target(make_config(app=app))
    return diff.compare(mock_target(), target, context)


def failing_clauses(rows: list[diff.Row]) -> set[str]:
    return {
        difference.clause
        for row in rows
        for difference in row.differences
        if difference.fails
    }


def test_the_mock_against_itself_shows_no_difference(context):
    rows = compare_with("mock_server:create_app", context)

    assert all(row.same for row in rows)
    assert len(rows) >= 30
    assert diff.table(rows)[-1].endswith("clauses that differ: none")


@pytest.mark.parametrize(
    ("factory", "clauses"),
    [
        ("port_as_number", {ClauseId.CREATE_PORT_STRING}),
        ("password_in_error", {ClauseId.SECRETS_PASSWORD}),
        ("case_sensitive_uniqueness", set()),
    ],
)
def test_a_mutant_differs_in_exactly_the_clauses_it_breaks(context, factory, clauses):
    rows = compare_with(f"tests.contracts.mutant_apps:{factory}", context)

    assert failing_clauses(rows) == clauses
    assert any(row.fails for row in rows) == bool(clauses)


def test_a_different_choice_shows_in_its_probe_only(context):
    rows = compare_with(
        "tests.contracts.mutant_apps:case_sensitive_uniqueness", context
    )

    [row] = [row for row in rows if not row.same]
    assert row.clause == ClauseId.PROBE_EMAIL_CASE
    assert "target HTTP 200 accepted" in row.differences[0].detail


def test_cli_prints_side_by_side_and_exits_1_on_a_documented_difference():
    result = CliRunner().invoke(
        main, ["diff", "--app", "tests.contracts.mutant_apps:port_as_number"]
    )

    assert result.exit_code == 1
    assert (
        "DIFFERENT  create.port-string: smtpConfiguration.port: mock '587', target 587"
        in result.output
    )
    assert "clauses that differ: create.port-string\nrequests sent: " in result.output


def test_cli_needs_a_target():
    result = CliRunner().invoke(main, ["diff"])

    assert result.exit_code == 2
    assert "diff needs a target" in result.output


def test_cli_reports_an_unreachable_target_with_exit_2():
    result = CliRunner().invoke(
        main, ["diff", "--url", "http://127.0.0.1:1/graphql", "--org", "1"]
    )

    assert result.exit_code == 2
    assert "did not answer" in result.output


def test_an_independent_faithful_implementation_differs_only_in_probes(context):
    # Issue #12: run holds every clause on it; diff must not fail it for its
    # own error codes (VALIDATION_ERROR, CONFLICT, INVALID) either.
    rows = compare_with("tests.contracts.alt_impl:create_app", context)

    assert failing_clauses(rows) == set()
    assert not any(row.fails for row in rows)
    [line] = [line for line in diff.table(rows) if "password missing" in line]
    assert "same" in line
    assert "target HTTP 200 rejected VALIDATION_ERROR" in line


def test_codes_are_compared_in_probe_rows_only_and_never_fail():
    # The drift guide: codes of a refusal in the guide's own steps are shown, not
    # compared; a probe row compares them (calibration sets them), never failing.
    mine = (diff.Observation(200, "rejected", ("RECORD_INVALID",), None),)
    theirs = (diff.Observation(200, "rejected", ("VALIDATION_ERROR",), None),)

    probe = diff.Row(ClauseId.PROBE_MALFORMED_EMAIL, "no @", mine, theirs)
    step = diff.Row(ClauseId.CREDENTIALS_REQUIRED, "password missing", mine, theirs)

    assert (probe.same, probe.fails) == (False, False)
    assert step.same


def test_diff_measures_held_out_inputs_only_when_asked(monkeypatch):
    monkeypatch.delenv("SMTP_CONTRACT_TOKEN", raising=False)
    app = "tests.contracts.lenient_impl:create_app"

    plain = CliRunner().invoke(main, ["diff", "--app", app])
    asked = CliRunner().invoke(main, ["diff", "--app", app, "--held-out", "20"])

    assert "held-out agreement" not in plain.output
    assert re.search(r"held-out agreement: \d+ of 20\b", asked.output), asked.output

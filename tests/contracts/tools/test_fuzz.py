from __future__ import annotations

import xml.etree.ElementTree as ET

import pytest
from click.testing import CliRunner
from graphql import build_schema, parse, print_ast

from contracts._mock import packaged_schema_path
from contracts.cli.commands import main
from contracts.client.ledger import Namespace
from contracts.documented import MUTATION_FIELD
from contracts.inputs.steering import Steering
from contracts.invariants import submitted_passwords
from contracts.reports.findings import FuzzReport
from contracts.tools.conformance import (
    check_response,
    conformance_problems,
)

pytestmark = pytest.mark.starts_first

SCHEMA = build_schema(packaged_schema_path().read_text())
QUERY = (
    "mutation { createSmtpCustomEmailWithConfiguration(input: {senderName: "
    '"a", emailAddress: "x", smtpConfiguration: {host: "h", port: 1, '
    'organizationId: 5, password: "hunter22"}}) '
    "{ smtpCustomEmail { id smtpConfiguration { id port } } } }"
)
ID = "7e9f4d01-b412-43e0-999c-73e4f36889a9"


def fuzz(*args: str):
    return CliRunner().invoke(main, ["fuzz", *args])


@pytest.mark.no_cover  # measured by the other tests: see conftest.py
def test_the_faithful_mock_passes_with_over_a_thousand_requests_in_ci(tmp_path):
    junit = tmp_path / "fuzz.xml"

    result = fuzz("--hypothesis-profile", "ci", "--junitxml", str(junit))

    assert result.exit_code == 0, result.output
    requests = int(result.output.split("requests sent: ")[1].split()[0])
    assert requests >= 1000
    assert "failures: none" in result.output
    suite = ET.parse(junit).getroot()
    assert suite.get("failures") == "0"
    assert {case.get("name") for case in suite.iter("testcase")} >= {
        "no_server_error",
        "sdl_conformance",
        "no_password_echo",
        "schemathesis",
    }


# One case measured: the others run the same code (measured per case: every
# line and branch they reach, this one or the mutant battery reaches too).
UNMEASURED = pytest.mark.no_cover


@pytest.mark.parametrize(
    ("mutant", "check", "title"),
    [
        pytest.param("port-as-number", "sdl_conformance",
                     "SmtpConfiguration.port is not a String", marks=UNMEASURED),
        pytest.param("500-on-non-ascii", "no_server_error", "HTTP 500",
                     marks=UNMEASURED),
        ("password-in-error", "no_password_echo", "a submitted password appears"),
        pytest.param("errors-without-code", "error_codes",
                     "an error entry has no extensions.code", marks=UNMEASURED),
        pytest.param("500-on-lax-json", "no_server_error", "HTTP 500",
                     marks=UNMEASURED),
    ],
)  # fmt: skip
def test_planted_mutants_are_found(mutant, check, title):
    result = fuzz("--hypothesis-profile", "dev", "--mutant", mutant)

    assert result.exit_code == 1, result.output
    assert f"[{check}] {title}" in result.output
    assert "reproduce: curl -sS -X POST" in result.output
    assert "$SMTP_CONTRACT_TOKEN" in result.output


@pytest.mark.no_cover  # measured by the other tests: see conftest.py
def test_the_stateful_phase_finds_a_duplicate_accepted_across_a_sequence():
    result = fuzz(
        "--hypothesis-profile", "ci", "--seed", "2", "--mutant", "no-uniqueness"
    )

    assert result.exit_code == 1, result.output
    assert (
        "[stateful] [documented] email.unique-in-org: a duplicate address was "
        "accepted" in result.output
    )
    assert "reproduce: curl -sS -X POST" in result.output
    assert "stateful " in result.output.split("by operation: ")[1]


def test_dry_run_sends_nothing():
    result = fuzz("--dry-run", "--url", "http://127.0.0.1:1/graphql", "--org", "7")

    assert result.exit_code == 0
    assert "nothing is sent" in result.output
    assert "budget: 300 requests; 12 examples per operation" in result.output
    assert "examples per property: 12, from the budget of 300" in result.output


def test_a_live_target_needs_an_organization():
    result = fuzz("--url", "http://127.0.0.1:1/graphql")

    assert result.exit_code == 2
    assert "needs --org" in result.output


def test_steering_keeps_writes_in_the_namespace_and_marks_passwords():
    steering = Steering(Namespace("run9", "example.com"), "org-1")

    steered = parse(steering.steer(QUERY))

    text = print_ast(steered)
    assert 'emailAddress: "smtp-contract+run9-1@example.com"' in text
    assert 'organizationId: "org-1"' in text
    assert 'password: "pwrun9-1"' in text
    assert steering.steer("not graphql {") == "not graphql {"


def test_conformance_finds_wrong_types_ids_and_ports():
    data = {
        "createSmtpCustomEmailWithConfiguration": {
            "smtpCustomEmail": {"id": "1", "smtpConfiguration": {"id": ID, "port": 25}}
        }
    }

    titles = [title for title, _ in conformance_problems(SCHEMA, QUERY, None, data)]

    assert titles == [
        "SmtpCustomEmail.id is not UUID-formatted",
        "SmtpConfiguration.port is not a String",
    ]


def test_conformance_follows_aliases_fragments_and_nulls():
    query = """
      query { a: smtpConfigurations(organizationId: "1") { nodes { ...F } }
              b: smtpConfigurations(organizationId: "2") { nodes { id } } }
      fragment F on SmtpConfiguration { id host port }
    """
    node = {"id": ID, "host": "h", "port": "25"}
    good = {"a": {"nodes": [node]}, "b": None}
    bad = {"a": {"nodes": [{"id": ID, "host": None, "port": "x"}]}}

    assert conformance_problems(SCHEMA, query, None, good) == []
    assert [t for t, _ in conformance_problems(SCHEMA, query, None, bad)] == [
        "SmtpConfiguration.host is null but declared non-null",
        "SmtpConfiguration.port is not a decimal string",
        "Query.smtpConfigurations is missing",
    ]


@pytest.mark.parametrize(
    ("status", "text", "check"),
    [
        (502, "bad gateway", "no_server_error"),
        (200, "Traceback (most recent call last): ...", "no_server_error"),
        (200, "<html>", "well_formed_response"),
        (200, "[]", "well_formed_response"),
        (200, '{"errors": "x"}', "well_formed_response"),
        (
            200,
            f'{{"data": {{"{MUTATION_FIELD}": null}}, "errors": [{{"message": "m"}}]}}',
            "error_codes",
        ),
        (
            200,
            '{"errors": [{"message": "m", '
            '"extensions": {"code": "INTERNAL_SERVER_ERROR"}}]}',
            "no_server_error",
        ),
        (
            200,
            '{"data": null, "errors": [{"message": "bad hunter22", "path": ["a"], '
            '"extensions": {"code": "X"}}]}',
            "no_password_echo",
        ),
        # Refused before execution (no data, no path): a security warning only.
        (
            400,
            '{"errors": [{"message": "bad hunter22"}]}',
            "password_in_request_errors",
        ),
        (
            200,
            '{"errors": [{"message": "bad hunter22"}]}',
            "password_in_request_errors",
        ),
    ],
)
def test_response_checks(status, text, check):
    [problem] = check_response(SCHEMA, {"query": QUERY}, status, text)

    assert problem.check == check


def test_passwords_that_stand_in_other_fields_are_not_evidence():
    payload = {
        "query": "{ x }",
        "variables": {
            "senderName": "secret-1",
            "smtpConfiguration": {"password": "secret-1"},
        },
    }

    assert submitted_passwords(payload) == set()
    assert submitted_passwords({"query": QUERY}) == {"hunter22"}


def test_report_summary_and_junit_for_failures():
    from contracts.reports.findings import Finding

    report = FuzzReport(requests=3)
    report.record(Finding("no_server_error", "HTTP 500", "Query.x", "", "curl ..."))
    report.record(Finding("no_server_error", "HTTP 500", "Query.x", "", "curl other"))

    assert report.failed
    assert "failures by check: no_server_error 2" in report.summary()
    assert ET.fromstring(report.junit_xml()).get("failures") == "1"


def test_a_budget_spent_in_the_stateful_phase_ends_the_run_cleanly():
    # 200 requests run out inside the state machine (the other phases take
    # 178), whose replay Hypothesis would otherwise report as flaky data
    # generation.
    result = fuzz("--hypothesis-profile", "dev", "--seed", "1", "--max-requests", "200")

    assert result.exit_code == 0, result.output
    assert "requests sent: 200 in" in result.output
    assert "(budget exhausted)" in result.output
    assert "failures: none" in result.output

"""Mainstream server stacks' habits are not contract failures (issue #18).

Apollo Server, GraphQL Yoga and graphql-ruby refuse requests in their own
ways; the guide documents none of them. These tests pin the rules that keep
run, fuzz and diff from raising false alarms on them, and keep their teeth.
"""

from __future__ import annotations

import json
import re
import xml.etree.ElementTree as ET
from typing import Any

import pytest

from contracts.checks import Checker
from contracts.clauses import ClauseId
from contracts.client.exchanges import Exchange
from contracts.config import make_config
from contracts.documented import MUTATION_FIELD
from contracts.errors import ConfigError, ContractViolation
from contracts.invariants import is_request_level, password_leak
from contracts.pytest_options import APP_OPTION, REPORT_OPTION, STRICT_SECRETS_OPTION
from contracts.reports.findings import Finding, FuzzReport
from contracts.reports.formats import clause_table, markdown_report, warning_lines
from contracts.reports.results import WARNING, Results
from contracts.tools import diff
from contracts.tools.conformance import PASSWORD_IN_REQUEST_ERRORS
from contracts.tools.fuzz import _domain_refusal

# Their subprocesses run code other tests measure (CONTRIBUTING.md, "Coverage").
pytestmark = pytest.mark.no_cover_subprocesses

PASSWORD = "pw-mainstream-1"
QUOTED = ClauseId.SECRETS_PASSWORD_IN_REQUEST_ERRORS
QUOTING_APP = "tests.contracts.quoting_app:create_quoting_app"


def answer(status: int, body: Any) -> Exchange:
    text = body if isinstance(body, str) else json.dumps(body)
    return Exchange({}, True, {}, status, text, None if isinstance(body, str) else body)


def coercion_error(status: int = 400) -> Exchange:
    message = f'Variable "$v" got invalid value {{ password: "{PASSWORD}" }}; ...'
    return answer(status, {"errors": [{"message": message}]})


DOMAIN_ERROR = {
    "data": {MUTATION_FIELD: None},
    "errors": [{"message": "m", "path": [MUTATION_FIELD]}],
}


@pytest.mark.parametrize(
    ("status", "body", "expected"),
    [
        (400, "<html>Bad Request</html>", True),
        (401, {"errors": [{"message": "no", "extensions": {"code": "X"}}]}, True),
        # Yoga: validation errors at 200, no data (refused before execution).
        (200, {"errors": [{"message": "Field required"}]}, True),
        (200, DOMAIN_ERROR, False),
        (200, {"errors": [{"message": "m", "path": ["a"]}]}, False),
        (
            200,
            {
                "errors": [
                    {"message": "m", "extensions": {"code": "INTERNAL_SERVER_ERROR"}}
                ]
            },
            False,
        ),
        (200, {"errors": []}, False),
        (200, {"errors": "x"}, False),
        (200, {"errors": ["x"]}, False),
        (500, {"errors": [{"message": "boom"}]}, False),
    ],
)
def test_what_counts_as_a_request_level_refusal(status, body, expected):
    assert is_request_level(answer(status, body)) is expected


def test_a_password_is_graded_by_where_it_appears():
    in_data = answer(200, {"data": {"x": PASSWORD}})
    in_domain_error = answer(
        200, {**DOMAIN_ERROR, "errors": [{"message": PASSWORD, "path": ["a"]}]}
    )

    assert password_leak(coercion_error(), {PASSWORD}) is QUOTED
    assert password_leak(coercion_error(200), {PASSWORD}) is QUOTED
    assert password_leak(in_data, {PASSWORD}) is ClauseId.SECRETS_PASSWORD
    assert password_leak(in_domain_error, {PASSWORD}) is ClauseId.SECRETS_PASSWORD
    assert password_leak(answer(400, DOMAIN_ERROR), {PASSWORD}) is None


def checker_for(strict: bool) -> Checker:
    config = make_config(strict_secrets=strict)
    return Checker(config, Results(), "http://127.0.0.1:4000/graphql")


def test_a_quoted_password_is_a_warning_in_run_unless_strict():
    lenient, strict = checker_for(False), checker_for(True)

    lenient.no_password(coercion_error(), {PASSWORD})
    with pytest.raises(ContractViolation) as caught:
        strict.no_password(coercion_error(), {PASSWORD})

    assert lenient.results.status(QUOTED) == WARNING
    assert lenient.results.status(ClauseId.SECRETS_PASSWORD) == "held"
    assert list(lenient.results.warnings()) == [QUOTED]
    assert caught.value.clause == QUOTED
    assert PASSWORD not in str(caught.value).split("Reproduce:")[0]


def test_a_password_in_a_domain_error_still_fails_run():
    leaky = answer(200, {**DOMAIN_ERROR, "errors": [{"message": PASSWORD, "path": []}]})

    with pytest.raises(ContractViolation) as caught:
        checker_for(False).no_password(leaky, {PASSWORD})

    assert caught.value.clause == ClauseId.SECRETS_PASSWORD


def test_warnings_show_in_the_table_the_summary_line_and_the_markdown_report():
    checker = checker_for(False)
    checker.no_password(coercion_error(), {PASSWORD})
    checker.no_password(coercion_error(), {PASSWORD})

    [line] = warning_lines(checker.results)
    report = markdown_report(checker.results, checker.config)

    assert line.startswith(f"security warning: {QUOTED}: a request-level error")
    assert "(2 responses)" in line
    assert "--strict-secrets" in line
    assert any(re.match(rf"{QUOTED} +warning +WARNING", row) for row in clause_table(
        checker.results
    ))  # fmt: skip
    assert f"| `{QUOTED}` | warning | WARNING |" in report
    assert "## Security warnings" in report
    assert warning_lines(Results()) == []
    assert "Security warnings" not in markdown_report(Results(), checker.config)


def test_the_warning_tier_is_not_a_tier_to_run_at():
    with pytest.raises(ConfigError, match="got 'warning'"):
        make_config(tier="warning")


def test_diff_shows_how_a_refusal_is_answered_without_comparing_it():
    mock_domain = answer(
        200,
        {
            **DOMAIN_ERROR,
            "errors": [
                {"message": "m", "path": [], "extensions": {"code": "RECORD_INVALID"}}
            ],
        },
    )
    apollo_domain = answer(
        200,
        {
            **DOMAIN_ERROR,
            "errors": [
                {"message": "m", "path": [], "extensions": {"code": "BAD_USER_INPUT"}}
            ],
        },
    )
    yoga_validation = answer(200, {"errors": [{"message": "Field required"}]})
    rows = [
        diff.Row(
            ClauseId.CREDENTIALS_REQUIRED,
            "codes",
            (diff.observe(mock_domain),),
            (diff.observe(apollo_domain),),
        ),
        diff.Row(
            ClauseId.ARGUMENTS_REQUIRED,
            "200 without data",
            (diff.observe(answer(400, {"errors": [{"message": "m"}]})),),
            (diff.observe(yoga_validation),),
        ),
    ]

    lines = diff.table(rows)

    assert all(row.same and not row.fails for row in rows)
    assert (
        "mock HTTP 200 rejected RECORD_INVALID; target HTTP 200 rejected "
        "BAD_USER_INPUT" in lines[0]
    )
    assert "target HTTP 200 rejected none" in lines[1]
    assert lines[-1] == "2 of 2 steps alike; clauses that differ: none"


def test_diff_still_fails_auth_token_on_another_status_than_401():
    refused = {"errors": [{"message": "no"}]}
    row = diff.Row(
        ClauseId.AUTH_TOKEN,
        "no token",
        (diff.observe(answer(401, refused)),),
        (diff.observe(answer(403, refused)),),
    )

    assert row.fails
    assert "DIFFERENT  auth.token: mock HTTP 401" in diff.table([row])[0]


def test_diff_shows_a_quoted_password_as_a_warning_row_that_does_not_fail():
    mock, target = diff.Flags(), diff.Flags()
    mock.add(answer(400, {"errors": [{"message": "m"}]}), {PASSWORD})
    target.add(coercion_error(), {PASSWORD})

    rows = diff.flag_rows(mock, target)
    [warning] = [row for row in rows if row.clause == QUOTED]

    assert not target.leaked
    assert not warning.same
    assert not any(row.fails for row in rows)
    assert f"WARNING    {QUOTED}: mock no, target yes" in diff.table(rows)[1]


def test_fuzz_keeps_warnings_apart_unless_strict():
    finding = Finding(PASSWORD_IN_REQUEST_ERRORS, "quoted", "op", "", "curl ...")
    lenient, strict = FuzzReport(), FuzzReport(strict_secrets=True)

    lenient.record(finding)
    strict.record(finding)

    assert not lenient.failed
    assert strict.failed
    summary = lenient.summary()
    assert "failures: none" in summary
    assert f"security warning: {QUOTED} in 1 response(s) (fails only with " \
        "--strict-secrets)" in summary  # fmt: skip
    suite = ET.fromstring(lenient.junit_xml())
    assert suite.get("failures") == "0"
    warned = [p for p in suite.iter("property") if p.get("name") == "security-warning"]
    assert [p.get("value") for p in warned] == [QUOTED]
    assert ET.fromstring(strict.junit_xml()).get("failures") == "1"


def test_a_resolver_refusing_schema_valid_input_is_not_a_schemathesis_failure():
    from schemathesis.graphql.checks import GraphQLClientError, GraphQLServerError

    client_error = GraphQLClientError(operation="op", message="m", errors=[])
    server_error = GraphQLServerError(operation="op", message="m", errors=[])
    refused_by_resolver = answer(200, DOMAIN_ERROR)
    refused_before_execution = answer(400, {"errors": [{"message": "m"}]})

    assert _domain_refusal(client_error, refused_by_resolver)
    assert not _domain_refusal(client_error, refused_before_execution)
    assert not _domain_refusal(server_error, refused_by_resolver)


def test_the_suite_warns_and_strict_mode_fails_on_a_quoting_server(suite, pytester):
    report, junit = pytester.path / "report.md", pytester.path / "junit.xml"

    lenient = suite(f"{APP_OPTION}={QUOTING_APP}", f"{REPORT_OPTION}={report}",
                    f"--junitxml={junit}")  # fmt: skip
    strict = suite(f"{APP_OPTION}={QUOTING_APP}", STRICT_SECRETS_OPTION)

    assert lenient.ret == 0, lenient.stdout.str()[-3000:]
    lenient.stdout.fnmatch_lines([f"security warning: {QUOTED}: *"])
    assert "## Security warnings" in report.read_text()
    warned = {
        case.get("name")
        for case in ET.parse(junit).getroot().iter("testcase")
        for prop in case.iter("property")
        if (prop.get("name"), prop.get("value")) == ("security-warning", QUOTED)
    }
    assert (
        "test_a_variable_that_does_not_coerce_is_refused_without_quoting_passwords"
        in (warned)
    )
    assert strict.ret == 1
    strict.stdout.fnmatch_lines([f"{QUOTED}*warning*FAILED*"])

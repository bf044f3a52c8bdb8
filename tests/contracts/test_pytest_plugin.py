"""The plugin and the packaged suite, run as users run them (pytester subprocess)."""

from __future__ import annotations

import json
import re
import xml.etree.ElementTree as ET

import pytest

from contracts.clauses import ClauseId
from contracts.config import TOKEN_ENV
from contracts.pytest_options import (
    APP_OPTION,
    CLIENT_ID_OPTION,
    CLIENT_SECRET_OPTION,
    JSON_REPORT_OPTION,
    REPORT_OPTION,
    TIER_OPTION,
    URL_OPTION,
)
from contracts.selftest.mutants import SELFTEST_TOKEN

pytestmark = pytest.mark.starts_first

ALT_IMPL = "tests.contracts.alt_impl:create_app"
MUTANTS = "contracts.selftest.mutants.apps"


def no_failures(result):
    outcomes = result.parseoutcomes()
    assert result.ret == 0, result.stdout.str()[-3000:]
    assert outcomes.get("failed", 0) == 0
    assert outcomes.get("errors", 0) == 0
    assert outcomes["passed"] >= 40
    return outcomes


def test_faithful_mock_passes_every_clause(suite):
    result = suite()

    no_failures(result)
    result.stdout.fnmatch_lines(
        [
            "contracts: target=mock (packaged schema.graphql)",
            "*contract clauses*",
            "create.both-objects*documented*held*",
            "auth.token*inferred*held*",
            "probe.email-case*probe*observed*case-insensitive*",
        ]
    )
    assert "FAILED" not in result.stdout.str()


@pytest.mark.no_cover  # measured by the other tests: see conftest.py
@pytest.mark.parametrize("seed", [1, 2, 3, 4, 5])
def test_faithful_mock_passes_under_different_seeds(suite, seed):
    no_failures(suite(f"--hypothesis-seed={seed}"))


def test_an_independent_implementation_that_chooses_differently_passes(suite):
    result = suite(f"{APP_OPTION}={ALT_IMPL}")

    outcomes = no_failures(result)
    # Its only skips: no token configured for it, no case variants to race
    # (it compares addresses case-sensitively), and the 9 checks of the
    # sibling pages' operations, which it does not serve.
    assert outcomes.get("skipped", 0) == 3 + 9
    result.stdout.fnmatch_lines(["*case-sensitive: upper-case variant accepted*"])


def test_a_broken_mock_fails_naming_the_clause_with_a_reproduction(
    suite, monkeypatch, pytester
):
    monkeypatch.setenv(TOKEN_ENV, SELFTEST_TOKEN)
    verdicts = pytester.path / "verdicts.json"
    result = suite(
        f"{APP_OPTION}={MUTANTS}:port-as-number",
        f"{JSON_REPORT_OPTION}={verdicts}",
        "-x",
    )

    assert result.ret == 1
    output = result.stdout.str()
    assert "[documented] create.port-string: port is not returned" in output
    assert "Expected: " in output
    assert "Observed: " in output
    # The app requires a token: the command names its variable, never its value.
    [reproduce] = [line for line in output.splitlines() if "Reproduce: curl" in line]
    assert "curl -sS -X POST http://127.0.0.1:4000/graphql" in reproduce
    assert f'"Authorization: Bearer ${TOKEN_ENV}"' in reproduce
    assert SELFTEST_TOKEN not in output
    assert re.search(r"create\.port-string\s+documented\s+FAILED", output)
    assert not re.search(r"create\.echo\s+documented\s+FAILED", output)
    # The same verdict for programs (the selftest reads it).
    report = json.loads(verdicts.read_text())
    assert report["version"] == 1
    assert report["exit_status"] == 1
    assert report["failed"] == report["violated"] == ["create.port-string"]
    [entry] = [c for c in report["clauses"] if c["id"] == "create.port-string"]
    assert entry["status"] == "FAILED"
    assert entry["violations"] >= 1
    assert SELFTEST_TOKEN not in verdicts.read_text()


@pytest.mark.no_cover  # measured by the other tests: see conftest.py
def test_inferred_failures_do_not_fail_a_documented_tier_run(suite, monkeypatch):
    monkeypatch.setenv(TOKEN_ENV, SELFTEST_TOKEN)
    result = suite(
        f"{APP_OPTION}={MUTANTS}:errors-without-code", f"{TIER_OPTION}=documented"
    )

    no_failures(result)
    result.stdout.fnmatch_lines(["errors.shape*inferred*failed (not enforced)*"])


@pytest.mark.no_cover  # measured by the other tests: see conftest.py
def test_markdown_report_and_junit_properties(suite, pytester):
    report = pytester.path / "report.md"
    junit = pytester.path / "junit.xml"

    verdicts = pytester.path / "verdicts.json"

    result = suite(
        f"{REPORT_OPTION}={report}",
        f"--junitxml={junit}",
        f"{JSON_REPORT_OPTION}={verdicts}",
    )

    no_failures(result)
    as_json = json.loads(verdicts.read_text())
    assert as_json["exit_status"] == 0
    assert as_json["failed"] == as_json["violated"] == []
    statuses = {entry["id"]: entry["status"] for entry in as_json["clauses"]}
    assert statuses["create.port-string"] == "held"
    assert statuses["probe.port-range"] == "observed"
    assert len(statuses) == len(ClauseId)
    text = report.read_text()
    assert text.startswith("# Contract report")
    assert "| `create.port-string` | documented | held |" in text
    assert "| `probe.port-range` | probe | observed |" in text
    tree = ET.parse(junit)
    clauses = {
        prop.get("value")
        for prop in tree.iter("property")
        if prop.get("name") == "clause"
    }
    assert {
        ClauseId.CREATE_BOTH_OBJECTS,
        ClauseId.EMAIL_UNIQUE_IN_ORG,
        ClauseId.PROBE_NON_ASCII,
    } <= clauses


@pytest.mark.parametrize(
    ("args", "message"),
    [
        ((f"{URL_OPTION}=ftp://x",), "must be an http(s) URL"),
        ((f"{URL_OPTION}=http://127.0.0.1:1/graphql",), "a live target needs --org"),
        (
            (f"{CLIENT_ID_OPTION}=ci", f"{CLIENT_SECRET_OPTION}=s"),
            "needs a live target",
        ),
    ],
)
def test_bad_options_are_usage_errors(suite, args, message):
    result = suite(*args)

    assert result.ret == pytest.ExitCode.USAGE_ERROR
    result.stderr.fnmatch_lines([f"*{message}*"])


@pytest.mark.no_cover  # measured by the other tests: see conftest.py
def test_unreachable_endpoint_stops_the_run_with_exit_2(suite):
    result = suite(f"{URL_OPTION}=http://127.0.0.1:1/graphql", "--contract-org=1", "-x")

    assert result.ret == 2
    assert "did not answer" in result.stdout.str() + result.stderr.str()


@pytest.mark.no_cover  # measured by the other tests: see conftest.py
def test_token_comes_from_the_environment_and_is_never_printed(suite, monkeypatch):
    monkeypatch.setenv("SMTP_CONTRACT_TOKEN", "very-secret-token")

    result = suite(f"{URL_OPTION}=http://127.0.0.1:1/graphql", "--contract-org=1")

    output = result.stdout.str() + result.stderr.str()
    assert "token=set" in output
    assert "very-secret-token" not in output


def test_a_service_account_comes_from_the_environment_and_is_never_printed(
    suite, monkeypatch
):
    monkeypatch.setenv("SMTP_CONTRACT_CLIENT_ID", "ci-robot")
    monkeypatch.setenv("SMTP_CONTRACT_CLIENT_SECRET", "very-secret-client")

    result = suite(f"{URL_OPTION}=http://127.0.0.1:1/graphql", "--contract-org=1")

    output = result.stdout.str() + result.stderr.str()
    assert result.ret == 2
    assert "token=from http://127.0.0.1:1/oauth/token (client ci-robot)" in output
    assert "the token endpoint http://127.0.0.1:1/oauth/token did not answer" in output
    assert "very-secret-client" not in output


def test_the_plugin_stays_out_of_unrelated_test_runs(pytester):
    pytester.makepyfile("def test_plain():\n    assert True\n")

    result = pytester.runpytest_subprocess("-p", "no:cacheprovider")

    result.assert_outcomes(passed=1)
    assert "contract clauses" not in result.stdout.str()


def test_a_config_object_is_used_as_given(suite, tmp_path):
    # smtp-contract run's path: no --contract-* options, no environment.
    from contracts.config import make_config
    from contracts.pytest_plugin import ContractRun

    report = tmp_path / "report.md"
    given = make_config(tier="documented", report=report, token="given-token")

    result = suite(
        "-k",
        "client_mutation_id or without_a_valid_token",
        plugins=[ContractRun(given)],
    )

    # The report path, the tier and the token exist only on the object: the
    # two auth tests ran (not skipped) because the mock got the given token;
    # the two clientMutationId tests (one in a burst) ran too.
    result.assert_outcomes(passed=4)
    assert "enforced tiers: documented" in report.read_text(encoding="utf-8")
    assert "given-token" not in result.stdout.str()

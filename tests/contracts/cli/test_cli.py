from __future__ import annotations

import pytest
from click.testing import CliRunner

from contracts.clauses import CLAUSES, ClauseId
from contracts.cli.commands import main


@pytest.fixture
def runner():
    return CliRunner()


def test_run_help_lists_every_option(runner):
    result = runner.invoke(main, ["run", "--help"])

    assert result.exit_code == 0
    for option in (
        "--url", "--token", "--org", "--other-org", "--email-domain",
        "--max-requests", "--rps", "--hypothesis-profile", "--seed", "--tier",
        "--junitxml",
        "--report", "--ledger", "--cleanup", "--dry-run", "--schema", "--app",
        "--concurrency", "--shrink-budget",
    ):  # fmt: skip
        assert option in result.output
    assert "SMTP_CONTRACT_TOKEN" in result.output
    assert "--json-report" in result.output


def test_clauses_lists_the_registry(runner):
    result = runner.invoke(main, ["clauses"])

    assert result.exit_code == 0
    assert len(result.output.splitlines()) == len(CLAUSES)
    assert result.output.startswith(ClauseId.CREATE_BOTH_OBJECTS)


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--url", "not-a-url", "--org", "1"], "must be an http(s) URL"),
        (["--url", "http://127.0.0.1:1/graphql"], "a live target needs --org"),
        (["--org", "1", "--other-org", "1"], "must differ"),
    ],
)
def test_usage_problems_exit_2_with_one_sentence(runner, args, message):
    result = runner.invoke(main, ["run", *args])

    assert result.exit_code == 2
    assert message in result.output


def test_unreachable_target_exits_2(runner):
    result = runner.invoke(
        main, ["run", "--url", "http://127.0.0.1:1/graphql", "--org", "1"]
    )

    assert result.exit_code == 2
    assert "did not answer" in result.output


def test_dry_run_sends_nothing_and_hides_the_token(runner):
    # Nothing listens on port 1: a dry run that sent anything would fail.
    result = runner.invoke(
        main,
        ["run", "--dry-run", "--url", "http://127.0.0.1:1/graphql", "--org", "42"],
        env={"SMTP_CONTRACT_TOKEN": "top-secret"},
    )

    assert result.exit_code == 0, result.output
    assert "nothing is sent" in result.output
    assert "at most 300 requests, 5 per second" in result.output
    assert "shrinking one failure stops after 30" in result.output
    assert "about 50 requests in bursts of 8 simultaneous creates" in result.output
    assert "organization 42" in result.output
    assert result.output.count("curl -sS -X POST http://127.0.0.1:1/graphql") == 2
    assert "$SMTP_CONTRACT_TOKEN" in result.output
    assert "top-secret" not in result.output


def test_dry_run_in_process(runner):
    result = runner.invoke(main, ["run", "--dry-run", "--hypothesis-profile", "dev"])

    assert result.exit_code == 0
    assert "no request budget (in-process)" in result.output
    assert "up to 15 generated examples" in result.output
    assert "about 135 requests in bursts of 25 simultaneous creates" in result.output

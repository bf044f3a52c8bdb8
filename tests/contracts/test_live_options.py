"""Every command that sends to a live target takes the same safety options (#14)."""

from __future__ import annotations

import pytest
from click.testing import CliRunner

from contracts.cli.commands import main

LIVE_COMMANDS = ("run", "fuzz", "diff")
LIVE_OPTIONS = (
    "--url", "--token", "--org", "--other-org", "--email-domain",
    "--max-requests", "--rps", "--max-retries", "--max-wait", "--retry-base",
    "--ledger", "--cleanup", "--dry-run", "--seed", "--junitxml", "--report",
    "--client-id", "--client-secret", "--token-url",
)  # fmt: skip


def option_help(command: str) -> dict[str, str]:
    """Each option's help line, as `--help` prints it, keyed by its name."""
    context = main.make_context(
        "smtp-contract", [command, "--help"], resilient_parsing=True
    )
    sub = main.get_command(context, command)
    assert sub is not None
    with sub.make_context(command, [], resilient_parsing=True) as sub_context:
        return {
            param.opts[0]: str(param.get_help_record(sub_context))
            for param in sub.params
            if param.opts[0].startswith("--")
        }


@pytest.mark.parametrize("command", LIVE_COMMANDS)
def test_every_live_command_takes_every_safety_option(command):
    helps = option_help(command)

    assert set(LIVE_OPTIONS) <= set(helps)
    assert "SMTP_CONTRACT_TOKEN" in helps["--token"]
    assert "SMTP_CONTRACT_URL" in helps["--url"]
    assert "SMTP_CONTRACT_CLIENT_ID" in helps["--client-id"]
    assert "SMTP_CONTRACT_CLIENT_SECRET" in helps["--client-secret"]
    assert "SMTP_CONTRACT_TOKEN_URL" in helps["--token-url"]


@pytest.mark.parametrize("option", LIVE_OPTIONS)
def test_the_options_are_spelled_and_defaulted_alike(option):
    helps = {command: option_help(command)[option] for command in LIVE_COMMANDS}

    # --url says what it points at; everything else reads the same everywhere.
    if option != "--url":
        assert len(set(helps.values())) == 1, helps


@pytest.mark.parametrize("command", LIVE_COMMANDS)
def test_one_command_line_is_accepted_by_every_live_command(command, tmp_path):
    args = [
        command, "--url", "http://127.0.0.1:9/graphql", "--org", "980700673",
        "--other-org", "980700674", "--email-domain", "example.org",
        "--max-requests", "40", "--rps", "2", "--max-retries", "2",
        "--max-wait", "30", "--retry-base", "0.5",
        "--ledger", str(tmp_path / "ledger.jsonl"), "--cleanup", "--dry-run",
        "--seed", "3", "--junitxml", str(tmp_path / "junit.xml"),
        "--report", str(tmp_path / "report.md"),
    ]  # fmt: skip

    result = CliRunner().invoke(
        main, args, env={"SMTP_CONTRACT_TOKEN": "secret-token-1"}
    )

    assert result.exit_code == 0, result.output
    assert "dry run: nothing is sent" in result.output
    assert "token=set" in result.output
    assert "40" in result.output
    assert "secret-token-1" not in result.output
    assert not (tmp_path / "ledger.jsonl").exists()


@pytest.mark.parametrize("command", LIVE_COMMANDS)
@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--max-retries", "-1"], "--max-retries"),
        (["--max-wait", "-5"], "--max-wait"),
        (["--retry-base", "0"], "--retry-base"),
    ],
)
def test_wrong_retry_caps_are_usage_errors(command, args, message):
    result = CliRunner().invoke(
        main, [command, "--url", "http://127.0.0.1:9/graphql", "--org", "1", *args]
    )

    assert result.exit_code == 2
    assert message in result.output


@pytest.mark.parametrize("command", LIVE_COMMANDS)
def test_a_service_account_is_accepted_and_its_secret_never_shown(command):
    env = {
        "SMTP_CONTRACT_CLIENT_ID": "ci-robot",
        "SMTP_CONTRACT_CLIENT_SECRET": "client-s3cret-1",
    }
    args = [command, "--url", "http://127.0.0.1:9/graphql", "--org", "1"]

    result = CliRunner().invoke(main, [*args, "--dry-run"], env=env)
    helped = CliRunner().invoke(main, [command, "--help"], env=env)

    assert result.exit_code == 0, result.output
    assert "token=from http://127.0.0.1:9/oauth/token (client ci-robot)" in (
        result.output
    )
    if command == "run":  # its dry run prints the first requests as curls
        assert "Authorization: Bearer $SMTP_CONTRACT_TOKEN" in result.output
    assert "client-s3cret-1" not in result.output + helped.output


@pytest.mark.parametrize("command", LIVE_COMMANDS)
def test_a_token_and_a_service_account_at_once_are_a_usage_error(command):
    result = CliRunner().invoke(
        main,
        [command, "--url", "http://127.0.0.1:9/graphql", "--org", "1", "--dry-run"],
        env={
            "SMTP_CONTRACT_TOKEN": "tok-1",
            "SMTP_CONTRACT_CLIENT_ID": "ci",
            "SMTP_CONTRACT_CLIENT_SECRET": "client-s3cret-1",
        },
    )

    assert result.exit_code == 2
    assert "either --token or --client-id" in result.output
    assert "client-s3cret-1" not in result.output
    assert "tok-1" not in result.output

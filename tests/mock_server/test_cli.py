from __future__ import annotations

import pytest
from click.testing import CliRunner

from mock_server import __version__
from mock_server.cli import main


@pytest.fixture
def runner():
    return CliRunner()


def test_serve_help_lists_every_option(runner):
    result = runner.invoke(main, ["serve", "-h"])

    assert result.exit_code == 0
    for option in (
        "--host",
        "--port",
        "--schema",
        "--token",
        "--seed",
        "--cors-origin",
        "--no-admin",
        "--log-level",
    ):
        assert option in result.output
    assert "SMTP_MOCK_" in result.output


def test_version(runner):
    result = runner.invoke(main, ["--version"])

    assert result.exit_code == 0
    assert __version__ in result.output


def test_missing_schema_is_a_usage_error(runner, tmp_path):
    result = runner.invoke(main, ["serve", "--schema", str(tmp_path / "none.graphql")])

    assert result.exit_code == 2
    assert "Cannot load schema from" in result.output


def test_options_come_from_the_environment(runner, tmp_path):
    result = runner.invoke(
        main, ["serve"], env={"SMTP_MOCK_SCHEMA": str(tmp_path / "env.graphql")}
    )

    assert result.exit_code == 2
    assert "env.graphql" in result.output


def test_blank_token_is_a_usage_error(runner):
    result = runner.invoke(main, ["serve", "--token", " "])

    assert result.exit_code == 2
    assert "token must not be blank" in result.output


def test_invalid_port_is_a_usage_error(runner):
    result = runner.invoke(main, ["serve", "--port", "70000"])

    assert result.exit_code == 2

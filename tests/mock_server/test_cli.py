from __future__ import annotations

import pytest
from click.testing import CliRunner

from mock_server import __version__
from mock_server.cli import ServeSettings, main


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
        "--store",
        "--workers",
        "--session-header",
        "--faults",
        "--no-compile",
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


@pytest.mark.parametrize("compiled", [True, False])
def test_worker_settings_survive_the_environment(monkeypatch, compiled):
    settings = ServeSettings(
        schema=None,
        token="t",
        seed=3,
        cors_origins=("http://a.test",),
        admin=False,
        store="memory://",
        session_header="X-S",
        log_level="warning",
        compiled=compiled,
    )
    for name, value in settings.to_environment().items():
        monkeypatch.setenv(name, value)

    assert ServeSettings.from_environment() == settings


def test_log_timestamps_read_exactly_as_the_standard_formatter_writes_them():
    import logging

    from mock_server.cli import LOG_FORMAT, SecondCachingFormatter

    cached, standard = SecondCachingFormatter(LOG_FORMAT), logging.Formatter(LOG_FORMAT)
    for created in (1_700_000_000.0, 1_700_000_000.999, 1_700_000_001.0005, 5.25):
        record = logging.makeLogRecord({"msg": "line", "name": "mock_server"})
        record.created, record.msecs = created, (created - int(created)) * 1000
        assert cached.format(record) == standard.format(record)


def test_start_up_objects_are_frozen_out_of_collections():
    import gc

    from mock_server.cli import freeze_startup_objects

    try:
        freeze_startup_objects()
        assert gc.get_freeze_count() > 1000
    finally:
        gc.unfreeze()

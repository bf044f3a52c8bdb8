from __future__ import annotations

import xml.etree.ElementTree as ET

import pytest
from click.testing import CliRunner
from graphql import build_schema

from contracts.cli.commands import main
from contracts.pytest_plugin import mock_target, packaged_schema_path
from contracts.tools import drift

CONTRACT_SDL = packaged_schema_path().read_text()


def changed(old: str, new: str) -> str:
    assert old in CONTRACT_SDL
    return CONTRACT_SDL.replace(old, new, 1)


def changes_against(sdl: str) -> list[drift.Change]:
    return drift.compare(build_schema(CONTRACT_SDL), build_schema(sdl))


def test_the_mock_shows_no_drift():
    theirs = drift.introspect(mock_target())

    assert drift.compare(build_schema(CONTRACT_SDL), theirs) == []


@pytest.mark.parametrize(
    ("sdl", "words"),
    [
        (changed("  port: String!\n  organizationId", "  port: Int!\n  organizationId"),
         "SmtpConfiguration.port changed type from String! to Int!"),
        (changed("  host: String!\n", "  host: String!\n  tlsMode: String!\n"),
         "A required field tlsMode on input type SmtpConfigurationInput was added"),
        (changed("  ipRelayAuth: Boolean!\n}", "}"),
         "SmtpConfiguration.ipRelayAuth was removed"),
    ],
)  # fmt: skip
def test_planted_breaking_changes_are_breaking(sdl, words):
    [change] = [c for c in changes_against(sdl) if c.severity == drift.BREAKING]

    assert words in change.description
    assert change.in_contract
    assert change.fails


def test_a_new_optional_field_is_safe():
    sdl = changed(
        "  ipRelayAuth: Boolean!\n}", "  ipRelayAuth: Boolean!\n  tls: Boolean\n}"
    )

    [change] = changes_against(sdl)

    assert change.severity == drift.SAFE
    assert change.description == "SmtpConfiguration.tls was added."
    assert not change.fails


def test_changes_outside_the_contract_are_listed_not_fatal():
    sdl = (
        changed(
            '  "NOT FROM THE GUIDE: one sender by id, or null when there is none."\n'
            "  smtpCustomEmail(id: ID!): SmtpCustomEmail\n",
            "",
        )
        + "type Extra { a: Int }\n"
    )

    changes = changes_against(sdl)

    assert {c.severity for c in changes} == {drift.BREAKING, drift.SAFE}
    assert not any(c.fails for c in changes)
    assert drift.table(changes)[-1] == "0 breaking change(s) in the contract's types"


def test_cli_exits_1_on_breaking_changes_and_writes_junit(tmp_path):
    other = tmp_path / "other.graphql"
    other.write_text(
        changed("  port: String!\n  organizationId", "  port: Int!\n  organizationId")
    )
    junit = tmp_path / "drift.xml"

    result = CliRunner().invoke(
        main, ["drift", "--against", str(other), "--junitxml", str(junit)]
    )

    assert result.exit_code == 1
    assert "breaking   contract  SmtpConfiguration.port changed type" in result.output
    suite = ET.parse(junit).getroot()
    assert suite.get("failures") == "1"


def test_cli_without_a_target_compares_the_mock():
    result = CliRunner().invoke(main, ["drift"])

    assert result.exit_code == 0
    assert result.output.strip() == "no drift: the schemas are the same"


def test_cli_reports_disabled_introspection_with_exit_2():
    # Port 1 refuses connections; a server without introspection answers
    # without __schema, which gets the same exit code and a clear sentence.
    result = CliRunner().invoke(main, ["drift", "--url", "http://127.0.0.1:1/graphql"])

    assert result.exit_code == 2
    assert "did not answer" in result.output


def test_an_endpoint_without_introspection_is_said_clearly():
    from contracts.client.target import Target
    from contracts.errors import ContractError

    mock = mock_target()
    # A URL that answers, but not with a schema.
    elsewhere = Target(mock.client, "http://127.0.0.1:4000/__mock/health")

    with pytest.raises(ContractError, match="introspection may be disabled"):
        drift.introspect(elsewhere)


def test_cli_refuses_both_url_and_against(tmp_path):
    other = tmp_path / "o.graphql"
    other.write_text(CONTRACT_SDL)

    result = CliRunner().invoke(
        main, ["drift", "--url", "http://h/graphql", "--against", str(other)]
    )

    assert result.exit_code == 2


def test_invalid_sdl_is_a_usage_error(tmp_path):
    other = tmp_path / "o.graphql"
    other.write_text("type {")

    result = CliRunner().invoke(main, ["drift", "--against", str(other)])

    assert result.exit_code == 2
    assert "not a valid SDL file" in result.output

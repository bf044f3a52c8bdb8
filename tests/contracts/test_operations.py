"""`smtp-contract operations check` and `replay`."""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET

import pytest
from click.testing import CliRunner

from contracts._mock import packaged_schema_path
from contracts.cli import main

CREATE_DOCUMENT = """mutation CreateSender(
  $input: CreateSmtpCustomEmailWithConfigurationInput!
) {
  createSmtpCustomEmailWithConfiguration(input: $input) {
    smtpCustomEmail { id smtpConfiguration { port } }
  }
}"""
ONE_DOCUMENT = """query One($org: ID!) {
  smtpConfigurations(organizationId: $org) { nodes { id username } }
}"""
TSX = """import { gql } from "@apollo/client";

export const CONFIGURATION_FIELDS = gql`
  fragment ConfigurationFields on SmtpConfiguration {
    id
    host
  }
`;

export const LIST = gql`
  ${CONFIGURATION_FIELDS}
  query Senders($org: ID!) {
    smtpConfigurations(organizationId: $org) { nodes { ...ConfigurationFields } }
  }
`;

export function Relay() {
  return useQuery(graphql(`
    query RelayFlag($org: ID!) {
      smtpConfigurations(organizationId: $org, defaultSmtp: true) {
        nodes { ipRelayAuth }
      }
    }
  `));
}
"""


# Anchors in schema.graphql's `SmtpConfiguration` and `smtpConfigurations`.
USERNAME_OUT = '  "The SMTP user name; null with IP relay."\n  username: String\n'
RELAY_OUT = '  ipRelayAuth: Boolean!\n  "The SMTP user name'
DEFAULT_ARGUMENT = "    defaultSmtp: Boolean\n  ): SmtpConfigurationConnection"


@pytest.fixture
def runner():
    return CliRunner()


@pytest.fixture
def sources(tmp_path):
    record = {"document": CREATE_DOCUMENT, "hash": "h", "operationName": "CreateSender"}
    (tmp_path / "recorded.jsonl").write_text(json.dumps(record) + "\n")
    (tmp_path / "one.graphql").write_text("\n\n" + ONE_DOCUMENT + "\n")
    web = tmp_path / "web"
    web.mkdir()
    (web / "senders.tsx").write_text(TSX)
    return tmp_path


def changed_schema(tmp_path, old, new):
    sdl = packaged_schema_path().read_text()
    assert old in sdl
    path = tmp_path / "changed.graphql"
    path.write_text(sdl.replace(old, new))
    return str(path)


def check(runner, *args):
    return runner.invoke(main, ["operations", "check", *map(str, args)])


def test_every_operation_valid_against_the_contract_exits_0(runner, sources):
    result = check(runner, sources)
    assert result.exit_code == 0, result.output
    assert "4 operations checked: 0 broken, 0 warnings" in result.output
    assert f"ok    Senders  {sources / 'web' / 'senders.tsx'}:12" in result.output
    assert f"ok    One  {sources / 'one.graphql'}:3" in result.output
    assert f"ok    CreateSender  {sources / 'recorded.jsonl'}:1" in result.output
    assert f"ok    RelayFlag  {sources / 'web' / 'senders.tsx'}:19" in result.output


@pytest.mark.parametrize(
    ("old", "new", "broken", "message"),
    [
        # A field removed: only the operation selecting it breaks.
        (USERNAME_OUT, "", {"One"}, "username"),
        # An argument made required: the operations that leave it out break.
        (DEFAULT_ARGUMENT, DEFAULT_ARGUMENT.replace("Boolean", "Boolean!"),
         {"One", "Senders"}, "defaultSmtp"),
        # A type changed: ipRelayAuth becomes an object.
        (RELAY_OUT, RELAY_OUT.replace("Boolean!", "SmtpConfiguration!"),
         {"RelayFlag"}, "ipRelayAuth"),
    ],
)  # fmt: skip
def test_exactly_the_affected_operations_fail_with_file_and_line(
    runner, sources, tmp_path, old, new, broken, message
):
    schema = changed_schema(tmp_path, old, new)
    result = check(runner, sources, "--schema", schema)

    assert result.exit_code == 1, result.output
    failed = {
        line.split()[1]
        for line in result.output.splitlines()
        if line.startswith("FAIL")
    }
    assert failed == broken
    assert message in result.output
    assert f"{len(broken)} broken" in result.output


def test_deprecated_fields_are_warnings_not_failures(runner, sources, tmp_path):
    schema = changed_schema(
        tmp_path,
        USERNAME_OUT,
        USERNAME_OUT.replace("String", 'String @deprecated(reason: "use login")'),
    )
    result = check(runner, sources, "--schema", schema)
    assert result.exit_code == 0, result.output
    assert "WARN  One" in result.output
    assert "1 warnings" in result.output


def test_text_that_is_not_graphql_is_a_failure_with_its_line(runner, tmp_path):
    (tmp_path / "bad.graphql").write_text("query {\n  smtpConfigurations(id: 1 {\n")
    (tmp_path / "bad.jsonl").write_text("not json\n")
    result = check(runner, tmp_path)
    assert result.exit_code == 1
    assert f"{tmp_path / 'bad.graphql'}:2" in result.output
    assert f"{tmp_path / 'bad.jsonl'}:1" in result.output


def test_junit_report_has_one_case_per_operation(runner, sources, tmp_path):
    report = tmp_path / "ops.xml"
    schema = changed_schema(
        tmp_path, RELAY_OUT, RELAY_OUT.replace("Boolean!", "String!")
    )
    result = check(runner, sources, "--schema", schema, "--junitxml", report)
    assert result.exit_code == 0, result.output  # a scalar swap keeps them valid
    suite = ET.parse(report).getroot()
    assert suite.get("tests") == "4"
    assert {case.get("name") for case in suite} == {
        "CreateSender", "Senders", "One", "RelayFlag"
    }  # fmt: skip


def test_an_unreadable_schema_exits_2(runner, sources, tmp_path):
    bad = tmp_path / "bad-schema.graphql"
    bad.write_text("type {")
    assert check(runner, sources, "--schema", bad).exit_code == 2


def test_a_source_matching_nothing_exits_2(runner, tmp_path):
    assert check(runner, tmp_path / "nothing-*.graphql").exit_code == 2


def test_globs_are_expanded(runner, sources):
    result = check(runner, f"{sources}/**/*.tsx")
    assert result.exit_code == 0, result.output
    assert "2 operations checked" in result.output

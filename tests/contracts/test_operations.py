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
LIST_DOCUMENT = """query Senders($org: ID!) {
  smtpCustomEmails(organizationId: $org) { ...SenderFields }
}"""
ONE_DOCUMENT = """query One($id: ID!) {
  smtpCustomEmail(id: $id) { id senderName }
}"""
TSX = """import { gql } from "@apollo/client";

export const SENDER_FIELDS = gql`
  fragment SenderFields on SmtpCustomEmail {
    id
    emailAddress
  }
`;

export const LIST = gql`
  ${SENDER_FIELDS}
  query Senders($org: ID!) {
    smtpCustomEmails(organizationId: $org) { ...SenderFields }
  }
`;

export function Relay() {
  return useQuery(graphql(`
    query RelayFlag($id: ID!) {
      smtpCustomEmail(id: $id) { smtpConfiguration { ipRelayAuth } }
    }
  `));
}
"""


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
        ("  senderName: String!\n  smtpConfiguration: SmtpConfiguration\n}",
         "  smtpConfiguration: SmtpConfiguration\n}", {"One"}, "senderName"),
        # An argument made required.
        ("smtpCustomEmail(id: ID!): SmtpCustomEmail",
         "smtpCustomEmail(id: ID!, organizationId: ID!): SmtpCustomEmail",
         {"One", "RelayFlag"}, "organizationId"),
        # A type changed: ipRelayAuth becomes an object.
        ("  ipRelayAuth: Boolean!\n}", "  ipRelayAuth: SmtpConfiguration!\n}",
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
        "  senderName: String!\n  smtpConfiguration: SmtpConfiguration\n}",
        '  senderName: String! @deprecated(reason: "use displayName")\n'
        "  smtpConfiguration: SmtpConfiguration\n}",
    )
    result = check(runner, sources, "--schema", schema)
    assert result.exit_code == 0, result.output
    assert "WARN  One" in result.output
    assert "1 warnings" in result.output


def test_text_that_is_not_graphql_is_a_failure_with_its_line(runner, tmp_path):
    (tmp_path / "bad.graphql").write_text("query {\n  smtpCustomEmail(id: 1 {\n")
    (tmp_path / "bad.jsonl").write_text("not json\n")
    result = check(runner, tmp_path)
    assert result.exit_code == 1
    assert f"{tmp_path / 'bad.graphql'}:2" in result.output
    assert f"{tmp_path / 'bad.jsonl'}:1" in result.output


def test_junit_report_has_one_case_per_operation(runner, sources, tmp_path):
    report = tmp_path / "ops.xml"
    schema = changed_schema(
        tmp_path, "  ipRelayAuth: Boolean!\n}", "  ipRelayAuth: String!\n}"
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

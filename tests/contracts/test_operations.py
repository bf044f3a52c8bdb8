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


BAD_FIELD_TSX = """import { gql } from "@apollo/client";

export const SENDERS = gql`
  query Senders($org: ID!) {
    smtpConfigurations(organizationId: $org) {
      nodes {
        id
        removedField
      }
    }
  }
`;
"""


def test_an_error_is_reported_at_its_own_line_and_column(runner, tmp_path):
    (tmp_path / "senders.tsx").write_text(BAD_FIELD_TSX)
    report = tmp_path / "ops.xml"
    result = check(runner, tmp_path / "senders.tsx", "--junitxml", report)

    assert result.exit_code == 1, result.output
    assert f"FAIL  Senders  {tmp_path / 'senders.tsx'}:4:3" in result.output
    assert f"{tmp_path / 'senders.tsx'}:8:9: error: Cannot query field" in (
        result.output
    )
    (case,) = ET.parse(report).getroot()
    assert (case.get("file"), case.get("line")) == (str(tmp_path / "senders.tsx"), "8")
    (failure,) = case
    assert str(failure.get("message")).startswith("error: Cannot query field 'rem")


def test_a_document_with_a_type_definition_fails_each_of_its_operations(
    runner, tmp_path
):
    (tmp_path / "mixed.graphql").write_text(ONE_DOCUMENT + "\ntype Extra { id: ID }\n")
    result = check(runner, tmp_path)
    assert result.exit_code == 1, result.output
    assert f"{tmp_path / 'mixed.graphql'}:4:1: error: The 'Extra' definition" in (
        result.output
    )
    assert "1 operations checked: 1 broken" in result.output


def test_a_schema_file_among_the_sources_is_not_an_operation(runner, tmp_path):
    (tmp_path / "schema.graphql").write_text(packaged_schema_path().read_text())
    (tmp_path / "one.graphql").write_text(ONE_DOCUMENT)
    result = check(runner, tmp_path)
    assert result.exit_code == 0, result.output
    assert "1 operations checked: 0 broken" in result.output


def test_a_fragment_two_files_define_differently_is_named_where_spread(
    runner, tmp_path
):
    (tmp_path / "a.graphql").write_text("fragment F on SmtpConfiguration { id }\n")
    (tmp_path / "b.graphql").write_text("fragment F on SmtpCustomEmail { id }\n")
    (tmp_path / "c.graphql").write_text(
        "query C($org: ID!) {\n  smtpConfigurations(organizationId: $org) "
        "{ nodes { ...F } }\n}\n"
    )
    result = check(runner, tmp_path)
    assert result.exit_code == 1, result.output
    assert (
        f"{tmp_path / 'c.graphql'}:2:54: error: Fragment 'F' is defined "
        f"differently in {tmp_path / 'a.graphql'}:1:1 and {tmp_path / 'b.graphql'}:1:1"
    ) in result.output


def test_a_failing_recorded_operation_names_the_clients_that_use_it(runner, tmp_path):
    old = 'query One { smtpConfigurations(organizationId: "1") { nodes { gone } } }'
    new = 'query One { smtpConfigurations(organizationId: "1") { nodes { id } } }'
    lines = [
        {"document": old, "operationName": "One", "client": "web/1.2"},
        {"document": old, "operationName": "One", "client": "ios/3.0"},
        {"document": old, "operationName": "One", "client": "web/1.2"},
        {"document": new, "operationName": "One", "client": "web/1.3"},
    ]
    records = tmp_path / "recorded.jsonl"
    records.write_text("".join(json.dumps(line) + "\n" for line in lines))
    report = tmp_path / "ops.xml"
    result = check(runner, records, "--junitxml", report)

    assert result.exit_code == 1, result.output
    assert f"FAIL  One  {records}:1\n" in result.output
    assert (
        f"{records}:1: error: Cannot query field 'gone' on type 'SmtpConfiguration'."
        " (line 1, column 63 of the recorded document)"
    ) in result.output
    used = (
        "used by 2 clients: web/1.2, ios/3.0; "
        "2 distinct recorded documents are named One"
    )
    assert used in result.output
    assert used in ET.parse(report).getroot().findtext("testcase/failure", "")
    assert "2 operations checked: 1 broken" in result.output


def test_a_junit_report_into_a_missing_folder_is_a_usage_error(runner, sources):
    result = check(runner, sources, "--junitxml", sources / "missing" / "ops.xml")
    assert result.exit_code == 2
    assert "does not exist" in result.output
    assert "Traceback" not in result.output


@pytest.mark.parametrize(
    ("name", "message"),
    [
        ("notes.txt", "cannot read operations from"),
        ("missing.graphql", "no such file or folder"),
    ],
)
def test_a_source_that_is_not_one_is_a_one_line_usage_error(
    runner, tmp_path, name, message
):
    (tmp_path / "notes.txt").write_text("query { x }")
    result = check(runner, tmp_path / name)
    assert result.exit_code == 2
    assert message in result.output
    errors = [line for line in result.output.splitlines() if "Error" in line]
    assert len(errors) == 1, result.output  # click's usage, hint, then one line


def test_a_folder_without_sources_is_a_usage_error(runner, tmp_path):
    (tmp_path / "notes.txt").write_text("nothing here")
    result = check(runner, tmp_path)
    assert result.exit_code == 2
    assert "no .cjs, .cts, .gql, .graphql" in result.output


def test_a_script_the_parser_cannot_read_is_a_warning(runner, tmp_path):
    (tmp_path / "broken.ts").write_text(
        "function (\n const = = ;\nexport const Q = gql`query Q { __typename }`;\n"
    )
    result = check(runner, tmp_path)
    assert result.exit_code == 0, result.output
    assert f"WARN  <not read>  {tmp_path / 'broken.ts'}:1:" in result.output


def test_replay_reads_each_distinct_record_once_with_all_its_clients(tmp_path):
    from contracts.tools.operations.replay import read_records

    line = {"document": ONE_DOCUMENT, "hash": "h", "operationName": "One"}
    path = tmp_path / "recorded.jsonl"
    path.write_text(
        "".join(
            json.dumps({**line, "client": client}) + "\n"
            for client in ("web/1.2", "ios/3.0", "web/1.2")
        )
        + "not json\n"
    )
    (record,) = read_records(path)
    assert record["clients"] == ["web/1.2", "ios/3.0"]


def test_apollo_client_only_parts_are_removed_only_with_apollo(runner):
    from tests.contracts.test_operations_corpus import CORPUS

    case = CORPUS / "ok--apollo-client-directives.apollo.ts"
    assert check(runner, case, "--apollo").exit_code == 0
    without = check(runner, case)
    assert without.exit_code == 1
    assert "Unknown directive '@client'" in without.output

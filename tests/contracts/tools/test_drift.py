from __future__ import annotations

import json
import xml.etree.ElementTree as ET

import pytest
from click.testing import CliRunner
from graphql import build_schema

from contracts.clauses import ClauseId
from contracts.cli.commands import main
from contracts.client.in_process import mock_target
from contracts.tools import drift
from contracts.tools.drift import _core
from tests.contracts.tools.drift_variants import CONTRACT_SDL, VARIANTS, changed

BREAKING, DANGEROUS = drift.Severity.BREAKING, drift.Severity.DANGEROUS
SAFE, INFO = drift.Severity.SAFE, drift.Severity.INFO
_VARIANTS = {variant.id: variant for variant in VARIANTS}


def changes_against(sdl: str) -> list[drift.Change]:
    return drift.compare(build_schema(CONTRACT_SDL), build_schema(sdl))


def variant_changes(variant_id: str) -> list[drift.Change]:
    variant = _VARIANTS[variant_id]
    return drift.compare(build_schema(variant.old), build_schema(variant.new))


def drift_against(tmp_path, sdl: str, *args: str):
    other = tmp_path / "other.graphql"
    other.write_text(sdl)
    return CliRunner().invoke(main, ["drift", "--against", str(other), *args])


def test_the_mock_shows_no_drift():
    theirs = drift.introspect(mock_target())

    assert drift.compare(build_schema(CONTRACT_SDL), theirs) == []


def test_identical_schemas_are_the_same():
    assert changes_against(CONTRACT_SDL) == []
    assert drift.table([]) == ["no drift: the schemas are the same"]


@pytest.mark.parametrize(
    ("variant_id", "coordinate", "kind", "clause"),
    [
        ("relay-default-true", "SmtpConfigurationInput.ipRelayAuth",
         "input-field-default-changed", ClauseId.RELAY_DEFAULT_FALSE),
        ("relay-default-removed", "SmtpConfigurationInput.ipRelayAuth",
         "input-field-default-changed", ClauseId.RELAY_DEFAULT_FALSE),
        ("sender-name-optional",
         "CreateSmtpCustomEmailWithConfigurationInput.senderName",
         "input-field-type-changed", ClauseId.ARGUMENTS_REQUIRED),
        ("port-input-optional", "SmtpConfigurationInput.port",
         "input-field-type-changed", ClauseId.ARGUMENTS_REQUIRED),
        ("port-input-string", "SmtpConfigurationInput.port",
         "input-field-type-changed", ClauseId.CREATE_PORT_STRING),
        ("mutation-input-optional",
         "Mutation.createSmtpCustomEmailWithConfiguration(input:)",
         "argument-type-changed", ClauseId.ARGUMENTS_REQUIRED),
        ("password-input-removed", "SmtpConfigurationInput.password",
         "input-field-removed", ClauseId.CREDENTIALS_REQUIRED),
        ("port-output-int", "SmtpConfiguration.port", "field-type-changed",
         ClauseId.CREATE_PORT_STRING),
        ("sender-configuration-non-null", "SmtpCustomEmail.smtpConfiguration",
         "field-type-changed", ClauseId.CREATE_BOTH_OBJECTS),
        ("payload-sender-removed",
         "CreateSmtpCustomEmailWithConfigurationPayload.smtpCustomEmail",
         "field-removed", ClauseId.CREATE_BOTH_OBJECTS),
    ],
)  # fmt: skip
def test_documented_elements_changed_are_breaking_with_their_clause(
    variant_id, coordinate, kind, clause
):
    [change] = [c for c in variant_changes(variant_id) if c.coordinate == coordinate]

    assert (change.kind, change.severity, change.clause) == (kind, BREAKING, clause)
    assert change.fails


@pytest.mark.parametrize(
    ("variant_id", "severity"),
    [
        ("type-description-changed", INFO),
        ("input-field-deprecated", INFO),
        ("output-field-added", SAFE),
        ("optional-input-field-added", DANGEROUS),
        ("directive-used-on-input-field", DANGEROUS),
        ("enum-value-added", DANGEROUS),
        ("argument-default-changed", DANGEROUS),
    ],
)
def test_undocumented_changes_are_listed_and_do_not_fail(variant_id, severity):
    changes = variant_changes(variant_id)

    assert max(c.severity.rank for c in changes) == severity.rank
    assert not any(c.fails or c.clause for c in changes)


def test_graphql_core_grades_are_kept_and_raised_never_lowered():
    # Int is no longer referenced: graphql-core calls that breaking, the walk
    # finds it too, and the contract's clause comes on top at `port`.
    changes = changes_against(CONTRACT_SDL.replace("port: Int", "port: String"))

    graded = {(c.coordinate, c.severity) for c in changes}
    # A built-in scalar going unused is the library's business, not graded.
    assert ("Int", INFO) in graded
    assert ("SmtpConfigurationInput.port", BREAKING) in graded
    assert {c.coordinate for c in changes if c.clause} == {
        "SmtpConfigurationInput.port"
    }


def test_a_change_only_graphql_core_finds_is_kept_on_its_own():
    walked = [drift.Change("T.f", "field-added", SAFE, "T.f was added.")]
    core = [drift.Change("", "field-removed", BREAKING, "reworded by graphql-core")]

    merged = _core.keep_core_grades(walked, core)

    assert merged == [*walked, *core]


def test_a_sentence_graphql_core_rewords_is_kept_without_a_coordinate(monkeypatch):
    monkeypatch.setitem(
        _core._PATTERNS, "FIELD_REMOVED", ("never matches", "field-removed", "{0}")
    )
    sdl = changed("  ipRelayAuth: Boolean!\n", "", within="type SmtpConfiguration")

    [core] = _core.core_changes(build_schema(CONTRACT_SDL), build_schema(sdl))

    assert (core.coordinate, core.severity) == ("", BREAKING)


def test_every_kind_of_element_is_compared():
    sdl = (
        changed("schema {", "schema @tag {")
        + '\n"tags"\ndirective @tag(name: String = "a") repeatable on SCHEMA\n'
        + 'scalar Url @specifiedBy(url: "https://u.example")\n'
        + "type Query2 { a: Int }\n"
    )
    old = build_schema(sdl)
    new = build_schema(
        changed("type Query {", "type Query2x {", sdl)
        .replace("  query: Query\n", "  query: Query2\n")
        .replace("schema @tag", 'schema @tag(name: "b")')
        .replace('"tags"', '"labels"')
        .replace('String = "a") repeatable', 'String = "c")')
        .replace("https://u.example", "https://v.example")
    )

    kinds = {(c.coordinate, c.kind) for c in drift.compare(old, new)}

    assert {
        ("schema", "root-type-changed"),
        ("schema.@tag", "directive-usage-changed"),
        ("@tag", "description-changed"),
        ("@tag", "directive-repeatable-changed"),
        ("@tag(name:)", "argument-default-changed"),
        ("Url", "specified-by-changed"),
        ("Query", "type-removed"),
        ("Query2x", "type-added"),
    } <= kinds


def test_directive_uses_are_compared_only_when_both_sides_are_sdl():
    variant = _VARIANTS["directive-used-on-output-field"]
    introspected = drift.introspect(mock_target())

    changes = drift.compare(build_schema(variant.new), introspected)

    assert not any(c.kind.startswith("directive-usage") for c in changes)


def test_directive_uses_removed_and_deprecations_lifted_are_reported():
    variant = _VARIANTS["directive-used-on-output-field"]
    deprecated = _VARIANTS["output-field-deprecated"]

    [removed] = drift.compare(build_schema(variant.new), build_schema(variant.old))
    [lifted] = drift.compare(build_schema(deprecated.new), build_schema(CONTRACT_SDL))
    reason = deprecated.new.replace("use displayName", "use label")
    [reworded] = drift.compare(build_schema(deprecated.new), build_schema(reason))

    assert removed.kind == "directive-usage-removed"
    assert lifted.message == "SmtpCustomEmail.senderName is no longer deprecated."
    assert reworded.new == "use label"


def test_the_issue_misses_exit_1_naming_the_clause(tmp_path):
    for variant_id, clause in (
        ("relay-default-true", ClauseId.RELAY_DEFAULT_FALSE),
        ("sender-name-optional", ClauseId.ARGUMENTS_REQUIRED),
    ):
        result = drift_against(tmp_path, _VARIANTS[variant_id].new)

        assert result.exit_code == 1, result.output
        assert f"[contradicts {clause}]" in result.output
        assert "the schemas are the same" not in result.output


def test_cli_json_lists_every_change_with_its_clause(tmp_path):
    result = drift_against(
        tmp_path, _VARIANTS["relay-default-true"].new, "--format", "json"
    )

    assert result.exit_code == 1
    document = json.loads(result.output)
    assert document == {
        "version": drift.JSON_VERSION,
        "same": False,
        "failing": 1,
        "changes": [
            {
                "coordinate": "SmtpConfigurationInput.ipRelayAuth",
                "kind": "input-field-default-changed",
                "severity": "breaking",
                "in_contract": True,
                "clause": ClauseId.RELAY_DEFAULT_FALSE,
                "message": "The default of SmtpConfigurationInput.ipRelayAuth "
                "changed from false to true.",
                "old": "false",
                "new": "true",
            }
        ],
    }


def test_cli_json_without_drift_says_same_and_exits_0():
    result = CliRunner().invoke(main, ["drift", "--format", "json"])

    assert result.exit_code == 0
    assert json.loads(result.output) == {
        "version": drift.JSON_VERSION, "same": True, "failing": 0, "changes": []
    }  # fmt: skip


def test_cli_exits_1_on_breaking_changes_and_writes_junit(tmp_path):
    junit = tmp_path / "drift.xml"

    result = drift_against(
        tmp_path, _VARIANTS["port-output-int"].new, "--junitxml", str(junit)
    )

    assert result.exit_code == 1
    assert "breaking   contract  SmtpConfiguration.port  " in result.output
    suite = ET.parse(junit).getroot()
    assert suite.get("failures") == "1"
    [failure] = suite.iter("failure")
    assert failure.text == "contradicts clause create.port-string"


def test_changes_outside_the_contract_are_listed_not_fatal(tmp_path):
    sdl = changed(
        "  smtpConfigurations(\n    organizationId: ID!\n    defaultSmtp: Boolean\n"
        "  ): SmtpConfigurationConnection\n",
        "  smtpConfigurations(organizationId: ID!): SmtpConfigurationConnection\n",
    )
    junit = tmp_path / "drift.xml"

    result = drift_against(
        tmp_path, sdl + "type Extra { a: Int }\n", "--junitxml", str(junit)
    )

    assert result.exit_code == 0
    assert "breaking   other     Query.smtpConfigurations(defaultSmtp:)" in (
        result.output
    )
    assert result.output.splitlines()[-1] == (
        "3 change(s); 0 breaking change(s) in the contract's types"
    )
    [case] = [c for c in ET.parse(junit).getroot() if "Query." in c.get("name", "")]
    assert case.find("failure") is None


def test_a_breaking_change_without_a_clause_names_the_contract_types(tmp_path):
    junit = tmp_path / "drift.xml"

    result = drift_against(
        tmp_path, _VARIANTS["required-input-field-added"].new, "--junitxml", str(junit)
    )

    assert result.exit_code == 1
    [failure] = ET.parse(junit).getroot().iter("failure")
    assert failure.text == "breaking change in a type the documented mutation uses"


def test_cli_without_a_target_compares_the_mock(tmp_path):
    junit = tmp_path / "drift.xml"

    result = CliRunner().invoke(main, ["drift", "--junitxml", str(junit)])

    assert result.exit_code == 0
    assert result.output.strip() == "no drift: the schemas are the same"
    assert ET.parse(junit).getroot().get("failures") == "0"


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
    result = drift_against(tmp_path, "type {")

    assert result.exit_code == 2
    assert "not a valid SDL file" in result.output


def test_an_unchanged_schema_with_directive_uses_and_urls_is_the_same():
    sdl = _VARIANTS["directive-used-on-output-field"].new + (
        'scalar Url @specifiedBy(url: "https://u.example")\n'
    )

    assert drift.compare(build_schema(sdl), build_schema(sdl)) == []


def test_an_argument_removed_is_breaking():
    variant = _VARIANTS["optional-argument-added"]

    [change] = drift.compare(build_schema(variant.new), build_schema(variant.old))

    assert (change.kind, change.severity) == ("argument-removed", BREAKING)
    assert change.fails


def test_without_the_documented_mutation_only_the_root_type_is_the_contract():
    schema = build_schema("type Query { a: Int }\ntype Mutation { other: Int }")

    assert drift.contract_types(schema) == {"Mutation"}


def test_an_unusable_introspection_is_a_contract_error():
    from types import SimpleNamespace
    from typing import Any, cast

    from contracts.errors import ContractError

    class Broken:
        url = "http://broken.example/graphql"

        def post(self, payload: Any) -> Any:
            return SimpleNamespace(status=200, body={"data": {"__schema": {}}})

    with pytest.raises(ContractError, match="introspection is not usable"):
        drift.introspect(cast("Any", Broken()))


def test_a_server_refusing_the_newer_introspection_gets_the_plain_one():
    from types import SimpleNamespace
    from typing import Any, cast

    mock = mock_target()
    asked: list[bool] = []

    class OldServer:
        url = mock.url

        def post(self, payload: Any) -> Any:
            newer = "specifiedByURL" in payload["query"]
            asked.append(newer)
            if newer:  # as a server predating these fields answers
                return SimpleNamespace(status=400, body={"errors": [{"message": "x"}]})
            return mock.post(payload)

    schema = drift.introspect(cast("Any", OldServer()))

    assert asked == [True, False]
    assert drift.compare(build_schema(CONTRACT_SDL), schema) == []


def test_a_built_in_directive_defined_differently_is_info_never_graded():
    # graphql-js (GraphQL Yoga, Apollo) lets @deprecated stand on more
    # locations than graphql-core does: the target's library, not its contract.
    theirs = CONTRACT_SDL + (
        '\ndirective @deprecated(reason: String = "No longer supported") on '
        "FIELD_DEFINITION | ARGUMENT_DEFINITION | INPUT_FIELD_DEFINITION | "
        "ENUM_VALUE | DIRECTIVE_DEFINITION\n"
    )

    changes = changes_against(theirs)

    assert changes
    assert {c.severity for c in changes} == {INFO}
    assert not any(c.fails or c.clause for c in changes)
    assert all("GraphQL built-in" in c.message for c in changes)

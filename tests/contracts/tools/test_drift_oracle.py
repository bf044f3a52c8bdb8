"""graphql-inspector as the oracle of `smtp-contract drift` (issue #19).

Every change graphql-inspector 7 (@graphql-inspector/core 8, pinned in
tests/js/drift-oracle/package-lock.json) reports on a single-change variant of
schema.graphql must be reported by drift at the same coordinate, with the same
kind, and, in the contract's types, at least as severe. Where drift is
stricter, `STRICTER` says why.
"""

from __future__ import annotations

import json
import re
import subprocess
from typing import Any

import pytest
from graphql import build_schema

from contracts.tools import drift
from tests.contracts.tools.drift_variants import VARIANTS, Variant

_KINDS = {
    "TYPE_ADDED": "type-added",
    "TYPE_REMOVED": "type-removed",
    "TYPE_KIND_CHANGED": "type-kind-changed",
    "FIELD_ADDED": "field-added",
    "FIELD_REMOVED": "field-removed",
    "FIELD_TYPE_CHANGED": "field-type-changed",
    "FIELD_ARGUMENT_ADDED": "argument-added",
    "FIELD_ARGUMENT_REMOVED": "argument-removed",
    "FIELD_ARGUMENT_TYPE_CHANGED": "argument-type-changed",
    "FIELD_ARGUMENT_DEFAULT_CHANGED": "argument-default-changed",
    "INPUT_FIELD_ADDED": "input-field-added",
    "INPUT_FIELD_REMOVED": "input-field-removed",
    "INPUT_FIELD_TYPE_CHANGED": "input-field-type-changed",
    "INPUT_FIELD_DEFAULT_VALUE_CHANGED": "input-field-default-changed",
    "ENUM_VALUE_ADDED": "enum-value-added",
    "ENUM_VALUE_REMOVED": "enum-value-removed",
    "UNION_MEMBER_ADDED": "union-member-added",
    "UNION_MEMBER_REMOVED": "union-member-removed",
    "OBJECT_TYPE_INTERFACE_ADDED": "interface-added",
    "OBJECT_TYPE_INTERFACE_REMOVED": "interface-removed",
    "DIRECTIVE_ADDED": "directive-added",
    "DIRECTIVE_REMOVED": "directive-removed",
    "DIRECTIVE_LOCATION_ADDED": "directive-location-added",
    "DIRECTIVE_LOCATION_REMOVED": "directive-location-removed",
    "DIRECTIVE_ARGUMENT_ADDED": "argument-added",
    "DIRECTIVE_ARGUMENT_REMOVED": "argument-removed",
    "DIRECTIVE_ARGUMENT_TYPE_CHANGED": "argument-type-changed",
    "DIRECTIVE_ARGUMENT_DEFAULT_VALUE_CHANGED": "argument-default-changed",
    "DIRECTIVE_REPEATABLE_ADDED": "directive-repeatable-changed",
    "DIRECTIVE_REPEATABLE_REMOVED": "directive-repeatable-changed",
    "SCHEMA_QUERY_TYPE_CHANGED": "root-type-changed",
    "SCHEMA_MUTATION_TYPE_CHANGED": "root-type-changed",
    "SCHEMA_SUBSCRIPTION_TYPE_CHANGED": "root-type-changed",
}
"""graphql-inspector's change types and drift's kinds for the same change."""

_GRADES = {"BREAKING": 2, "DANGEROUS": 1, "NON_BREAKING": 0}
# safe and info are both graphql-inspector's NON_BREAKING.
_DRIFT_GRADES = {"breaking": 2, "dangerous": 1, "safe": 0, "info": 0}

STRICTER: dict[str, str] = {
    **dict.fromkeys(
        ["relay-default-true", "relay-default-removed"],
        "relay.default-false: the guide documents the default false; a client that "
        "omits ipRelayAuth stops sending credentials (graphql-inspector: dangerous)",
    ),
    **dict.fromkeys(
        [
            "sender-name-optional",
            "email-address-optional",
            "host-input-optional",
            "port-input-optional",
            "organization-input-optional",
            "mutation-input-optional",
        ],
        "arguments.required: the guide marks the argument Required; making it "
        "optional breaks no client (graphql-inspector: non-breaking) but the "
        "contract run fails on it",
    ),
    **dict.fromkeys(
        ["mutation-payload-non-null", "sender-configuration-non-null"],
        "create.both-objects: the documented selection's nullability changed; "
        "safe for clients (graphql-inspector: non-breaking), not the documented "
        "shape",
    ),
    **dict.fromkeys(
        ["optional-input-field-added", "enum-type-and-field-added"],
        "graphql-core grades an optional input field added as dangerous "
        "(OPTIONAL_INPUT_FIELD_ADDED); graphql-inspector as non-breaking",
    ),
}
"""Variants where drift grades a contract change above graphql-inspector, and why."""


@pytest.fixture(scope="module")
def inspector(drift_oracle) -> dict[str, list[dict[str, Any]]]:
    pairs = [{"id": v.id, "old": v.old, "new": v.new} for v in VARIANTS]
    answer = subprocess.run(
        ["node", str(drift_oracle / "diff.mjs")],
        input=json.dumps(pairs),
        capture_output=True,
        text=True,
        check=True,
        timeout=120,
    )
    return json.loads(answer.stdout)  # type: ignore[no-any-return]


def dotted(coordinate: str) -> str:
    """A drift coordinate as graphql-inspector's path spells it."""
    if coordinate.startswith("@"):
        return coordinate.split("(")[0]  # directive arguments: the directive
    if coordinate.startswith("schema.@"):
        return coordinate.removeprefix("schema")
    return re.sub(r"\((\w+):\)$", r".\1", coordinate)


def expected(change: dict[str, Any]) -> tuple[str, str]:
    """(path, kind prefix) drift must report for one graphql-inspector change."""
    path, kind = change["path"], change["type"]
    for semantic, drift_kind in (
        ("@deprecated", "deprecation-changed"),
        ("@specifiedBy", "specified-by-changed"),
    ):
        if f".{semantic}" in path:
            return path.split(f".{semantic}")[0], drift_kind
    if kind.startswith("DIRECTIVE_USAGE_"):
        usage = re.match(r"^(.*\.@\w+)(?:\.\w+)?$", path)
        assert usage, path
        return usage.group(1), "directive-usage-"
    if "DESCRIPTION" in kind:
        return path, "description-changed"
    if "DEPRECATION" in kind:
        return path, "deprecation-changed"
    return path, _KINDS[kind]


def graded(variant: Variant, inspector) -> list[tuple[dict[str, Any], drift.Change]]:
    """Each graphql-inspector change with the drift change that matches it."""
    changes = drift.compare(build_schema(variant.old), build_schema(variant.new))
    pairs = []
    for theirs in inspector[variant.id]:
        path, kind = expected(theirs)
        ours = [
            c
            for c in changes
            if dotted(c.coordinate) == path and c.kind.startswith(kind)
        ]
        assert ours, (
            f"{variant.id}: drift misses {theirs} (looked for {kind} at {path})"
        )
        pairs.append((theirs, max(ours, key=lambda c: _DRIFT_GRADES[c.severity])))
    return pairs


def test_there_are_at_least_30_variants_and_each_is_one_change(inspector):
    assert len(VARIANTS) >= 30
    assert all(inspector[v.id] for v in VARIANTS)


@pytest.mark.no_cover  # measured by the other tests: see conftest.py
@pytest.mark.parametrize("variant", VARIANTS, ids=lambda v: v.id)
def test_drift_reports_what_graphql_inspector_reports(variant, inspector):
    for theirs, ours in graded(variant, inspector):
        if ours.in_contract:
            assert _DRIFT_GRADES[ours.severity] >= _GRADES[theirs["level"]], (
                f"{variant.id}: drift grades {ours} below {theirs}"
            )


def test_drift_is_stricter_exactly_where_the_table_says_why(inspector):
    stricter = {
        variant.id
        for variant in VARIANTS
        for theirs, ours in graded(variant, inspector)
        if ours.in_contract and _DRIFT_GRADES[ours.severity] > _GRADES[theirs["level"]]
    }

    assert stricter == set(STRICTER)


def test_a_missed_change_fails_the_comparison(inspector):
    variant = next(v for v in VARIANTS if v.id == "relay-default-true")
    # graphql-inspector's answer for another variant: drift cannot match it.
    wrong = {variant.id: inspector["type-added"]}

    with pytest.raises(AssertionError, match="drift misses"):
        graded(variant, wrong)

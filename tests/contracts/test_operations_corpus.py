"""The operations corpus: one case per spec rule and per JS/TS form (#27).

Each case under `operations_corpus/` is a file or a folder whose name states
its verdict: `ok--...` must pass `operations check`, `fail--...` must fail it.
A case `NAME.graphql` is checked against `NAME.graphqls` when that exists
(else the packaged schema); a name containing `.apollo.` is checked with
`--apollo`. `test_operations_oracle.py` runs GraphQL Inspector on the same
cases.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from contracts._mock import packaged_schema_path
from contracts.cli import main

CORPUS = Path(__file__).parent / "operations_corpus"
CASES = sorted(p for p in CORPUS.iterdir() if p.suffix != ".graphqls")


def expected_exit_code(case: Path) -> int:
    assert case.name.startswith(("ok--", "fail--")), case.name
    return 0 if case.name.startswith("ok--") else 1


def schema_of(case: Path) -> Path:
    own = case.with_suffix(".graphqls")
    return own if case.is_file() and own.is_file() else packaged_schema_path()


def apollo(case: Path) -> bool:
    return ".apollo." in case.name


@pytest.mark.parametrize("case", CASES, ids=lambda case: case.name)
def test_each_case_gets_the_verdict_its_name_states(case):
    args = ["operations", "check", str(case), "--schema", str(schema_of(case))]
    result = CliRunner().invoke(main, args + ["--apollo"] * apollo(case))
    assert result.exit_code == expected_exit_code(case), result.output


# Every executable-document rule of the spec, with the case that breaks it.
# graphql-js's MaxIntrospectionDepthRule is a server's safety limit, not a
# rule of the spec.
RULE_CASES = {
    "ExecutableDefinitionsRule": "executable-definitions",
    "UniqueOperationNamesRule": "operation-name-uniqueness",
    "LoneAnonymousOperationRule": "lone-anonymous-operation",
    "SingleFieldSubscriptionsRule": "subscription-single-root-field",
    "KnownOperationTypesRule": "operation-type-existence-subscription",
    "KnownTypeNamesRule": "fragment-spread-type-existence",
    "FragmentsOnCompositeTypesRule": "fragments-on-composite-types",
    "VariablesAreInputTypesRule": "variables-are-input-types",
    "ScalarLeafsRule": "leaf-field-selections",
    "FieldsOnCorrectTypeRule": "field-selections",
    "UniqueFragmentNamesRule": "fragment-name-uniqueness",
    "KnownFragmentNamesRule": "fragment-spread-target-defined",
    "NoUnusedFragmentsRule": "fragments-must-be-used",
    "PossibleFragmentSpreadsRule": "fragment-spread-is-possible",
    "NoFragmentCyclesRule": "fragment-spreads-must-not-form-cycles",
    "UniqueVariableNamesRule": "variable-uniqueness",
    "NoUndefinedVariablesRule": "all-variable-uses-defined",
    "NoUnusedVariablesRule": "all-variables-used",
    "KnownDirectivesRule": "directives-are-defined",
    "UniqueDirectivesPerLocationRule": "directives-unique-per-location",
    "KnownArgumentNamesRule": "argument-names",
    "UniqueArgumentNamesRule": "argument-uniqueness",
    "ValuesOfCorrectTypeRule": "values-of-correct-type",
    "ProvidedRequiredArgumentsRule": "required-arguments",
    "VariablesInAllowedPositionRule": "all-variable-usages-allowed",
    "OverlappingFieldsCanBeMergedRule": "field-selection-merging",
    "UniqueInputFieldNamesRule": "input-object-field-uniqueness",
}
ALSO_REFUSED = {
    # Cases a rule above refuses under another name (the spec's sections).
    "ValuesOfCorrectTypeRule": [
        "input-object-field-names",
        "input-object-required-fields",
    ],
    "KnownDirectivesRule": ["directives-in-valid-locations"],
}


def test_every_executable_document_rule_refuses_its_case():
    from graphql import build_schema, parse, validate

    from contracts.tools.operations.check import RULES

    by_name = {rule.__name__: rule for rule in RULES}
    assert set(by_name) - set(RULE_CASES) == {"MaxIntrospectionDepthRule"}
    for name, case in RULE_CASES.items():
        for slug in [case, *ALSO_REFUSED.get(name, [])]:
            path = CORPUS / f"fail--{slug}.graphql"
            schema = build_schema(schema_of(path).read_text(encoding="utf-8"))
            errors = validate(schema, parse(path.read_text()), [by_name[name]])
            assert errors, f"{name} accepts {path.name}"

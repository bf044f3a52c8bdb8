from __future__ import annotations

import pytest
from graphql import (
    GraphQLInputObjectType,
    GraphQLObjectType,
    TypeInfo,
    TypeInfoVisitor,
    Visitor,
    build_schema,
    parse,
    visit,
)

from contracts._mock import packaged_schema_path
from contracts.clause_coordinates import (
    CLAIMS_BY_COORDINATE,
    INPUT_CLAIMS,
    SELECTION_CLAIMS,
    SchemaClaim,
)
from contracts.clauses import CLAUSES_BY_ID, ClauseId
from contracts.documented import DOCUMENTED_OPERATION

SCHEMA = build_schema(packaged_schema_path().read_text(encoding="utf-8"))


def selected_coordinates() -> set[str]:
    """Type.field for every field the guide's operation selects."""
    info = TypeInfo(SCHEMA)
    found: set[str] = set()

    class Fields(Visitor):
        def enter_field(self, node, *_args):
            parent = info.get_parent_type()
            assert parent is not None
            found.add(f"{parent.name}.{node.name.value}")

    visit(parse(DOCUMENTED_OPERATION), TypeInfoVisitor(info, Fields()))
    return found


def test_the_selection_claims_are_exactly_the_documented_selection():
    assert {claim.coordinate for claim in SELECTION_CLAIMS} == selected_coordinates()


def test_every_input_claim_names_an_argument_or_input_field_of_the_schema():
    for claim in INPUT_CLAIMS:
        owner, _, rest = claim.coordinate.partition(".")
        named = SCHEMA.type_map[owner]
        assert isinstance(named, GraphQLObjectType | GraphQLInputObjectType)
        if "(" in rest:
            field, arg = rest.rstrip(":)").split("(")
            assert arg in named.fields[field].args
        else:
            assert rest in named.fields


def test_every_claim_names_a_real_clause():
    for claim in CLAIMS_BY_COORDINATE.values():
        assert claim.clause in CLAUSES_BY_ID
        assert claim.required_clause in {None, *CLAUSES_BY_ID}


PORT = SchemaClaim(
    "I.port", ClauseId.CREATE_PORT_STRING, required_clause=ClauseId.ARGUMENTS_REQUIRED
)


@pytest.mark.parametrize(
    ("kind", "old", "new", "clause"),
    [
        ("input-field-removed", None, None, ClauseId.ARGUMENTS_REQUIRED),
        ("input-field-type-changed", "Int!", "Int", ClauseId.ARGUMENTS_REQUIRED),
        ("input-field-type-changed", "Int!", "String!", ClauseId.CREATE_PORT_STRING),
        ("input-field-default-changed", None, "1", ClauseId.CREATE_PORT_STRING),
        ("description-changed", "a", "b", None),
        ("deprecation-changed", None, "gone", None),
        ("directive-usage-added", None, "@x", None),
    ],
)
def test_a_claim_is_contradicted_by_removal_type_and_default_changes_only(
    kind, old, new, clause
):
    assert PORT.contradicted_by(kind, old, new) == clause

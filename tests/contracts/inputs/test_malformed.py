from __future__ import annotations

import copy

from graphql import build_schema

from contracts._mock import packaged_schema_path
from contracts.documented import SCENARIO_B_VARIABLES, create_payload
from contracts.inputs.malformed import LABELS, malformed_bodies
from contracts.tools.conformance import SDL_CONFORMANCE, check_response

SCHEMA = build_schema(packaged_schema_path().read_text(encoding="utf-8"))
TYPENAME_ONLY = '{"data": {"__typename": "Query"}}'


def test_bodies_are_built_on_demand_in_label_order():
    variables = copy.deepcopy(SCENARIO_B_VARIABLES)

    bodies = malformed_bodies(variables)

    assert tuple(body.label for body in bodies) == LABELS
    [nan] = malformed_bodies(variables, ["NaN"])
    assert b"NaN" in nan.content
    assert nan.request == create_payload(variables)


def test_an_answer_is_judged_against_the_document_the_body_carries():
    # Issue #18: the nested body's document is `{ __typename }`, not the create.
    variables = copy.deepcopy(SCENARIO_B_VARIABLES)
    [nested] = malformed_bodies(variables, ["deeply nested"])

    assert nested.request == {"query": "{ __typename }"}
    assert check_response(SCHEMA, nested.request, 200, TYPENAME_ONLY) == []
    [wrong] = check_response(SCHEMA, create_payload(variables), 200, TYPENAME_ONLY)
    assert wrong.check == SDL_CONFORMANCE

from __future__ import annotations

import json
from typing import Any

import pytest

from contracts.client.exchanges import Exchange
from contracts.documented import MUTATION_FIELD, create_payload
from contracts.invariants import (
    error_shape_problem,
    is_uuid,
    password_echoed,
    port_as_string,
    refusal_observation,
    refusal_problem,
    submitted_passwords,
)


def answer(status: int, body: Any) -> Exchange:
    text = body if isinstance(body, str) else json.dumps(body)
    decoded = None if isinstance(body, str) else body
    return Exchange({}, True, {}, status, text, decoded)


CREATED = {"data": {MUTATION_FIELD: {"smtpCustomEmail": {"id": "x"}}}}
REFUSED = {"data": {MUTATION_FIELD: None}, "errors": [{"message": "taken"}]}


def test_passwords_wrapped_in_an_input_object_are_found():
    # client/api.py's own copy missed these before #12.
    payload = create_payload(
        {"input": {"smtpConfiguration": {"password": "pw-wrapped-1"}}},
        operation_name=None,
    )

    assert submitted_passwords(payload) == {"pw-wrapped-1"}


def test_inline_and_short_passwords():
    inline = 'mutation { c(input: {smtpConfiguration: {password: "hunter22"}}) }'

    assert submitted_passwords({"query": inline}) == {"hunter22"}
    assert submitted_passwords(create_payload({"password": "short"})) == set()
    # An unparsable query submits nothing inline.
    assert submitted_passwords({"query": 'password: "hunter22" {'}) == set()


def test_password_echo_uses_the_marker_to_skip_the_search():
    assert password_echoed("... pw-run1-x ...", {"pw-run1-x"}, marker="pw-run1")
    # The marker is absent, so even a listed password is not searched for:
    # that is what keeps the search linear (the marker prefixes every one).
    assert not password_echoed("... other-x ...", {"other-x"}, marker="pw-run1")
    assert password_echoed("... other-x ...", {"other-x"})


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("7e9f4d01-b412-43e0-999c-73e4f36889a9", True),
        ("a4f1b2c3-d4e5-6f78-9abc-d0e1f2a3b4c5", True),  # the guide's, not v4
        ("7e9f4d01b41243e0999c73e4f36889a9", False),
        (42, False),
    ],
)
def test_uuid_form(value, expected):
    assert is_uuid(value) is expected


def test_port_is_the_decimal_string_of_the_int_sent():
    assert port_as_string("587", 587)
    assert port_as_string("587")
    assert not port_as_string(587, 587)
    assert not port_as_string("0587", 587)
    assert not port_as_string("5x7")


@pytest.mark.parametrize(
    ("status", "body", "problem"),
    [
        (400, "<html>Bad Request</html>", None),
        (401, {"errors": [{"title": "Unauthorized"}]}, None),
        (413, "", None),
        (200, REFUSED, None),
        (500, REFUSED, "HTTP 500"),
        (502, "<html>bad gateway</html>", "HTTP 502"),
        (200, CREATED, "accepted"),
        (200, {"data": {MUTATION_FIELD: None}}, "no GraphQL error"),
        (200, "<html>ok</html>", "not a GraphQL answer"),
    ],
)
def test_refusals(status, body, problem):
    found = refusal_problem(answer(status, body))

    assert found is None if problem is None else problem in str(found)


def test_a_body_the_target_may_read_may_be_accepted():
    assert refusal_problem(answer(200, CREATED), may_accept=True) is None
    assert refusal_problem(answer(503, CREATED), may_accept=True) == "HTTP 503"


def test_refusals_are_observed_with_status_and_content_type():
    assert (
        refusal_observation(answer(400, "x"), "text/html; charset=utf-8")
        == "refused with HTTP 400 (text/html)"
    )
    assert refusal_observation(answer(200, REFUSED), "application/json") is None


def test_error_shape_judges_domain_errors_only():
    coded = {
        "data": {MUTATION_FIELD: None},
        "errors": [
            {
                "message": "m",
                "path": [MUTATION_FIELD],
                "extensions": {"code": "RECORD_INVALID"},
            }
        ],
    }
    uncoded = {
        "data": {MUTATION_FIELD: None},
        "errors": [{"message": "m", "path": [MUTATION_FIELD]}],
    }

    assert error_shape_problem(answer(200, coded)) is None
    assert error_shape_problem(answer(200, uncoded)) == (
        "an error entry has no extensions.code"
    )
    assert error_shape_problem(answer(400, uncoded)) is None
    partial = {"data": {"other": 1}, "errors": coded["errors"]}
    assert error_shape_problem(answer(200, partial)) is not None
    assert error_shape_problem(answer(200, partial), field=None) is None

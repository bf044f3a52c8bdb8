from __future__ import annotations

import json
from dataclasses import replace
from typing import Any

import pytest

from contracts.checks import Checker
from contracts.clauses import ClauseId
from contracts.client.exchanges import Exchange
from contracts.config import make_config
from contracts.documented import MUTATION_FIELD
from contracts.errors import ContractViolation
from contracts.invariants import successful_sender
from contracts.reports.results import FAILED, HELD, NOT_ENFORCED, NOT_RUN, Results

ID_A = "a4f1b2c3-d4e5-6f78-9abc-d0e1f2a3b4c5"  # the guide's own (not version 4)
ID_B = "7e9f4d01-b412-43e0-999c-73e4f36889a9"


def exchange(body, status=200, authenticated=True):
    return Exchange(
        payload={"query": "mutation", "variables": {}},
        authenticated=authenticated,
        headers={},
        status=status,
        text=json.dumps(body) if body is not None else "boom",
        body=body,
    )


def success(sender):
    return exchange({"data": {MUTATION_FIELD: {"smtpCustomEmail": sender}}})


def sender(**changes):
    base: dict[str, Any] = {
        "id": ID_A,
        "emailAddress": "a@example.com",
        "senderName": "A",
        "smtpConfiguration": {
            "id": ID_B,
            "host": "smtp.example.com",
            "port": "587",
            "organizationId": "1",
            "ipRelayAuth": False,
        },
    }
    for key, value in changes.items():
        target: dict[str, Any] = base if key in base else base["smtpConfiguration"]
        target[key] = value
    return base


VARIABLES = {
    "senderName": "A",
    "emailAddress": "a@example.com",
    "smtpConfiguration": {
        "host": "smtp.example.com",
        "port": 587,
        "organizationId": "1",
    },
}


@pytest.fixture
def results():
    return Results()


@pytest.fixture
def checker(results):
    return Checker(make_config(token="secret-token"), results, "http://h/graphql")


def test_a_correct_sender_passes_every_check(checker, results):
    created = sender()
    response = success(created)

    assert checker.created_sender(response, ClauseId.CREATE_BOTH_OBJECTS) == created
    checker.ids(response, created, set())
    checker.echoed(response, created, VARIABLES)
    checker.port(response, created, VARIABLES)
    checker.relay_flag(response, created, False, ClauseId.RELAY_DEFAULT_FALSE)

    assert results.status(ClauseId.CREATE_ECHO) == HELD
    assert results.status(ClauseId.EMAIL_OTHER_ORG) == NOT_RUN


@pytest.mark.parametrize(
    ("changes", "title"),
    [
        ({"id": "1"}, "not UUID-formatted"),
        ({"id": ID_B}, "share one id"),
    ],
)
def test_id_problems_are_violations(checker, changes, title):
    bad = sender(**changes)
    with pytest.raises(ContractViolation, match=title) as caught:
        checker.ids(success(bad), bad, set())

    assert caught.value.clause == ClauseId.CREATE_BOTH_OBJECTS


def test_reused_ids_are_violations(checker):
    with pytest.raises(ContractViolation, match="returned again"):
        checker.ids(success(sender()), sender(), {ID_A})


def test_violation_message_has_clause_expected_observed_and_a_token_free_curl(
    checker,
):
    bad = sender(port=587)
    with pytest.raises(ContractViolation) as caught:
        checker.port(success(bad), bad, VARIABLES)

    violation = caught.value
    text = str(violation)
    assert text.startswith("[documented] create.port-string: port is not returned")
    assert "\n\nClause:   port is sent as an Int" in text
    assert "Expected: '587' (a String)" in text
    assert "Observed: 587 (int)" in text
    assert '-H "Authorization: Bearer $SMTP_CONTRACT_TOKEN"' in text
    assert "secret-token" not in text
    assert repr(violation).startswith("ContractViolation(clause='create.port-string'")


def test_echo_names_the_field(checker):
    bad = sender(host="SMTP.EXAMPLE.COM")
    with pytest.raises(ContractViolation, match=r"smtpConfiguration\.host"):
        checker.echoed(success(bad), bad, VARIABLES)


@pytest.mark.parametrize(
    ("response", "accepted"),
    [
        (exchange({"errors": [{"message": "x"}]}, 400), True),
        (
            exchange({"data": {MUTATION_FIELD: None}, "errors": [{"message": "x"}]}),
            True,
        ),
        (exchange(None, 500), False),
        (exchange({"errors": [{"message": "x"}]}, 503), False),
        (success(sender()), False),
        (exchange({"data": {MUTATION_FIELD: None}}), False),
    ],
)
def test_rejected_needs_a_graphql_error_and_no_crash(checker, response, accepted):
    if accepted:
        checker.rejected(response, ClauseId.CREDENTIALS_REQUIRED, "accepted")
    else:
        with pytest.raises(ContractViolation):
            checker.rejected(response, ClauseId.CREDENTIALS_REQUIRED, "accepted")


@pytest.mark.parametrize(
    ("body", "status", "problem"),
    [
        ({"errors": []}, 200, "non-empty list"),
        ({"errors": [{"message": " "}]}, 200, "no message"),
        ({"data": {MUTATION_FIELD: {}}, "errors": [{"message": "m"}]}, 200, "not null"),
        ({"data": {MUTATION_FIELD: None}, "errors": [{"message": "m"}]}, 200, "code"),
        (
            {
                "data": {MUTATION_FIELD: None},
                "errors": [{"message": "m", "extensions": {"code": "C"}}],
            },
            200,
            "has no path",
        ),
        ({"data": None}, 200, "data is null and there are no errors"),
    ],
)
def test_error_shape_violations(checker, body, status, problem):
    with pytest.raises(ContractViolation, match=problem):
        checker.error_shape(exchange(body, status))


def test_error_shape_accepts_the_real_api_shape(checker, results):
    body = {
        "data": {MUTATION_FIELD: None},
        "errors": [
            {
                "message": "taken",
                "path": [MUTATION_FIELD],
                "extensions": {"code": "RECORD_INVALID"},
            }
        ],
    }
    checker.error_shape(exchange(body))
    checker.error_shape(exchange({"data": {"x": 1}}))

    assert results.records[ClauseId.ERRORS_SHAPE].checks == 1


@pytest.mark.parametrize(
    "body",
    [
        {"errors": [{"message": " "}]},
        {"errors": [{"message": "Variable $x got invalid value"}]},
        {"errors": [{"title": "Unauthorized", "detail": "A valid token is required"}]},
    ],
)
def test_a_request_level_error_body_is_the_targets_choice(checker, results, body):
    # Issue #12/#18: the guide documents no codes for HTTP 4xx answers.
    checker.error_shape(exchange(body, 400))

    assert results.status(ClauseId.ERRORS_SHAPE) == HELD


def test_password_leaks_are_found_without_printing_the_password(checker):
    leaky = exchange(
        {"data": None, "errors": [{"message": "bad pw-run1-hunter2", "path": ["a"]}]}
    )

    with pytest.raises(ContractViolation) as caught:
        checker.no_password(leaky, {"pw-run1-hunter2"}, "pw-run1")

    assert "hunter2" not in str(caught.value).split("Reproduce:")[0]


class Unsearchable:
    """Passwords that fail the test if anything iterates over them."""

    def __iter__(self):
        raise AssertionError("the passwords were searched")


def test_password_check_skips_the_search_when_the_marker_is_absent(checker, results):
    checker.no_password(exchange({"data": None}), Unsearchable(), "pw-run1")

    assert results.status(ClauseId.SECRETS_PASSWORD) == HELD
    with pytest.raises(AssertionError, match="searched"):
        checker.no_password(exchange({"m": "pw-run1"}), Unsearchable(), "pw-run1")


def test_unenforced_tiers_are_recorded_not_raised(results):
    checker = Checker(make_config(tier="documented"), results, "http://h/graphql")

    checker.error_shape(exchange({"errors": []}, 200))

    assert results.status(ClauseId.ERRORS_SHAPE) == NOT_ENFORCED


def test_failed_outcome_wins(results):
    results.checked(ClauseId.CREATE_ECHO)
    results.outcome(ClauseId.CREATE_ECHO, "failed")

    assert results.status(ClauseId.CREATE_ECHO) == FAILED
    assert results.failed() == [ClauseId.CREATE_ECHO]


def test_successful_sender_requires_a_clean_200():
    assert successful_sender(success(sender())) is not None
    assert successful_sender(exchange({"data": None}, 200)) is None
    assert successful_sender(exchange(None, 500)) is None


@pytest.mark.parametrize(
    ("status", "retry_after", "fails"),
    [(503, None, True), (429, " ", True), (503, "1", False), (500, None, False)],
)
def test_a_503_or_429_must_say_when_to_retry(
    checker, results, status, retry_after, fails
):
    answer = replace(
        exchange({"errors": [{"message": "busy"}]}, status), retry_after=retry_after
    )

    if fails:
        with pytest.raises(
            ContractViolation, match=f"HTTP {status} without Retry-After"
        ):
            checker.retry_after(answer)
    else:
        checker.retry_after(answer)
        assert results.records["errors.retry-after"].checks == (status != 500)

"""One exchange, one verdict per clause: run, fuzz and diff must agree (#12).

Each recorded exchange is fed through run's checker (`contracts.checks`),
fuzz's conformance check (`contracts.tools.conformance`) and diff's comparison
with what the mock answers to the same request (`contracts.tools.diff`).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

import pytest
from graphql import build_schema

from contracts._mock import packaged_schema_path
from contracts.checks import Checker
from contracts.clauses import ClauseId
from contracts.client.exchanges import Exchange
from contracts.config import make_config
from contracts.documented import MUTATION_FIELD, create_payload
from contracts.errors import ContractViolation
from contracts.invariants import submitted_passwords
from contracts.reports.results import Results
from contracts.tools import conformance, diff

PASSWORD = "pwagree-s3cret-1"
SHAPE, SECRETS = ClauseId.ERRORS_SHAPE, ClauseId.SECRETS_PASSWORD
QUOTED = ClauseId.SECRETS_PASSWORD_IN_REQUEST_ERRORS
HOLDS, FAILS, WARNS = "holds", "fails", "warns"
JSON, HTML = "application/json", "text/html; charset=utf-8"

VALID: dict[str, Any] = {
    "senderName": "Agree",
    "emailAddress": "agree@example.com",
    "smtpConfiguration": {
        "host": "smtp.example.com",
        "port": 587,
        "organizationId": "1",
        "username": "user",
        "password": PASSWORD,
    },
}
NO_USERNAME = {
    **VALID,
    "smtpConfiguration": {
        k: v for k, v in VALID["smtpConfiguration"].items() if k != "username"
    },
}
SENDER: dict[str, Any] = {
    "id": "7e9f4d01-b412-43e0-999c-73e4f36889a9",
    "emailAddress": "agree@example.com",
    "senderName": "Agree",
    "smtpConfiguration": {
        "id": "a4f1b2c3-d4e5-6f78-9abc-d0e1f2a3b4c5",
        "host": "smtp.example.com",
        "port": "587",
        "organizationId": "1",
        "ipRelayAuth": False,
    },
}


def _error(message: str, **extensions: Any) -> dict[str, Any]:
    return {"message": message, **({"extensions": extensions} if extensions else {})}


def _domain_error(*errors: dict[str, Any]) -> dict[str, Any]:
    # An error beside data names its field's path (GraphQL spec, "Errors").
    located = [{**error, "path": [MUTATION_FIELD]} for error in errors]
    return {"data": {MUTATION_FIELD: None}, "errors": located}


SUCCESS = {"data": {MUTATION_FIELD: {"smtpCustomEmail": SENDER}}}
MOCK_DOMAIN_ERROR = _domain_error(
    _error("username and password are required", code="RECORD_INVALID")
)
MOCK_400 = {"errors": [_error("Variable invalid", code="BAD_USER_INPUT")]}
MOCK_401 = {"errors": [{"title": "Unauthorized", "detail": "A valid token"}]}


@dataclass(frozen=True)
class Case:
    """A recorded answer, the mock's answer to the same request, the verdicts."""

    name: str
    step: ClauseId
    must_refuse: bool
    answer: tuple[int, Any, str]
    mock: tuple[int, Any, str]
    expected: dict[ClauseId, str]

    @property
    def payload(self) -> dict[str, Any]:
        return create_payload(NO_USERNAME if self.must_refuse else VALID)


Answer = tuple[int, Any, str]


def _refused(
    name: str,
    answer: Answer,
    mock: Answer,
    *,
    step: str = HOLDS,
    shape: str = HOLDS,
    secrets: str = HOLDS,
    quoted: str = HOLDS,
) -> Case:
    expected = {
        ClauseId.CREDENTIALS_REQUIRED: step,
        SHAPE: shape,
        SECRETS: secrets,
        QUOTED: quoted,
    }
    return Case(name, ClauseId.CREDENTIALS_REQUIRED, True, answer, mock, expected)


CASES = [
    Case(
        "success",
        ClauseId.CREATE_BOTH_OBJECTS,
        False,
        (200, SUCCESS, JSON),
        (200, SUCCESS, JSON),
        {
            ClauseId.CREATE_BOTH_OBJECTS: HOLDS,
            SHAPE: HOLDS,
            SECRETS: HOLDS,
            QUOTED: HOLDS,
        },
    ),
    _refused(
        "domain error", (200, MOCK_DOMAIN_ERROR, JSON), (200, MOCK_DOMAIN_ERROR, JSON)
    ),
    _refused(
        "domain error with another code",
        (200, _domain_error(_error("taken", code="VALIDATION_ERROR")), JSON),
        (200, MOCK_DOMAIN_ERROR, JSON),
    ),
    _refused(
        "request-level 400 where the mock answers a domain error",
        (400, {"errors": [_error("Field 'username' is required")]}, JSON),
        (200, MOCK_DOMAIN_ERROR, JSON),
    ),
    _refused(
        "domain error without a code",
        (200, _domain_error(_error("username is required")), JSON),
        (200, MOCK_DOMAIN_ERROR, JSON),
        shape=FAILS,
    ),
    _refused(
        "domain error with another code (Apollo's BAD_USER_INPUT)",
        (200, _domain_error(_error("username", code="BAD_USER_INPUT")), JSON),
        (200, MOCK_DOMAIN_ERROR, JSON),
    ),
    _refused(
        "validation error at HTTP 200 without data (GraphQL Yoga)",
        (200, {"errors": [_error("Field required", code="VALIDATION")]}, JSON),
        (400, MOCK_400, JSON),
    ),
    _refused(
        "request-level 400 with another code",
        (400, {"errors": [_error("bad", code="GRAPHQL_VALIDATION_FAILED")]}, JSON),
        (400, MOCK_400, JSON),
    ),
    _refused(
        "request-level 400 without a code",
        (400, {"errors": [_error("Variable invalid")]}, JSON),
        (400, MOCK_400, JSON),
    ),
    _refused(
        "request-level 400 as an HTML page",
        (400, "<html><body>Bad Request</body></html>", HTML),
        (400, MOCK_400, JSON),
    ),
    _refused(
        "401 with UNAUTHENTICATED against the mock's title and detail",
        (401, {"errors": [_error("no", code="UNAUTHENTICATED")]}, JSON),
        (401, MOCK_401, JSON),
    ),
    _refused(
        "502 from a gateway",
        (502, "<html>bad gateway</html>", HTML),
        (200, MOCK_DOMAIN_ERROR, JSON),
        step=FAILS,
    ),
    _refused(
        "500 with a GraphQL body",
        (500, {"errors": [_error("boom")]}, JSON),
        (200, MOCK_DOMAIN_ERROR, JSON),
        step=FAILS,
    ),
    _refused(
        "password echoed in a domain error",
        (200, _domain_error(_error(f"bad {PASSWORD}", code="RECORD_INVALID")), JSON),
        (200, MOCK_DOMAIN_ERROR, JSON),
        secrets=FAILS,
    ),
    _refused(
        "password echoed in a request-level error's extensions",
        (
            400,
            {
                "errors": [
                    _error(
                        "Variable invalid",
                        code="BAD_USER_INPUT",
                        value={"password": PASSWORD},
                    )
                ]
            },
            JSON,
        ),
        (400, MOCK_400, JSON),
        quoted=WARNS,
    ),
    _refused(
        "password quoted by graphql-js's coercion message",
        (
            400,
            {
                "errors": [
                    _error(
                        f'Variable "$v" got invalid value {{ password: '
                        f'"{PASSWORD}" }}; Field "host" was not provided.'
                    )
                ]
            },
            JSON,
        ),
        (400, MOCK_400, JSON),
        quoted=WARNS,
    ),
    Case(
        "password echoed in data",
        ClauseId.CREATE_BOTH_OBJECTS,
        False,
        (
            200,
            {
                "data": {
                    MUTATION_FIELD: {
                        "smtpCustomEmail": {
                            **SENDER,
                            "smtpConfiguration": {
                                **SENDER["smtpConfiguration"],
                                "password": PASSWORD,
                            },
                        }
                    }
                }
            },
            JSON,
        ),
        (200, SUCCESS, JSON),
        {SHAPE: HOLDS, SECRETS: FAILS},
    ),
]


def _exchange(case: Case, answer: tuple[int, Any, str]) -> Exchange:
    status, body, content_type = answer
    text = body if isinstance(body, str) else json.dumps(body)
    decoded = None if isinstance(body, str) else body
    return Exchange(case.payload, True, {}, status, text, decoded, None, content_type)


def _run_verdicts(case: Case) -> dict[ClauseId, str]:
    checker = Checker(make_config(), Results(), "http://127.0.0.1:4000/graphql")
    answer = _exchange(case, case.answer)
    passwords = submitted_passwords(case.payload)

    def step() -> None:
        if case.must_refuse:
            checker.rejected(answer, case.step, "accepted")
        else:
            checker.created_sender(answer, case.step)

    verdicts = {}
    for clause_id, check in (
        (case.step, step),
        (SHAPE, lambda: checker.error_shape(answer)),
        (SECRETS, lambda: checker.no_password(answer, passwords)),
    ):
        try:
            check()
        except ContractViolation:
            verdicts[clause_id] = FAILS
        else:
            verdicts[clause_id] = HOLDS
    verdicts[QUOTED] = WARNS if QUOTED in checker.results.warnings() else HOLDS
    return verdicts


_FUZZ_CLAUSES = {
    conformance.ERROR_CODES: SHAPE,
    conformance.NO_PASSWORD: SECRETS,
    conformance.PASSWORD_IN_REQUEST_ERRORS: QUOTED,
}
_ALL = (SHAPE, SECRETS, QUOTED)


def _verdict(clause_id: ClauseId, failed: set[ClauseId]) -> str:
    if clause_id not in failed:
        return HOLDS
    return WARNS if clause_id == QUOTED else FAILS


def _fuzz_verdicts(case: Case) -> dict[ClauseId, str]:
    schema = build_schema(packaged_schema_path().read_text(encoding="utf-8"))
    answer = _exchange(case, case.answer)
    problems = conformance.check_response(
        schema, case.payload, answer.status, answer.text, field=MUTATION_FIELD
    )
    failed = {_FUZZ_CLAUSES.get(problem.check, case.step) for problem in problems}
    return {c: _verdict(c, failed) for c in (case.step, *_ALL)}


def _diff_verdicts(case: Case) -> dict[ClauseId, str]:
    mine, theirs = _exchange(case, case.mock), _exchange(case, case.answer)
    passwords = submitted_passwords(case.payload)
    mock_flags, target_flags = diff.Flags(), diff.Flags()
    mock_flags.add(mine, passwords)
    target_flags.add(theirs, passwords)
    rows = [
        diff.Row(case.step, case.name, (diff.observe(mine),), (diff.observe(theirs),)),
        *diff.flag_rows(mock_flags, target_flags),
    ]
    failed = {d.clause for row in rows if row.fails for d in row.differences}
    # A security warning differs without failing the diff.
    failed |= {row.clause for row in rows if row.clause == QUOTED and not row.same}
    return {c: _verdict(c, failed) for c in (case.step, *_ALL)}


@pytest.mark.parametrize("case", CASES, ids=[case.name for case in CASES])
def test_run_fuzz_and_diff_reach_the_same_verdict_per_clause(case: Case) -> None:
    verdicts = {
        "run": _run_verdicts(case),
        "fuzz": _fuzz_verdicts(case),
        "diff": _diff_verdicts(case),
    }

    for command, found in verdicts.items():
        judged = {clause_id: found[clause_id] for clause_id in case.expected}
        assert judged == case.expected, command


def test_the_mock_answers_agree_with_themselves() -> None:
    # Guards the recorded mock answers: each is what the checks call clean.
    for case in CASES:
        mock_case = Case(
            case.name, case.step, case.must_refuse, case.mock, case.mock, {}
        )
        assert set(_run_verdicts(mock_case).values()) == {HOLDS}, case.name

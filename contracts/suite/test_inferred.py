"""The real API's conventions: failures fail the run unless `--tier documented`."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import pytest
from hypothesis import given, strategies as st

from contracts.checks import describe
from contracts.clauses import ClauseId
from contracts.documented import MUTATION_FIELD
from contracts.inputs.malformed import LABELS, malformed_bodies
from contracts.inputs.steps import (
    CLIENT_MUTATION_ID_OPERATION,
    COERCION_WITH_PASSWORD,
    relay,
)
from contracts.invariants import refusal_problem
from contracts.suite._support import valid_variables, with_changes

if TYPE_CHECKING:
    from contracts.client.api import ContractApi


@pytest.mark.contract(ClauseId.ERRORS_SHAPE, ClauseId.SECRETS_PASSWORD)
@given(data=st.data())
def test_refused_creates_have_the_error_shape_and_hide_passwords(
    contract_api: ContractApi, data: st.DataObject
) -> None:
    api = contract_api
    valid = data.draw(valid_variables(api).filter(_has_password), label="valid")
    failing = data.draw(
        st.sampled_from(["duplicate", "missing-username", "missing-host"]),
        label="failure",
    )
    if failing == "duplicate":
        api.create(valid)
        variables = valid
    elif failing == "missing-username":
        variables = with_changes(valid)
        del variables["smtpConfiguration"]["username"]
    else:
        variables = with_changes(valid)
        del variables["smtpConfiguration"]["host"]

    # The checks run inside create() on every response; this makes sure one of
    # them is an error response.
    exchange = api.create(variables)
    api.checker.rejected(
        exchange, ClauseId.ERRORS_SHAPE, f"a {failing} create was accepted"
    )


def _has_password(variables: dict[str, Any]) -> bool:
    return "password" in variables["smtpConfiguration"]


@pytest.mark.contract(
    ClauseId.ARGUMENTS_REQUIRED, ClauseId.SECRETS_PASSWORD_IN_REQUEST_ERRORS
)
def test_a_variable_that_does_not_coerce_is_refused_without_quoting_passwords(
    contract_api: ContractApi,
) -> None:
    # graphql-js and graphql-ruby quote such a variable whole, password
    # included: a security warning, failing only with --strict-secrets.
    api = contract_api
    [request] = COERCION_WITH_PASSWORD.build(api.context())

    exchange = api.send(request)  # the password check runs inside

    api.checker.rejected(
        exchange, ClauseId.ARGUMENTS_REQUIRED, "a create without host was accepted"
    )


@pytest.mark.contract(ClauseId.SECRETS_PASSWORD)
@given(data=st.data())
def test_passwords_never_come_back_from_a_successful_create(
    contract_api: ContractApi, data: st.DataObject
) -> None:
    api = contract_api
    variables = data.draw(valid_variables(api).filter(_has_password))

    api.create(variables)  # the check runs inside create()


@pytest.mark.contract(ClauseId.AUTH_TOKEN)
@pytest.mark.parametrize("sent", ["no token", "a wrong token"])
def test_requests_without_a_valid_token_get_401(
    contract_api: ContractApi, sent: str
) -> None:
    api = contract_api
    if not api.target.has_credentials:
        pytest.skip("no token configured")
    headers = (
        {"Authorization": "Bearer contract-wrong-token"} if sent != "no token" else {}
    )
    payload = {"query": "{ __typename }"}

    exchange = api.target.post(payload, authenticated=False, headers=headers)

    if exchange.status != 401:
        api.checker.violation(
            ClauseId.AUTH_TOKEN,
            exchange,
            f"a request with {sent} was not refused with 401",
            expected="HTTP 401",
            observed=f"HTTP {exchange.status}",
        )
    else:
        api.checker.holds(ClauseId.AUTH_TOKEN)


@pytest.mark.contract(ClauseId.RELAY_CLIENT_MUTATION_ID)
def test_client_mutation_id_is_echoed(contract_api: ContractApi) -> None:
    api = contract_api
    variables = {
        "input": {**relay(api.context()), "clientMutationId": "contract-cmid-1"}
    }

    exchange = api.create(
        variables, query=CLIENT_MUTATION_ID_OPERATION, operation_name=None
    )

    body = exchange.body if isinstance(exchange.body, dict) else {}
    payload = (body.get("data") or {}).get(MUTATION_FIELD) or {}
    if payload.get("clientMutationId") != "contract-cmid-1":
        api.checker.violation(
            ClauseId.RELAY_CLIENT_MUTATION_ID,
            exchange,
            "clientMutationId is not echoed",
            expected="'contract-cmid-1'",
            observed=repr(payload.get("clientMutationId")),
        )
    else:
        api.checker.holds(ClauseId.RELAY_CLIENT_MUTATION_ID)


@pytest.mark.contract(ClauseId.ERRORS_MALFORMED_JSON)
@pytest.mark.parametrize("label", LABELS)
def test_bodies_that_are_not_strict_json_get_a_well_formed_answer(
    contract_api: ContractApi, label: str
) -> None:
    api = contract_api
    variables = relay(api.context())
    [body] = malformed_bodies(variables, [label])

    exchange = api.send_raw(body.content, variables)

    # Any 4xx, JSON or not, is a clean refusal; some bodies (a byte order
    # mark) may be read as valid, so any GraphQL answer below 400 is clean too.
    problem = refusal_problem(exchange, may_accept=True)
    if problem is None:
        api.checker.holds(ClauseId.ERRORS_MALFORMED_JSON)
        api.checker.observe_refusal(exchange, ClauseId.ERRORS_MALFORMED_JSON)
        return
    api.checker.violation(
        ClauseId.ERRORS_MALFORMED_JSON,
        exchange,
        f"a body with {label} was not answered cleanly: {problem}",
        expected="a refusal (HTTP 4xx) or a GraphQL answer in JSON, never a 5xx",
        observed=describe(exchange),
    )

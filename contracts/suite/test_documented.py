"""Clauses the guide states: a failure here fails the run."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import pytest
from hypothesis import given, strategies as st

from contracts.documented import (
    DOCUMENTED_OPERATION,
    SCENARIO_A_VARIABLES,
    SCENARIO_B_VARIABLES,
)
from contracts.inputs import steps as requests, strategies
from contracts.suite._support import (
    missing_credentials,
    relay_variables,
    valid_variables,
    with_changes,
)

if TYPE_CHECKING:
    from contracts.client.api import ContractApi


@pytest.mark.contract(
    "create.both-objects", "create.echo", "create.port-string", "relay.no-credentials"
)
@given(data=st.data())
def test_a_valid_create_returns_both_objects_as_documented(
    contract_api: ContractApi, data: st.DataObject
) -> None:
    api = contract_api
    variables = data.draw(valid_variables(api), label="variables")

    exchange = api.create(variables)

    relay = variables["smtpConfiguration"].get("ipRelayAuth") is True
    clause = "relay.no-credentials" if relay else "create.both-objects"
    sender = api.checker.created_sender(exchange, clause)
    if sender is not None:
        api.checker.ids(exchange, sender, api.seen_ids)
        api.checker.echoed(exchange, sender, variables)
        api.checker.port(exchange, sender, variables)


@pytest.mark.contract(
    "create.both-objects",
    "create.echo",
    "create.port-string",
    "relay.default-false",
    "relay.no-credentials",
)
@pytest.mark.parametrize(
    ("scenario", "relay"), [(SCENARIO_A_VARIABLES, False), (SCENARIO_B_VARIABLES, True)]
)
def test_the_guide_scenarios_replay_as_documented(
    contract_api: ContractApi, scenario: dict[str, Any], relay: bool
) -> None:
    api = contract_api
    variables = requests.scenario(api.context(), scenario)

    exchange = api.create(variables)

    clause = "relay.no-credentials" if relay else "create.both-objects"
    sender = api.checker.created_sender(exchange, clause)
    if sender is not None:
        api.checker.ids(exchange, sender, api.seen_ids)
        api.checker.echoed(exchange, sender, variables)
        api.checker.port(exchange, sender, variables)
        flag_clause = "relay.no-credentials" if relay else "relay.default-false"
        api.checker.relay_flag(exchange, sender, relay, flag_clause)


@pytest.mark.contract("relay.default-false")
@given(data=st.data())
def test_omitted_ip_relay_auth_is_false(
    contract_api: ContractApi, data: st.DataObject
) -> None:
    api = contract_api
    variables = data.draw(valid_variables(api).filter(_credential_mode))
    variables["smtpConfiguration"].pop("ipRelayAuth", None)

    exchange = api.create(variables)

    sender = api.checker.created_sender(exchange, "relay.default-false")
    if sender is not None:
        api.checker.relay_flag(exchange, sender, False, "relay.default-false")


def _credential_mode(variables: dict[str, Any]) -> bool:
    return "password" in variables["smtpConfiguration"]


@pytest.mark.contract("credentials.required", "create.no-trace")
@given(data=st.data())
def test_missing_credentials_are_refused_and_leave_no_trace(
    contract_api: ContractApi, data: st.DataObject
) -> None:
    api = contract_api
    variables = data.draw(missing_credentials(api))

    refused = api.create(variables)
    api.checker.rejected(
        refused, "credentials.required", "a create without credentials was accepted"
    )

    corrected = with_changes(
        variables, username="contract-user", password=f"{api.password_marker}-fix"
    )
    retry = api.create(corrected)
    api.checker.created_sender(retry, "create.no-trace")


@pytest.mark.contract("relay.no-credentials")
@given(data=st.data())
def test_ip_relay_needs_no_credentials(
    contract_api: ContractApi, data: st.DataObject
) -> None:
    api = contract_api
    variables = data.draw(relay_variables(api))

    exchange = api.create(variables)

    sender = api.checker.created_sender(exchange, "relay.no-credentials")
    if sender is not None:
        api.checker.relay_flag(exchange, sender, True, "relay.no-credentials")


@pytest.mark.contract("email.unique-in-org")
@given(data=st.data())
def test_an_address_is_unique_within_its_organization(
    contract_api: ContractApi, data: st.DataObject
) -> None:
    api = contract_api
    first_variables = data.draw(valid_variables(api), label="first")
    second_variables = data.draw(valid_variables(api), label="second")
    second_variables["emailAddress"] = first_variables["emailAddress"]

    first = api.checker.created_sender(
        api.create(first_variables), "email.unique-in-org"
    )
    if first is None:
        return
    duplicate = api.create(second_variables)
    api.checker.rejected(
        duplicate,
        "email.unique-in-org",
        "a second sender with the same address was created",
    )
    if api.capabilities.read_back:
        stored = api.read_back(first["id"])
        if stored != first:
            api.checker.violation(
                "email.unique-in-org",
                duplicate,
                "the first sender changed after a refused duplicate",
                expected=repr(first),
                observed=repr(stored),
            )


@pytest.mark.contract("email.other-org")
@given(data=st.data())
def test_the_same_address_works_in_another_organization(
    contract_api: ContractApi, data: st.DataObject
) -> None:
    api = contract_api
    if api.config.other_org is None:
        pytest.skip("needs --other-org on a live target")
    first_variables = data.draw(valid_variables(api), label="first")
    other_variables = data.draw(
        valid_variables(api, api.config.other_org), label="other"
    )
    other_variables["emailAddress"] = first_variables["emailAddress"]

    if api.checker.created_sender(api.create(first_variables), "email.other-org"):
        exchange = api.create(other_variables)
        api.checker.created_sender(exchange, "email.other-org")


@pytest.mark.contract("arguments.required")
@pytest.mark.parametrize("argument", strategies.REQUIRED_ARGUMENTS)
@pytest.mark.parametrize("absent_as", ["omitted", "null"])
def test_required_arguments_are_enforced(
    contract_api: ContractApi, argument: str, absent_as: str
) -> None:
    api = contract_api
    variables = requests.relay(api.context())
    incomplete = strategies.without_argument(variables, argument)
    if absent_as == "null":
        _set_null(incomplete, argument)

    refused = api.create(incomplete)
    api.checker.rejected(
        refused, "arguments.required", f"a create without {argument} was accepted"
    )


def _set_null(variables: dict[str, Any], argument: str) -> None:
    if "." in argument:
        variables["smtpConfiguration"][argument.split(".", 1)[1]] = None
    else:
        variables[argument] = None


@pytest.mark.contract("arguments.required")
@pytest.mark.parametrize("argument", ["senderName", "emailAddress"])
def test_required_input_fields_are_enforced_by_the_schema(
    contract_api: ContractApi, argument: str
) -> None:
    # The guide's operation declares its variables non-null, so leaving one out
    # is refused by the client's own document; this one leaves the input field
    # out instead, so only the server's schema can refuse it.
    api = contract_api
    query = DOCUMENTED_OPERATION.replace(f"  ${argument}: String!\n", "").replace(
        f"      {argument}: ${argument}\n", ""
    )
    variables = requests.relay(api.context())
    del variables[argument]

    refused = api.create(variables, query=query)
    api.checker.rejected(
        refused, "arguments.required", f"a create without {argument} was accepted"
    )

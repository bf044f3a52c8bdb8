"""Clauses the guide states: a failure here fails the run."""

from __future__ import annotations

import unicodedata
from typing import TYPE_CHECKING, Any

import pytest
from hypothesis import given, strategies as st

from contracts.clauses import ClauseId
from contracts.documented import (
    DOCUMENTED_OPERATION,
    SCENARIO_A_VARIABLES,
    SCENARIO_B_VARIABLES,
)
from contracts.inputs import steps as requests, strategies
from contracts.invariants import successful_sender
from contracts.suite._support import (
    listed_unchanged,
    missing_credentials,
    relay_variables,
    valid_variables,
    with_changes,
)

if TYPE_CHECKING:
    from contracts.client.api import ContractApi


@pytest.mark.contract(
    ClauseId.CREATE_BOTH_OBJECTS,
    ClauseId.CREATE_ECHO,
    ClauseId.CREATE_PORT_STRING,
    ClauseId.RELAY_NO_CREDENTIALS,
)
@given(data=st.data())
def test_a_valid_create_returns_both_objects_as_documented(
    contract_api: ContractApi, data: st.DataObject
) -> None:
    api = contract_api
    variables = data.draw(valid_variables(api), label="variables")

    exchange = api.create(variables)

    relay = variables["smtpConfiguration"].get("ipRelayAuth") is True
    clause = ClauseId.RELAY_NO_CREDENTIALS if relay else ClauseId.CREATE_BOTH_OBJECTS
    sender = api.checker.created_sender(exchange, clause)
    if sender is not None:
        api.checker.ids(exchange, sender, api.seen_ids)
        api.checker.echoed(exchange, sender, variables)
        api.checker.port(exchange, sender, variables)


@pytest.mark.contract(
    ClauseId.CREATE_BOTH_OBJECTS,
    ClauseId.CREATE_ECHO,
    ClauseId.CREATE_PORT_STRING,
    ClauseId.RELAY_DEFAULT_FALSE,
    ClauseId.RELAY_NO_CREDENTIALS,
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

    clause = ClauseId.RELAY_NO_CREDENTIALS if relay else ClauseId.CREATE_BOTH_OBJECTS
    sender = api.checker.created_sender(exchange, clause)
    if sender is not None:
        api.checker.ids(exchange, sender, api.seen_ids)
        api.checker.echoed(exchange, sender, variables)
        api.checker.port(exchange, sender, variables)
        flag_clause = (
            ClauseId.RELAY_NO_CREDENTIALS if relay else ClauseId.RELAY_DEFAULT_FALSE
        )
        api.checker.relay_flag(exchange, sender, relay, flag_clause)


@pytest.mark.contract(ClauseId.RELAY_DEFAULT_FALSE)
@given(data=st.data())
def test_omitted_ip_relay_auth_is_false(
    contract_api: ContractApi, data: st.DataObject
) -> None:
    api = contract_api
    variables = data.draw(valid_variables(api).filter(_credential_mode))
    variables["smtpConfiguration"].pop("ipRelayAuth", None)

    exchange = api.create(variables)

    sender = api.checker.created_sender(exchange, ClauseId.RELAY_DEFAULT_FALSE)
    if sender is not None:
        api.checker.relay_flag(exchange, sender, False, ClauseId.RELAY_DEFAULT_FALSE)


def _credential_mode(variables: dict[str, Any]) -> bool:
    return "password" in variables["smtpConfiguration"]


@pytest.mark.contract(ClauseId.CREDENTIALS_REQUIRED, ClauseId.CREATE_NO_TRACE)
@given(data=st.data())
def test_missing_credentials_are_refused_and_leave_no_trace(
    contract_api: ContractApi, data: st.DataObject
) -> None:
    api = contract_api
    variables = data.draw(missing_credentials(api))

    refused = api.create(variables)
    api.checker.rejected(
        refused,
        ClauseId.CREDENTIALS_REQUIRED,
        "a create without credentials was accepted",
    )

    corrected = with_changes(
        variables, username="contract-user", password=f"{api.password_marker}-fix"
    )
    retry = api.create(corrected)
    api.checker.created_sender(retry, ClauseId.CREATE_NO_TRACE)


@pytest.mark.contract(ClauseId.CREDENTIALS_REQUIRED)
@pytest.mark.parametrize("credential", ["username", "password"])
@pytest.mark.parametrize("missing_as", requests.CREDENTIAL_MISSING)
@pytest.mark.parametrize("relay_off_as", requests.RELAY_OFF)
def test_every_way_of_leaving_relay_off_and_a_credential_out_is_refused(
    contract_api: ContractApi, relay_off_as: str, missing_as: str, credential: str
) -> None:
    api = contract_api
    variables = requests.credentials(api.context())
    configuration = variables["smtpConfiguration"]
    for name, value in (
        ("ipRelayAuth", requests.RELAY_OFF[relay_off_as]),
        (credential, requests.CREDENTIAL_MISSING[missing_as]),
    ):
        configuration.pop(name, None)
        if value is not requests.OMITTED:
            configuration[name] = value

    refused = api.create(variables)

    api.checker.rejected(
        refused,
        ClauseId.CREDENTIALS_REQUIRED,
        f"a create with ipRelayAuth {relay_off_as} and {credential} {missing_as} "
        "was accepted",
    )


@pytest.mark.contract(ClauseId.RELAY_NO_CREDENTIALS)
@given(data=st.data())
def test_ip_relay_needs_no_credentials(
    contract_api: ContractApi, data: st.DataObject
) -> None:
    api = contract_api
    variables = data.draw(relay_variables(api))

    exchange = api.create(variables)

    sender = api.checker.created_sender(exchange, ClauseId.RELAY_NO_CREDENTIALS)
    if sender is not None:
        api.checker.relay_flag(exchange, sender, True, ClauseId.RELAY_NO_CREDENTIALS)


@pytest.mark.contract(ClauseId.EMAIL_UNIQUE_IN_ORG)
@given(data=st.data())
def test_an_address_is_unique_within_its_organization(
    contract_api: ContractApi, data: st.DataObject
) -> None:
    api = contract_api
    first_variables = data.draw(valid_variables(api), label="first")
    second_variables = data.draw(valid_variables(api), label="second")
    second_variables["emailAddress"] = first_variables["emailAddress"]

    first = api.checker.created_sender(
        api.create(first_variables), ClauseId.EMAIL_UNIQUE_IN_ORG
    )
    if first is None:
        return
    duplicate = api.create(second_variables)
    api.checker.rejected(
        duplicate,
        ClauseId.EMAIL_UNIQUE_IN_ORG,
        "a second sender with the same address was created",
    )
    if api.capabilities.read_back:
        stored = api.read_back(first["id"])
        if stored != first:
            api.checker.violation(
                ClauseId.EMAIL_UNIQUE_IN_ORG,
                duplicate,
                "the first sender changed after a refused duplicate",
                expected=repr(first),
                observed=repr(stored),
            )
    elif api.capabilities.list_configurations:
        changed = listed_unchanged(api, first)
        if changed is not None:
            api.checker.violation(
                ClauseId.EMAIL_UNIQUE_IN_ORG,
                duplicate,
                "the first sender changed after a refused duplicate",
                expected="its configuration listed as created: "
                + repr(first.get("smtpConfiguration")),
                observed=changed,
            )


@pytest.mark.contract(ClauseId.EMAIL_UNIQUE_IN_ORG)
def test_a_non_ascii_address_sent_twice_alike_is_refused_the_second_time(
    contract_api: ContractApi,
) -> None:
    # Decomposed (NFD) on purpose: a store that normalizes what it saves but
    # not what it looks up lets the very same string in twice.
    api = contract_api
    local, domain = api.fresh_address().split("@")
    address = unicodedata.normalize("NFD", f"{local}-josé@{domain}")
    variables = requests.relay(api.context(), emailAddress=address)
    if successful_sender(api.create(variables)) is None:
        pytest.skip("the target refuses non-ASCII addresses (the guide is silent)")

    duplicate = api.create(variables)

    api.checker.rejected(
        duplicate,
        ClauseId.EMAIL_UNIQUE_IN_ORG,
        "the same non-ASCII address (decomposed form) was created twice",
    )


@pytest.mark.contract(ClauseId.EMAIL_UNIQUE_IN_ORG)
@pytest.mark.parametrize("form", requests.CLIENT_FORMS)
def test_an_address_sent_twice_as_typed_is_refused_the_second_time(
    contract_api: ContractApi, form: str
) -> None:
    # A store that saves the lower-cased (or trimmed) address but looks the
    # incoming one up as sent lets the very same string in twice (#26).
    api = contract_api
    local, domain = api.fresh_address().split("@")
    address = (
        f"{local}-Mixed@{domain.capitalize()}"
        if form == "mixed case"
        else f" {local}@{domain} "
    )
    variables = requests.relay(api.context(), emailAddress=address)
    if successful_sender(api.create(variables)) is None:
        pytest.skip(f"the target refuses an address with {form} (the guide is silent)")

    duplicate = api.create(variables)

    api.checker.rejected(
        duplicate,
        ClauseId.EMAIL_UNIQUE_IN_ORG,
        f"the same address with {form} was created twice",
    )


@pytest.mark.contract(ClauseId.EMAIL_OTHER_ORG)
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

    if api.checker.created_sender(
        api.create(first_variables), ClauseId.EMAIL_OTHER_ORG
    ):
        exchange = api.create(other_variables)
        api.checker.created_sender(exchange, ClauseId.EMAIL_OTHER_ORG)


@pytest.mark.contract(ClauseId.ARGUMENTS_REQUIRED)
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
        refused,
        ClauseId.ARGUMENTS_REQUIRED,
        f"a create without {argument} was accepted",
    )


def _set_null(variables: dict[str, Any], argument: str) -> None:
    if "." in argument:
        variables["smtpConfiguration"][argument.split(".", 1)[1]] = None
    else:
        variables[argument] = None


@pytest.mark.contract(ClauseId.ARGUMENTS_REQUIRED)
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
        refused,
        ClauseId.ARGUMENTS_REQUIRED,
        f"a create without {argument} was accepted",
    )

"""The sibling pages' clauses: create, update, delete and list SMTP configurations.

Each test is skipped when the target lacks the operations it needs (a user's
SDL may leave them out). They never send `defaultSmtp: true`: moving an
organization's default on a live API would outlast the run's clean-up.
"""

from __future__ import annotations

import uuid
from typing import TYPE_CHECKING, Any

import pytest

from contracts.clauses import ClauseId
from contracts.client.family import configuration_of, deleted, listed_nodes
from contracts.documented_family import (
    CREATE_CONFIGURATION_FIELD,
    DELETE_CONFIGURATION_FIELD,
    UPDATE_CONFIGURATION_FIELD,
)
from contracts.inputs import steps as requests
from contracts.invariants import is_request_level, port_as_string
from contracts.suite._support import differences

if TYPE_CHECKING:
    from contracts.client.api import ContractApi
    from contracts.client.exchanges import Exchange

_C = ClauseId
DEFAULT_FILTER_CREATES = 2
"""Configurations the default filter's check creates first (`FAMILY_REQUESTS`)."""


def _fail_if(
    api: ContractApi,
    clause: ClauseId,
    bad: bool,
    exchange: Exchange | None,
    title: str,
    *,
    expected: str,
    observed: str | None = None,
) -> None:
    """Report a violation of `clause` when `bad` (the answer's text observed)."""
    if bad:
        seen = observed if observed is not None else (exchange and exchange.text[:400])
        api.checker.violation(
            clause, exchange, title, expected=expected, observed=str(seen)
        )


def _needs_family(api: ContractApi) -> None:
    if not api.capabilities.family:
        pytest.skip("the target lacks the documented configuration operations")


def _values(api: ContractApi, **changes: Any) -> dict[str, Any]:
    """A credentialed configuration for `createSmtpConfiguration`."""
    run = api.namespace.run_id
    values: dict[str, Any] = {
        # Unique, so a create whose answer was lost can be looked up.
        "host": f"smtp-{run}-{uuid.uuid4().hex[:8]}.contract.example",
        "port": 587,
        "organizationId": api.config.org,
        "defaultSmtp": False,
        "username": f"contract-{run}",
        "password": f"{api.password_marker}-family-{uuid.uuid4().hex[:8]}",
    }
    values.update(changes)
    return values


def _created(
    api: ContractApi, clause: ClauseId, values: dict[str, Any] | None = None
) -> dict[str, Any] | None:
    exchange = api.create_configuration(values or _values(api))
    made = configuration_of(exchange, CREATE_CONFIGURATION_FIELD)
    if made is None:
        api.checker.violation(
            clause,
            exchange,
            "a valid createSmtpConfiguration did not succeed",
            expected=f"data.{CREATE_CONFIGURATION_FIELD}.smtpConfiguration, no errors",
            observed=exchange.text[:400],
        )
    return made


def _node(api: ContractApi, configuration_id: str) -> tuple[Exchange, Any]:
    """The listed node of one configuration: None if absent, False if unlisted."""
    exchange = api.list_configurations(api.config.org)
    nodes = listed_nodes(exchange)
    if nodes is None:
        return exchange, False
    return exchange, next((n for n in nodes if n.get("id") == configuration_id), None)


def _check_listed(
    api: ContractApi, clause: ClauseId, configuration_id: str, sent: dict[str, Any]
) -> None:
    exchange, node = _node(api, configuration_id)
    expected = {
        "host": sent["host"],
        "port": str(sent["port"]),
        "organizationId": sent["organizationId"],
    }
    problems = (
        ["the configuration is not listed"] if not node else differences(node, expected)
    )
    if problems:
        api.checker.violation(
            clause,
            exchange,
            "smtpConfigurations does not list the configuration as created",
            expected=f"a node with id {configuration_id} and {expected}",
            observed="; ".join(problems),
        )
    api.checker.holds(clause)


@pytest.mark.contract(_C.FAMILY_CREATE, _C.FAMILY_LISTED)
def test_a_created_configuration_is_answered_and_listed(
    contract_api: ContractApi,
) -> None:
    api = contract_api
    _needs_family(api)
    values = _values(api)
    made = _created(api, _C.FAMILY_CREATE, values)
    if made is None:
        return

    problems = differences(
        made,
        {
            "host": values["host"],
            "organizationId": values["organizationId"],
            "username": values["username"],
        },
    )
    if not port_as_string(made.get("port"), values["port"]):
        problems.append(f"port: {made.get('port')!r} instead of '587'")
    if problems:
        api.checker.violation(
            _C.FAMILY_CREATE,
            None,
            "createSmtpConfiguration did not answer what was sent",
            expected="host, organizationId and username as sent, port as a String",
            observed="; ".join(problems),
        )
    api.checker.holds(_C.FAMILY_CREATE)
    _check_listed(api, _C.FAMILY_LISTED, str(made["id"]), values)

    refused = api.create_configuration(_values(api, password=None))
    _fail_if(
        api,
        _C.FAMILY_CREATE,
        configuration_of(refused, CREATE_CONFIGURATION_FIELD) is not None,
        refused,
        "a configuration without a password and without IP relay was created",
        expected="an error: credentials are required unless IP relay",
    )
    api.checker.holds(_C.FAMILY_CREATE)


@pytest.mark.contract(_C.FAMILY_LISTED)
def test_a_senders_configuration_is_one_of_the_organizations(
    contract_api: ContractApi,
) -> None:
    api = contract_api
    if not api.capabilities.list_configurations:
        pytest.skip("the target has no smtpConfigurations")
    variables = requests.relay(api.context())
    sender = api.checker.created_sender(api.create(variables), _C.FAMILY_LISTED)
    if sender is None:
        return
    configuration = sender.get("smtpConfiguration") or {}
    _check_listed(
        api,
        _C.FAMILY_LISTED,
        str(configuration.get("id")),
        variables["smtpConfiguration"],
    )


def _updated(
    api: ContractApi, clause: ClauseId, values: dict[str, Any], title: str
) -> dict[str, Any] | None:
    exchange = api.update_configuration(values)
    answer = configuration_of(exchange, UPDATE_CONFIGURATION_FIELD)
    if answer is None:
        api.checker.violation(
            clause,
            exchange,
            title,
            expected=f"data.{UPDATE_CONFIGURATION_FIELD}.smtpConfiguration, no errors",
            observed=exchange.text[:400],
        )
    return answer


@pytest.mark.contract(_C.FAMILY_UPDATE_PASSWORD)
def test_an_update_keeps_the_password_unless_one_is_sent(
    contract_api: ContractApi,
) -> None:
    api = contract_api
    _needs_family(api)
    clause = _C.FAMILY_UPDATE_PASSWORD
    made = _created(api, clause)
    if made is None:
        return
    sealed = made.get("encryptedPassword")
    new_host = f"other-{made['host']}"

    kept = _updated(
        api, clause, {"id": made["id"], "host": new_host, "password": None},
        "an update with password null failed",
    )  # fmt: skip
    moved = _updated(
        api, clause, {"id": made["id"], "port": 2525},
        "an update of the port alone failed",
    )  # fmt: skip
    rotated = _updated(
        api, clause, {"id": made["id"], "password": f"{api.password_marker}-rotated"},
        "an update with a new password failed",
    )  # fmt: skip
    if kept is None or moved is None or rotated is None:
        return

    problems = differences(kept, {"host": new_host, "port": made["port"]})
    problems += differences(moved, {"host": new_host, "port": "2525"})
    problems += differences(
        {**kept, "moved": moved.get("encryptedPassword")},
        {"encryptedPassword": sealed, "moved": sealed},
    )
    if sealed is not None and rotated.get("encryptedPassword") == sealed:
        problems.append("encryptedPassword unchanged after a new password")
    if problems:
        api.checker.violation(
            clause,
            None,
            "an update changed more or less than what was sent",
            expected="only the fields sent change; encryptedPassword only with a "
            "new password",
            observed="; ".join(problems),
        )
    api.checker.holds(clause)


@pytest.mark.contract(_C.FAMILY_UPDATE_VALIDATES)
@pytest.mark.parametrize("credential", ["username", "password"])
def test_an_update_that_blanks_a_credential_is_refused(
    contract_api: ContractApi, credential: str
) -> None:
    api = contract_api
    _needs_family(api)
    clause = _C.FAMILY_UPDATE_VALIDATES
    made = _created(api, clause)
    if made is None:
        return

    refused = api.update_configuration({"id": made["id"], credential: ""})
    _fail_if(
        api,
        clause,
        configuration_of(refused, UPDATE_CONFIGURATION_FIELD) is not None,
        refused,
        f"an update with an empty {credential} was accepted",
        expected="an error: credentials are required unless IP relay",
    )
    after = _updated(
        api, clause, {"id": made["id"]}, "an update that sends no change failed"
    )
    if after is None:
        return
    fields = {key: made.get(key) for key in ("username", "encryptedPassword")}
    problems = differences(after, fields)
    if problems:
        api.checker.violation(
            clause,
            refused,
            "a refused update changed the configuration",
            expected=f"unchanged: {fields}",
            observed="; ".join(problems),
        )
    api.checker.holds(clause)


@pytest.mark.contract(_C.FAMILY_DELETE)
def test_a_deleted_configuration_is_no_longer_listed(
    contract_api: ContractApi,
) -> None:
    api = contract_api
    _needs_family(api)
    made = _created(api, _C.FAMILY_DELETE)
    if made is None:
        return

    exchange = api.delete_configuration(str(made["id"]))
    _fail_if(
        api,
        _C.FAMILY_DELETE,
        not deleted(exchange, DELETE_CONFIGURATION_FIELD),
        exchange,
        "deleting a configuration did not answer success: true",
        expected=f"data.{DELETE_CONFIGURATION_FIELD}.success: true",
    )
    listed, node = _node(api, str(made["id"]))
    if node:
        api.checker.violation(
            _C.FAMILY_DELETE,
            listed,
            "a deleted configuration is still listed",
            expected=f"no node with id {made['id']}",
            observed=repr(node),
        )
    api.checker.holds(_C.FAMILY_DELETE)


@pytest.mark.contract(_C.FAMILY_DELETE_UNKNOWN)
def test_deleting_an_unknown_id_is_an_error(contract_api: ContractApi) -> None:
    api = contract_api
    if not api.capabilities.delete_configuration:
        pytest.skip("the target has no deleteSmtpConfiguration")

    exchange = api.delete_configuration(str(uuid.uuid4()))

    body = exchange.body if isinstance(exchange.body, dict) else {}
    refused = bool(body.get("errors")) or is_request_level(exchange)
    _fail_if(
        api,
        _C.FAMILY_DELETE_UNKNOWN,
        deleted(exchange, DELETE_CONFIGURATION_FIELD) or not refused,
        exchange,
        "deleting an id that does not exist was not an error",
        expected="a not-found error",
    )
    api.checker.holds(_C.FAMILY_DELETE_UNKNOWN)


@pytest.mark.contract(_C.FAMILY_DEFAULT_FILTER)
@pytest.mark.parametrize("flag", [True, False])
def test_the_default_filter_keeps_only_matching_configurations(
    contract_api: ContractApi, flag: bool
) -> None:
    api = contract_api
    if not api.capabilities.list_configurations:
        pytest.skip("the target has no smtpConfigurations")
    if flag and api.capabilities.family:
        # "At most one default" says nothing of an organization with one
        # configuration: two more, whatever ran before (or did not).
        for _ in range(DEFAULT_FILTER_CREATES):
            _created(api, _C.FAMILY_DEFAULT_FILTER)

    exchange = api.list_configurations(api.config.org, default_smtp=flag)

    nodes = listed_nodes(exchange)
    wrong = [n.get("id") for n in nodes or [] if n.get("defaultSmtp") is not flag]
    too_many = flag and len(nodes or []) > 1
    _fail_if(
        api,
        _C.FAMILY_DEFAULT_FILTER,
        nodes is None or bool(wrong) or too_many,
        exchange,
        f"smtpConfigurations(defaultSmtp: {str(flag).lower()}) lists others",
        expected=f"only nodes with defaultSmtp {flag}"
        + (", at most one" if flag else ""),
    )
    api.checker.holds(_C.FAMILY_DEFAULT_FILTER)

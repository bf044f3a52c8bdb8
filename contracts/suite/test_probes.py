"""What the guide leaves open: never fails, the report records what happened."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import pytest

from contracts.suite._support import outcome, with_changes

if TYPE_CHECKING:
    from contracts.api import ContractApi

RELAY = {"host": "relay.contract.example", "port": 25, "ipRelayAuth": True}


def relay_variables(api: ContractApi, **changes: Any) -> dict[str, Any]:
    variables = {
        "senderName": "Contract Probe",
        "emailAddress": api.fresh_address(),
        "smtpConfiguration": {**RELAY, "organizationId": api.config.org},
    }
    return {**variables, **changes}


@pytest.mark.contract("probe.email-case")
def test_probe_uniqueness_letter_case(contract_api: ContractApi) -> None:
    api = contract_api
    variables = relay_variables(api)
    api.create(variables)

    variant = api.create(
        {**variables, "emailAddress": variables["emailAddress"].upper()}
    )

    seen = outcome(variant)
    verdict = "case-sensitive" if seen == "accepted" else "case-insensitive"
    api.checker.results.observe(
        "probe.email-case", f"{verdict}: upper-case variant {seen}"
    )


@pytest.mark.contract("probe.whitespace")
@pytest.mark.parametrize("where", ["emailAddress", "senderName"])
def test_probe_surrounding_whitespace(contract_api: ContractApi, where: str) -> None:
    api = contract_api
    variables = relay_variables(api)
    variables[where] = f"  {variables[where]} "

    exchange = api.create(variables)

    seen = outcome(exchange)
    if seen == "accepted":
        returned = exchange.body["data"]["createSmtpCustomEmailWithConfiguration"][
            "smtpCustomEmail"
        ][where]
        seen += ", kept as sent" if returned == variables[where] else ", trimmed"
    api.checker.results.observe("probe.whitespace", f"{where}: {seen}")


@pytest.mark.contract("probe.malformed-email")
@pytest.mark.parametrize(
    "address", ["no-at-sign", "two@@example.com", "trailing-dot@example.com.", "a@b"]
)
def test_probe_malformed_email(contract_api: ContractApi, address: str) -> None:
    api = contract_api
    local = api.fresh_address().split("@")[0]
    exchange = api.create(relay_variables(api, emailAddress=f"{local}-{address}"))

    api.checker.results.observe(
        "probe.malformed-email", f"{address}: {outcome(exchange)}"
    )


@pytest.mark.contract("probe.port-range")
@pytest.mark.parametrize("port", [0, -1, 65536, 2**31 - 1])
def test_probe_port_out_of_range(contract_api: ContractApi, port: int) -> None:
    api = contract_api
    variables = relay_variables(api)
    variables["smtpConfiguration"]["port"] = port

    exchange = api.create(variables)

    api.checker.results.observe("probe.port-range", f"port {port}: {outcome(exchange)}")


@pytest.mark.contract("probe.relay-credentials")
def test_probe_relay_with_credentials(contract_api: ContractApi) -> None:
    api = contract_api
    variables = with_changes(
        relay_variables(api),
        username="contract-user",
        password=f"{api.password_marker}-relay",
    )

    exchange = api.create(variables)

    api.checker.results.observe("probe.relay-credentials", outcome(exchange))


@pytest.mark.contract("probe.no-configuration")
@pytest.mark.parametrize("absent_as", ["omitted", "null"])
def test_probe_without_configuration(contract_api: ContractApi, absent_as: str) -> None:
    api = contract_api
    variables = relay_variables(api)
    if absent_as == "omitted":
        del variables["smtpConfiguration"]
    else:
        variables["smtpConfiguration"] = None

    exchange = api.create(variables)

    api.checker.results.observe(
        "probe.no-configuration", f"{absent_as}: {outcome(exchange)}"
    )


@pytest.mark.contract("probe.long-values")
@pytest.mark.parametrize(
    ("field", "length"), [("senderName", 300), ("senderName", 5000), ("host", 300)]
)
def test_probe_long_values(contract_api: ContractApi, field: str, length: int) -> None:
    api = contract_api
    variables = relay_variables(api)
    if field == "host":
        variables["smtpConfiguration"]["host"] = "h" * length + ".example"
    else:
        variables[field] = "N" * length

    exchange = api.create(variables)

    api.checker.results.observe(
        "probe.long-values", f"{field} of {length}: {outcome(exchange)}"
    )


@pytest.mark.contract("probe.non-ascii")
@pytest.mark.parametrize("field", ["senderName", "emailAddress"])
def test_probe_non_ascii(contract_api: ContractApi, field: str) -> None:
    api = contract_api
    variables = relay_variables(api)
    if field == "senderName":
        variables["senderName"] = "Équipe 支持 Ünïcødé 🚀"
    else:
        local, domain = variables["emailAddress"].split("@")
        variables["emailAddress"] = f"{local}-ü@{domain}"

    exchange = api.create(variables)

    api.checker.results.observe("probe.non-ascii", f"{field}: {outcome(exchange)}")

"""The public strategies generate what any correct implementation must accept."""

from __future__ import annotations

import re

import pytest
from hypothesis import given, strategies as st

from contracts.inputs import strategies
from mock_server.domain.ids import IdFactory
from mock_server.domain.senders import ConfigurationDraft, SenderDraft, build_sender

ADDRESSES = st.just("someone@example.com")
IDS = IdFactory(0)


def draft(variables):
    configuration = variables["smtpConfiguration"]
    return SenderDraft(
        sender_name=variables["senderName"],
        email_address=variables["emailAddress"],
        configuration=ConfigurationDraft(
            host=configuration["host"],
            port=configuration["port"],
            organization_id=configuration["organizationId"],
            ip_relay_auth=configuration.get("ipRelayAuth", False),
            username=configuration.get("username"),
            password=configuration.get("password"),
        ),
    )


@given(strategies.create_variables("org-1", ADDRESSES, password_marker="pwX"))
def test_valid_variables_are_accepted_by_the_rules(variables):
    sender = build_sender(draft(variables), IDS)

    assert sender.configuration.organization_id == "org-1"
    assert variables["senderName"] == variables["senderName"].strip()
    if "password" in variables["smtpConfiguration"]:
        assert variables["smtpConfiguration"]["password"].startswith("pwX-")


@given(strategies.hosts())
def test_hosts_are_lowercase_names_or_ipv4(host):
    assert host == host.lower()
    assert re.fullmatch(r"[a-z0-9.-]+", host)
    assert not any(label.endswith("-") for label in host.split("."))


@given(strategies.ports())
def test_ports_are_in_range(port):
    assert 1 <= port <= 65535


@given(strategies.missing_credentials("org-1", ADDRESSES))
def test_missing_credentials_lack_one_or_both(variables):
    configuration = variables["smtpConfiguration"]

    assert configuration.get("ipRelayAuth") in (None, False)
    assert not configuration.get("username") or not configuration.get("password")


@given(strategies.relay_configurations("o"))
def test_relay_configurations_have_no_credentials(configuration):
    assert configuration["ipRelayAuth"] is True
    assert "password" not in configuration


@pytest.mark.parametrize("argument", strategies.REQUIRED_ARGUMENTS)
def test_without_argument_removes_only_that_argument(argument):
    variables = {
        "senderName": "A",
        "emailAddress": "a@b.example",
        "smtpConfiguration": {"host": "h", "port": 1, "organizationId": "o"},
    }

    reduced = strategies.without_argument(variables, argument)

    flat = {
        **reduced,
        **{
            f"smtpConfiguration.{k}": v for k, v in reduced["smtpConfiguration"].items()
        },
    }
    assert argument not in flat
    assert variables["smtpConfiguration"] == {
        "host": "h",
        "port": 1,
        "organizationId": "o",
    }

"""The mutation's documented behaviour, end to end through the HTTP layer."""

from __future__ import annotations

import asyncio
import re
import uuid

import httpx
import pytest

from contracts.documented import (
    DOCUMENTED_OPERATION,
    MUTATION_FIELD,
    SCENARIO_A_VARIABLES,
    SCENARIO_B_VARIABLES,
)
from tests.helpers import (
    DROP,
    create,
    created,
    error_entries,
    scenario_a,
    scenario_b,
    state,
)

pytestmark = pytest.mark.anyio

CANONICAL_UUID = re.compile(
    r"^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$"
)


async def test_scenario_a_creates_both_objects_with_documented_shape(client):
    sender = created(await create(client, SCENARIO_A_VARIABLES))

    assert set(sender) == {"id", "emailAddress", "senderName", "smtpConfiguration"}
    assert sender["emailAddress"] == "support@acme.example"
    assert sender["senderName"] == "Acme Support"
    assert sender["smtpConfiguration"] == {
        "id": sender["smtpConfiguration"]["id"],
        "host": "smtp.sendgrid.net",
        "port": "587",
        "organizationId": "980700673",
        "ipRelayAuth": False,
    }
    stored = await state(client)
    assert [entry["id"] for entry in stored] == [sender["id"]]
    assert stored[0]["smtpConfiguration"]["id"] == sender["smtpConfiguration"]["id"]


async def test_scenario_b_relay_needs_no_credentials(client):
    sender = created(await create(client, SCENARIO_B_VARIABLES))

    assert sender["smtpConfiguration"]["ipRelayAuth"] is True
    assert sender["smtpConfiguration"]["port"] == "25"
    assert sender["smtpConfiguration"]["host"] == "relay.acme.internal"


async def test_ids_are_distinct_fresh_version_4_uuids(client):
    first = created(await create(client, scenario_a(emailAddress="one@acme.example")))
    second = created(await create(client, scenario_a(emailAddress="two@acme.example")))

    ids = [
        first["id"],
        first["smtpConfiguration"]["id"],
        second["id"],
        second["smtpConfiguration"]["id"],
    ]
    assert all(CANONICAL_UUID.match(value) for value in ids), ids
    assert all(uuid.UUID(value).version == 4 for value in ids)
    assert len(set(ids)) == 4


@pytest.mark.parametrize(
    ("port", "text"), [(1, "1"), (25, "25"), (587, "587"), (65535, "65535")]
)
async def test_port_is_returned_as_decimal_string(client, port, text):
    sender = created(await create(client, scenario_a(port=port)))

    assert sender["smtpConfiguration"]["port"] == text


async def test_values_are_echoed_exactly_as_sent(client):
    variables = scenario_a(
        senderName="  Équipe Support 支持  ",
        emailAddress="Mixed.Case+tag@Acme.Example",
        host="SMTP.Example.COM",
        organizationId="org-Ä1",
    )
    sender = created(await create(client, variables))

    assert sender["senderName"] == "  Équipe Support 支持  "
    assert sender["emailAddress"] == "Mixed.Case+tag@Acme.Example"
    assert sender["smtpConfiguration"]["host"] == "SMTP.Example.COM"
    assert sender["smtpConfiguration"]["organizationId"] == "org-Ä1"


async def test_omitted_ip_relay_auth_means_false_and_requires_credentials(client):
    sender = created(await create(client, scenario_a(ipRelayAuth=DROP)))
    assert sender["smtpConfiguration"]["ipRelayAuth"] is False

    failed = await create(
        client, scenario_b(emailAddress="x@acme.example", ipRelayAuth=DROP)
    )
    fields = {entry["extensions"]["field"] for entry in error_entries(failed)}
    assert fields == {"smtpConfiguration.username", "smtpConfiguration.password"}


async def test_explicit_null_ip_relay_auth_means_false_not_no_check(client):
    failed = await create(client, scenario_b(ipRelayAuth=None))
    fields = {entry["extensions"]["field"] for entry in error_entries(failed)}
    assert fields == {"smtpConfiguration.username", "smtpConfiguration.password"}

    sender = created(await create(client, scenario_a(ipRelayAuth=None)))
    assert sender["smtpConfiguration"]["ipRelayAuth"] is False


@pytest.mark.parametrize("missing", ["username", "password"])
@pytest.mark.parametrize("blank", [DROP, None, "", "   "])
async def test_each_credential_is_required_without_relay(client, missing, blank):
    response = await create(client, scenario_a(**{missing: blank}))

    [entry] = error_entries(response)
    assert entry["extensions"]["code"] == "RECORD_INVALID"
    assert entry["extensions"]["field"] == f"smtpConfiguration.{missing}"
    assert missing.capitalize() in entry["message"]
    assert await state(client) == []


async def test_relay_ignores_and_does_not_store_credentials(client):
    variables = scenario_b(username="relay-user", password="relay-secret")
    sender = created(await create(client, variables))

    [stored] = await state(client)
    assert stored["id"] == sender["id"]
    assert stored["smtpConfiguration"]["username"] is None
    assert stored["smtpConfiguration"]["password"] is None


async def test_duplicate_email_in_organization_fails_and_keeps_the_first(client):
    first = created(await create(client, SCENARIO_A_VARIABLES))

    response = await create(
        client, scenario_a(emailAddress="SUPPORT@Acme.Example", senderName="Other")
    )

    [entry] = error_entries(response)
    assert (
        entry["message"] == "Email address has already been taken in this organization"
    )
    assert entry["extensions"]["code"] == "RECORD_INVALID"
    assert entry["extensions"]["field"] == "emailAddress"
    [stored] = await state(client)
    assert stored["id"] == first["id"]
    assert stored["senderName"] == "Acme Support"


async def test_same_email_in_another_organization_succeeds(client):
    created(await create(client, SCENARIO_A_VARIABLES))

    other = created(await create(client, scenario_a(organizationId="980700674")))

    assert other["smtpConfiguration"]["organizationId"] == "980700674"
    assert len(await state(client)) == 2


async def test_exactly_one_of_many_simultaneous_identical_creates_wins(client):
    responses = await asyncio.gather(
        *(create(client, SCENARIO_A_VARIABLES) for _ in range(25))
    )

    bodies = [response.json() for response in responses]
    winners = [body for body in bodies if "errors" not in body]
    losers = [body for body in bodies if "errors" in body]
    assert len(winners) == 1
    assert len(losers) == 24
    assert {body["errors"][0]["extensions"]["field"] for body in losers} == {
        "emailAddress"
    }
    assert len(await state(client)) == 1


async def test_omitted_configuration_is_invalid_input(client):
    response = await create(client, scenario_a(smtpConfiguration=DROP))

    [entry] = error_entries(response)
    assert entry["extensions"]["code"] == "INVALID_INPUT"
    assert entry["extensions"]["field"] == "smtpConfiguration"
    assert await state(client) == []


async def test_null_configuration_is_invalid_input(client):
    response = await create(client, scenario_a(smtpConfiguration=None))

    [entry] = error_entries(response)
    assert entry["extensions"]["code"] == "INVALID_INPUT"


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"senderName": ""}, "senderName"),
        ({"senderName": " \t "}, "senderName"),
        ({"senderName": "x" * 256}, "senderName"),
        ({"host": ""}, "smtpConfiguration.host"),
        ({"host": "smtp example.com"}, "smtpConfiguration.host"),
        ({"host": "h" * 254}, "smtpConfiguration.host"),
        ({"emailAddress": "not-an-email"}, "emailAddress"),
        ({"emailAddress": " support@acme.example"}, "emailAddress"),
        ({"emailAddress": ""}, "emailAddress"),
        ({"port": 0}, "smtpConfiguration.port"),
        ({"port": -25}, "smtpConfiguration.port"),
        ({"port": 65536}, "smtpConfiguration.port"),
        ({"organizationId": " "}, "smtpConfiguration.organizationId"),
        ({"password": "p" * 256}, "smtpConfiguration.password"),
    ],
)
async def test_invalid_field_is_rejected_and_nothing_stored(client, changes, field):
    response = await create(client, scenario_a(**changes))

    [entry] = error_entries(response)
    assert entry["extensions"]["code"] == "RECORD_INVALID"
    assert entry["extensions"]["field"] == field
    assert await state(client) == []


async def test_all_validation_failures_are_reported_together(client):
    variables = scenario_a(
        senderName="", emailAddress="bad", host="", port=0, password=DROP
    )

    entries = error_entries(await create(client, variables))

    assert [entry["extensions"]["field"] for entry in entries] == [
        "senderName",
        "emailAddress",
        "smtpConfiguration.host",
        "smtpConfiguration.port",
        "smtpConfiguration.password",
    ]


async def test_error_entries_have_the_real_api_shape(client):
    entries = error_entries(await create(client, scenario_a(port=0)))

    [entry] = entries
    assert set(entry) == {"message", "locations", "path", "extensions"}
    assert entry["path"] == [MUTATION_FIELD]
    assert entry["locations"] == [{"line": 6, "column": 3}]
    assert set(entry["extensions"]) == {"code", "field", "correlation_id"}
    assert CANONICAL_UUID.match(entry["extensions"]["correlation_id"])


async def test_error_messages_are_stable_and_never_echo_values(client):
    messages = set()
    for email in ("a@", "b@", "@c", "no-at-sign"):
        response = await create(
            client, scenario_a(emailAddress=email, password="hunter2-secret")
        )
        [entry] = error_entries(response)
        messages.add(entry["message"])
        assert email not in entry["message"]
        assert "hunter2-secret" not in response.text
    assert messages == {"Email address is not a valid email address"}


async def test_failed_create_leaves_no_trace_and_corrected_retry_succeeds(client):
    error_entries(await create(client, scenario_a(password=DROP)))

    sender = created(await create(client, SCENARIO_A_VARIABLES))

    assert [entry["id"] for entry in await state(client)] == [sender["id"]]


async def test_client_mutation_id_is_echoed(client):
    query = """
      mutation($input: CreateSmtpCustomEmailWithConfigurationInput!) {
        createSmtpCustomEmailWithConfiguration(input: $input) {
          clientMutationId
          smtpCustomEmail { id }
        }
      }
    """
    variables = {"input": {**SCENARIO_B_VARIABLES, "clientMutationId": "req-42"}}
    response = await client.post(
        "/graphql", json={"query": query, "variables": variables}
    )

    payload = response.json()["data"][MUTATION_FIELD]
    assert payload["clientMutationId"] == "req-42"


async def test_password_never_appears_in_any_response(client):
    secret = "Pa55-w0rd-never-shown"
    responses = [
        await create(client, scenario_a(password=secret)),
        await create(client, scenario_a(password=secret)),  # duplicate
        await create(client, scenario_a(password=secret, port=0)),
        await create(client, scenario_a(password=secret, host=DROP)),
        await create(client, scenario_a(password=12345)),
        await client.get("/__mock/state"),
    ]
    for response in responses:
        assert secret not in response.text
        assert "12345" not in response.text


@pytest.mark.mock_operations
async def test_read_back_queries_and_delete(client: httpx.AsyncClient):
    sender = created(await create(client, SCENARIO_A_VARIABLES))
    created(await create(client, scenario_b(organizationId="other-org")))

    listed = await client.post(
        "/graphql",
        json={
            "query": "query($org: ID!) { smtpCustomEmails(organizationId: $org) "
            "{ id smtpConfiguration { port } } }",
            "variables": {"org": "980700673"},
        },
    )
    assert listed.json() == {
        "data": {
            "smtpCustomEmails": [
                {"id": sender["id"], "smtpConfiguration": {"port": "587"}}
            ]
        }
    }
    one = await client.get(
        "/graphql",
        params={
            "query": f'{{ smtpCustomEmail(id: "{sender["id"]}") {{ senderName }} }}'
        },
    )
    assert one.json() == {"data": {"smtpCustomEmail": {"senderName": "Acme Support"}}}

    delete = """mutation($id: ID!) {
      deleteSmtpCustomEmail(input: {id: $id, clientMutationId: "c1"}) {
        success clientMutationId } }"""
    for expected in (True, False):
        response = await client.post(
            "/graphql", json={"query": delete, "variables": {"id": sender["id"]}}
        )
        assert response.json()["data"]["deleteSmtpCustomEmail"] == {
            "success": expected,
            "clientMutationId": "c1",
        }
    # The address is free again once its sender is gone.
    created(await create(client, SCENARIO_A_VARIABLES))


@pytest.mark.mock_operations
async def test_unknown_sender_reads_back_as_null(client):
    response = await client.post(
        "/graphql", json={"query": '{ smtpCustomEmail(id: "nope") { id } }'}
    )

    assert response.json() == {"data": {"smtpCustomEmail": None}}


def test_guide_operation_is_the_documented_text():
    assert DOCUMENTED_OPERATION.startswith(
        "mutation CreateSmtpCustomEmailWithConfiguration("
    )

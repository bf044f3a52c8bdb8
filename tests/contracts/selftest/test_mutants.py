"""The mutants, built from the mock's public API, each show their deviation."""

from __future__ import annotations

import httpx
import pytest

from contracts.selftest.mutants import SELFTEST_TOKEN, apps as mutant_apps, mutant_app
from mock_server import ConfigurationError
from tests.helpers import DROP, create, created, error_entries, scenario_a

pytestmark = pytest.mark.anyio

AUTH = {"authorization": f"Bearer {SELFTEST_TOKEN}"}


@pytest.fixture
def anyio_backend():
    return "asyncio"


def client_of(name, *, headers=AUTH):
    transport = httpx.ASGITransport(app=getattr(mutant_apps, name)())
    return httpx.AsyncClient(
        transport=transport, base_url="http://127.0.0.1:4000", headers=headers
    )


def addressed(address, org="42"):
    return scenario_a(emailAddress=address, organizationId=org)


def test_an_unknown_mutant_is_named():
    with pytest.raises(ConfigurationError, match="unknown mutant 'nope'"):
        mutant_app("nope")
    with pytest.raises(AttributeError, match="no mutant named 'nope'"):
        _ = mutant_apps.nope


async def test_a_mutant_app_requires_the_selftest_token():
    async with client_of("port-as-number", headers={}) as client:
        response = await create(client, scenario_a())

    assert response.status_code == 401


async def test_auth_ignored_serves_without_the_token():
    async with client_of("auth-ignored", headers={}) as client:
        created(await create(client, scenario_a()))


WITHOUT_SENDER_NAME = """
mutation {
  createSmtpCustomEmailWithConfiguration(input: {
    emailAddress: "n@x.example"
    smtpConfiguration: {host: "h", port: 25, organizationId: "42", ipRelayAuth: true}
  }) { smtpCustomEmail { senderName } }
}
"""


@pytest.mark.parametrize(("name", "accepted"), [("sender-name-optional", True),
                                                ("port-as-number", False)])  # fmt: skip
async def test_the_patched_sdl_makes_the_sender_name_optional(name, accepted):
    async with client_of(name) as client:
        response = await client.post("/graphql", json={"query": WITHOUT_SENDER_NAME})

    assert response.status_code == 200
    body = response.json()
    if accepted:
        payload = body["data"]["createSmtpCustomEmailWithConfiguration"]
        assert payload["smtpCustomEmail"]["senderName"] == "Unnamed"
    else:  # a request error, refused before anything ran
        assert "data" not in body
        assert body["errors"][0]["extensions"]["code"] == "GRAPHQL_VALIDATION_FAILED"


async def test_the_response_rewrite_turns_port_into_a_number():
    async with client_of("port-as-number") as client:
        sender = created(await create(client, scenario_a()))

    assert sender["smtpConfiguration"]["port"] == int(
        scenario_a()["smtpConfiguration"]["port"]
    )


@pytest.mark.parametrize(
    ("name", "second", "accepted"),
    [
        ("no-uniqueness", addressed("a@x.example"), True),
        ("uniqueness-across-orgs", addressed("A@x.example", org="43"), False),
        ("case-sensitive-uniqueness", addressed("A@x.example"), True),
        ("case-sensitive-uniqueness", addressed("a@x.example"), False),
    ],
)
async def test_flawed_stores_apply_their_own_uniqueness(name, second, accepted):
    async with client_of(name) as client:
        created(await create(client, addressed("a@x.example")))
        response = await create(client, second)

    if accepted:
        created(response)
    else:
        [entry] = error_entries(response)
        assert entry["extensions"]["field"] == "emailAddress"


async def test_a_duplicate_replaces_the_first_sender_and_is_refused():
    async with client_of("duplicate-replaces-first") as client:
        first = created(await create(client, addressed("a@x.example")))
        refused = await create(client, addressed("a@x.example"))
        state = (await client.get("/__mock/state")).json()["smtpCustomEmails"]

    assert error_entries(refused)
    assert [sender["id"] for sender in state] != [first["id"]]
    assert len(state) == 1


async def test_a_seed_with_a_repeated_address_is_refused_whole():
    item = {
        "senderName": "S",
        "emailAddress": "a@x.example",
        "smtpConfiguration": {"host": "h", "port": 25, "organizationId": "42",
                              "ipRelayAuth": True},
    }  # fmt: skip
    async with client_of("uniqueness-across-orgs") as client:
        response = await client.post(
            "/__mock/seed", json={"smtpCustomEmails": [item, item]}
        )
        state = (await client.get("/__mock/state")).json()["smtpCustomEmails"]

    assert response.status_code == 422
    [problem] = response.json()["errors"]
    assert (problem["index"], problem["field"]) == (1, "emailAddress")
    assert state == []


async def test_partial_write_keeps_a_sender_of_a_create_that_failed():
    variables = scenario_a(emailAddress="p@x.example", password=DROP)
    async with client_of("partial-write") as client:
        assert error_entries(await create(client, variables))
        state = (await client.get("/__mock/state")).json()["smtpCustomEmails"]

    assert [sender["emailAddress"] for sender in state] == ["p@x.example"]


async def test_a_body_over_the_limit_passes_the_wrapper_and_gets_413():
    padding = "x" * (1 << 20)
    async with client_of("port-as-number") as client:
        response = await client.post(
            "/graphql", json={"query": "{ __typename }", "pad": padding}
        )

    assert response.status_code == 413

"""The mutants modelled on real bugs each show their bug, and only under its trigger."""

from __future__ import annotations

import asyncio
import unicodedata

import httpx
import pytest

from contracts.documented import MUTATION_FIELD
from contracts.inputs.steps import CLIENT_MUTATION_ID_OPERATION
from contracts.selftest.mutants import SELFTEST_TOKEN, apps as mutant_apps
from tests.helpers import DROP, create, created, error_entries, scenario_a, scenario_b

pytestmark = pytest.mark.anyio

AUTH = {"authorization": f"Bearer {SELFTEST_TOKEN}"}


@pytest.fixture
def anyio_backend():
    return "asyncio"


def client_of(name):
    transport = httpx.ASGITransport(app=getattr(mutant_apps, name)())
    return httpx.AsyncClient(
        transport=transport, base_url="http://127.0.0.1:4000", headers=AUTH
    )


async def test_the_racy_store_refuses_sequential_duplicates_but_not_simultaneous():
    async with client_of("uniqueness-race") as client:
        created(await create(client, scenario_b(emailAddress="s@x.example")))
        assert error_entries(
            await create(client, scenario_b(emailAddress="s@x.example"))
        )
        together = await asyncio.gather(
            *(create(client, scenario_b(emailAddress="t@x.example")) for _ in range(5))
        )

    assert all("errors" not in response.json() for response in together)


@pytest.mark.parametrize(
    ("name", "changes"),
    [
        ("relay-by-explicit-null", {"ipRelayAuth": None, "password": DROP}),
        ("empty-password-accepted", {"password": ""}),
    ],
)
async def test_a_credential_rule_mutant_accepts_only_its_own_loophole(name, changes):
    async with client_of(name) as client:
        loophole = await create(client, scenario_a(**changes))
        plain = await create(
            client, scenario_a(emailAddress="o@x.example", password=DROP)
        )

    created(loophole)
    assert error_entries(plain)


async def test_uniqueness_normalized_on_one_side_lets_a_decomposed_address_twice():
    decomposed = unicodedata.normalize("NFD", "josé@x.example")
    async with client_of("uniqueness-normalized-one-side") as client:
        created(await create(client, scenario_b(emailAddress=decomposed)))
        created(await create(client, scenario_b(emailAddress=decomposed)))
        created(await create(client, scenario_b(emailAddress="ana@x.example")))
        refused = await create(client, scenario_b(emailAddress="ana@x.example"))

    assert error_entries(refused)


async def test_a_duplicate_answers_the_first_sender():
    async with client_of("duplicate-returns-first-sender") as client:
        first = created(await create(client, scenario_a()))
        again = created(await create(client, scenario_a(senderName="Other")))
        missing = await create(
            client, scenario_a(emailAddress="m@x.example", password=DROP)
        )

    assert again == first
    assert error_entries(missing)


async def test_port_is_answered_as_the_default_submission_port():
    async with client_of("port-answered-as-default") as client:
        sender = created(await create(client, scenario_b(port=25)))

    assert sender["smtpConfiguration"]["port"] == "587"


async def test_client_mutation_ids_cross_only_between_simultaneous_creates():
    def request(number):
        variables = {"input": {**scenario_b(emailAddress=f"c{number}@x.example"),
                               "clientMutationId": f"id-{number}"}}  # fmt: skip
        return {"query": CLIENT_MUTATION_ID_OPERATION, "variables": variables}

    def echoed(response):
        return response.json()["data"][MUTATION_FIELD]["clientMutationId"]

    async with client_of("client-mutation-id-crossed") as client:
        alone = await client.post("/graphql", json=request(0))
        together = await asyncio.gather(
            *(client.post("/graphql", json=request(n)) for n in range(1, 4))
        )

    assert echoed(alone) == "id-0"
    assert [echoed(response) for response in together] == ["id-3"] * 3


async def test_ids_repeat_after_the_worker_restarts():
    async with client_of("ids-repeat-after-restart") as client:
        senders = [
            created(await create(client, scenario_b(emailAddress=f"r{n}@x.example")))
            for n in range(12)
        ]

    ids = [sender["id"] for sender in senders]
    # The fifth request is served by a fresh worker: the sequence starts again.
    assert len(set(ids[:4])) == 4
    assert ids[4:8] == ids[0:4]


@pytest.mark.parametrize(
    ("name", "check"),
    [
        ("data-null-without-errors", lambda body: body == {"data": None}),
        ("errors-without-path", lambda body: "path" not in body["errors"][0]),
        (
            "password-in-extensions",
            lambda body: (
                body["errors"][0]["extensions"]["input"]["username"]
                == "apikey@acme.example"
            ),
        ),
    ],
)
async def test_an_error_formatting_mutant_changes_only_failed_creates(name, check):
    async with client_of(name) as client:
        ok = created(await create(client, scenario_a()))
        failed = await create(client, scenario_a(emailAddress="f@x.example", host=""))

    assert ok["emailAddress"] == "support@acme.example"
    assert failed.status_code == 200
    assert check(failed.json())


async def test_every_tenth_create_is_a_503_without_retry_after():
    async with client_of("503-every-tenth-create") as client:
        responses = [
            await create(client, scenario_b(emailAddress=f"u{n}@x.example"))
            for n in range(1, 21)
        ]
        query = await client.post("/graphql", json={"query": "{ __typename }"})

    statuses = [response.status_code for response in responses]
    assert statuses == ([200] * 9 + [503]) * 2
    assert "retry-after" not in responses[9].headers
    assert query.status_code == 200

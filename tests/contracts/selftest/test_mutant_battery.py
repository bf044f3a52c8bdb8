"""Every mutant answers one battery of requests in-process, and shows on it.

`smtp-contract selftest` runs the whole suite against each mutant, in
processes of its own; this battery sends every mutant the same few dozen
requests in this process: the guide's scenarios, a duplicate, missing and
blank credentials, an explicit null, non-ASCII and lax JSON, a relay-style
create, and the sibling operations (list, update, delete). A mutant whose
answers to the battery match the faithful mock's must be one whose
deviation needs what a battery cannot give (simultaneous requests, a
choice the guide leaves open); any other has stopped deviating.
"""

from __future__ import annotations

import asyncio
import json
import re
from typing import Any

import httpx
import pytest

from contracts.documented import DOCUMENTED_OPERATION
from contracts.documented_family import (
    CREATE_CONFIGURATION,
    DELETE_CONFIGURATION,
    LIST_CONFIGURATIONS,
    UPDATE_CONFIGURATION,
)
from contracts.selftest.mutants import MUTANTS, SELFTEST_TOKEN, mutant_app
from mock_server import create_app
from tests.helpers import scenario_a, scenario_b

pytestmark = pytest.mark.anyio

AUTH = {"authorization": f"Bearer {SELFTEST_TOKEN}"}
ORG = scenario_a()["smtpConfiguration"]["organizationId"]
RELAY_STYLE = """
mutation Relay($input: CreateSmtpCustomEmailWithConfigurationInput!) {
  createSmtpCustomEmailWithConfiguration(input: $input) {
    clientMutationId
    smtpCustomEmail { id emailAddress smtpConfiguration { id port } }
  }
}
"""
# Seen only with simultaneous requests: one sequence cannot show them.
NEEDS_SIMULTANEOUS = {"uniqueness-race", "client-mutation-id-crossed"}
# Ids, and the random part of a sealed password: replaced by their order.
GENERATED = re.compile(
    r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}|[0-9a-f]{32}"
)


@pytest.fixture
def anyio_backend():
    return "asyncio"


def addressed(address: str, **changes: Any) -> dict[str, Any]:
    return scenario_a(emailAddress=address, **changes)


def create(variables: dict[str, Any]) -> dict[str, Any]:
    return {"json": {"query": DOCUMENTED_OPERATION, "variables": variables}}


async def battery(client: httpx.AsyncClient) -> list[tuple[int, str]]:
    """Each answer's status and body, ids replaced by their order of appearance."""
    answers: list[httpx.Response] = []

    async def send(request: dict[str, Any]) -> dict[str, Any]:
        response = await client.post("/graphql", **request)
        answers.append(response)
        try:
            body = response.json()
        except ValueError:
            return {}
        return body if isinstance(body, dict) else {}

    first = await send(create(scenario_a()))
    await send(create(scenario_b()))
    await send(create(addressed("other@acme.example")))
    await send(create(scenario_a()))  # a duplicate
    await send(create(addressed("SUPPORT@acme.example")))
    await send(create(addressed("caf\u00e9@acme.example")))
    for _ in range(2):  # the same address, decomposed (NFD)
        await send(create(addressed("cafe\u0301@acme.example")))
    await send(create(addressed("n1@acme.example", password=None)))
    await send(create(addressed("n2@acme.example", password="")))
    await send(create(addressed("n3@acme.example", ipRelayAuth=None, password=None)))
    await send(create(addressed("n4@acme.example", ipRelayAuth=True, password=None)))
    await send(create(scenario_a(emailAddress="n5@acme.example", senderName="Zoë")))
    await send(create(scenario_a(organizationId="980700674")))  # another org
    await send(
        {**create(addressed("t@acme.example")), "headers": {"authorization": ""}}
    )
    relay = {"input": {**scenario_b(emailAddress="r@acme.example"),
                       "clientMutationId": "battery-1"}}  # fmt: skip
    await send({"json": {"query": RELAY_STYLE, "variables": relay}})
    del relay["input"]["senderName"]
    relay["input"]["emailAddress"] = "unnamed@acme.example"
    await send({"json": {"query": RELAY_STYLE, "variables": relay}})
    for body in (b'{"query": "{ __typename }", "variables": {"n": NaN}}', b"{no"):
        await send({"content": body, "headers": {"content-type": "application/json"}})
    configuration = {"host": "smtp.acme.example", "port": 587, "organizationId": ORG,
                     "defaultSmtp": False, "ipRelayAuth": True}  # fmt: skip
    await send({"json": {"query": CREATE_CONFIGURATION,
                         "variables": {"input": configuration}}})  # fmt: skip
    payload = (first.get("data") or {}).get("createSmtpCustomEmailWithConfiguration")
    sender = (payload or {}).get("smtpCustomEmail") or {}
    configuration_id = str((sender.get("smtpConfiguration") or {}).get("id"))
    await send({"json": {"query": LIST_CONFIGURATIONS,
                         "variables": {"organizationId": ORG}}})  # fmt: skip
    for values in ({"password": "n3w-PA"}, {"host": "smtp2.acme.example"},
                   {"username": "", "password": ""}):  # fmt: skip
        update = {"input": {"id": configuration_id, **values}}
        await send({"json": {"query": UPDATE_CONFIGURATION, "variables": update}})
    for deleted in (configuration_id, "00000000-0000-4000-8000-000000000000"):
        delete = {"input": {"id": deleted}}
        await send({"json": {"query": DELETE_CONFIGURATION, "variables": delete}})
    defaults = {"organizationId": ORG, "defaultSmtp": True}
    await send({"json": {"query": LIST_CONFIGURATIONS, "variables": defaults}})
    answers.append(await client.get("/graphql", params={"query": "{ __typename }"}))
    for index in range(10):  # a restart every 5, a 503 every 10
        await send(create(addressed(f"bulk{index}@acme.example")))
    return _normalized(answers)


def _normalized(answers: list[httpx.Response]) -> list[tuple[int, str]]:
    order: dict[str, str] = {}

    def placeholder(match: re.Match[str]) -> str:
        return order.setdefault(match.group(0), f"<generated {len(order)}>")

    def text(response: httpx.Response) -> str:
        # A rewriting mutant serializes JSON its own way: compare the values.
        try:
            return json.dumps(response.json(), sort_keys=True)
        except ValueError:
            return response.text

    return [
        (response.status_code, GENERATED.sub(placeholder, text(response)))
        for response in answers
    ]


async def answers_of(app: Any) -> list[tuple[int, str]]:
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(
        transport=transport, base_url="http://127.0.0.1:4000", headers=AUTH
    ) as client:
        return await battery(client)


@pytest.fixture(scope="module")
def faithful() -> list[tuple[int, str]]:
    return asyncio.run(answers_of(create_app(token=SELFTEST_TOKEN, seed=1)))


@pytest.mark.parametrize("mutant", MUTANTS, ids=lambda mutant: mutant.name)
async def test_every_mutant_answers_the_battery_and_deviates_on_it(faithful, mutant):
    answers = await answers_of(mutant_app(mutant.name, token=SELFTEST_TOKEN))

    assert len(answers) == len(faithful)
    assert all(status in (200, 400, 401, 413, 500, 503) for status, _ in answers)
    if mutant.name in NEEDS_SIMULTANEOUS:
        assert answers == faithful
    else:
        assert answers != faithful, f"{mutant.name} no longer shows on the battery"


async def test_simultaneous_creates_show_the_race_mutants():
    for name in sorted(NEEDS_SIMULTANEOUS):
        app = mutant_app(name, token=SELFTEST_TOKEN)
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(
            transport=transport, base_url="http://127.0.0.1:4000", headers=AUTH
        ) as client:
            requests = [
                {"input": {**scenario_b(), "clientMutationId": f"m{index}"}}
                for index in range(2)
            ]
            answers = await asyncio.gather(
                *(
                    client.post(
                        "/graphql", json={"query": RELAY_STYLE, "variables": request}
                    )
                    for request in requests
                )
            )
        bodies = [answer.json() for answer in answers]
        sent = {f"m{index}" for index in range(2)}
        payloads = [
            (body.get("data") or {}).get("createSmtpCustomEmailWithConfiguration")
            for body in bodies
        ]
        created = [payload for payload in payloads if payload]
        echoed = {payload.get("clientMutationId") for payload in created}
        # Either both creates of one address were accepted, or an id crossed.
        assert len(created) == 2 or echoed != sent, (name, bodies)

"""Bursts: requests released together, in-process and over HTTP."""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from contracts.client.bursts import AsgiBurst
from contracts.client.target import Target
from contracts.errors import BudgetExhausted, ShrinkBudgetSpent
from contracts.suite.test_simultaneous import case_variants
from tests.contracts.flawed_impls import faithful_app, racy_app

CREATE = """
mutation($input: CreateSmtpCustomEmailWithConfigurationInput!) {
  createSmtpCustomEmailWithConfiguration(input: $input) { smtpCustomEmail { id } }
}
"""


def create(address: str) -> dict[str, Any]:
    configuration = {"host": "h.example", "port": 25, "organizationId": "1"}
    configuration["ipRelayAuth"] = True
    variables = {
        "input": {
            "senderName": "S",
            "emailAddress": address,
            "smtpConfiguration": configuration,
        }
    }
    return {"query": CREATE, "variables": variables}


def successes(responses) -> int:
    return sum(
        1
        for response in responses
        if (response.json().get("data") or {}).get(
            "createSmtpCustomEmailWithConfiguration"
        )
    )


def test_an_in_process_burst_interleaves_the_app_at_its_awaits():
    burst = AsgiBurst(racy_app())

    responses = burst.send("http://t/graphql", [create("a@x.example")] * 6, {})

    # The racy app checks, awaits, then saves: all six pass the check together.
    assert [r.status_code for r in responses] == [200] * 6
    assert successes(responses) == 6


def test_an_in_process_burst_keeps_one_winner_on_a_sound_app():
    responses = AsgiBurst(faithful_app()).send(
        "http://t/graphql", [create("b@x.example")] * 6, {}
    )

    assert successes(responses) == 1


def test_a_burst_counts_every_request_against_the_budget():
    target = Target(
        httpx.Client(),
        "http://t/graphql",
        max_requests=10,
        burst=AsgiBurst(faithful_app()),
    )

    exchanges = target.post_at_once([create(f"c{n}@x.example") for n in range(8)])

    assert target.sent == 8
    assert all(exchange.status == 200 for exchange in exchanges)
    with pytest.raises(BudgetExhausted):
        target.post_at_once([create("d@x.example")] * 3)
    assert target.sent == 8


def test_the_shrink_budget_starts_at_the_first_failure_and_ends_with_the_test():
    def handler(request: httpx.Request) -> httpx.Response:
        return httpx.Response(200, json={"data": {}})

    client = httpx.Client(transport=httpx.MockTransport(handler))
    target = Target(client, "http://t/graphql", shrink_budget=2)
    target.post({})
    target.failure_found()
    target.post({})
    target.post({})

    assert target.shrink_spent
    with pytest.raises(ShrinkBudgetSpent, match="after 2 requests"):
        target.post({})
    target.next_test()
    target.post({})
    assert target.sent == 4


def test_case_variants_are_distinct_and_differ_only_in_case():
    variants = case_variants("smtp-contract+ab-1@example.com", 25)

    assert len(set(variants)) == 25
    assert {variant.lower() for variant in variants} == {
        "smtp-contract+ab-1@example.com"
    }


def test_case_variants_need_enough_letters():
    with pytest.raises(ValueError, match="too few letters"):
        case_variants("a1@b.c", 9)

"""Creates sent at the same moment: uniqueness races and crossed answers.

Application-level uniqueness ("is the address taken? ... save") holds for
every sequential check and breaks only when creates arrive together, so these
tests send bursts of identical creates (`--concurrency` of them, behind a
barrier, each on its own connection) and repeat with fresh addresses.
"""

from __future__ import annotations

import copy
from collections import Counter
from typing import TYPE_CHECKING, Any

import pytest

from contracts.checks import describe
from contracts.clauses import ClauseId
from contracts.documented import MUTATION_FIELD
from contracts.inputs import steps as requests
from contracts.invariants import successful_sender
from contracts.suite._support import outcome

if TYPE_CHECKING:
    from contracts.client.api import ContractApi
    from contracts.client.exchanges import Exchange

CLAUSE = ClauseId.EMAIL_UNIQUE_IN_ORG_CONCURRENT
ROUNDS = 3
"""Bursts of identical creates, each with a fresh address."""


@pytest.mark.contract(CLAUSE)
def test_simultaneous_identical_creates_make_one_sender(
    contract_api: ContractApi,
) -> None:
    api = contract_api
    for round_ in range(ROUNDS):
        build = requests.credentials if round_ % 2 else requests.relay
        variables = build(api.context())

        exchanges = api.create_at_once([variables] * api.config.concurrency)

        _exactly_one_sender(api, exchanges, variables, "of one address")


@pytest.mark.contract(CLAUSE)
def test_simultaneous_case_variants_make_one_sender_where_case_is_ignored(
    contract_api: ContractApi,
) -> None:
    api = contract_api
    first = requests.relay(api.context())
    variant = {**copy.deepcopy(first), "emailAddress": first["emailAddress"].upper()}
    if api.checker.created_sender(api.create(first), CLAUSE) is None:
        return
    if successful_sender(api.create(variant)) is not None:
        pytest.skip("the target compares addresses case-sensitively (its own answer)")
    base = requests.relay(api.context())
    variants = case_variants(base["emailAddress"], api.config.concurrency)

    exchanges = api.create_at_once(
        [{**copy.deepcopy(base), "emailAddress": address} for address in variants]
    )

    _exactly_one_sender(api, exchanges, base, "of case variants of one address")


@pytest.mark.contract(ClauseId.RELAY_CLIENT_MUTATION_ID)
def test_each_of_simultaneous_creates_gets_its_own_client_mutation_id(
    contract_api: ContractApi,
) -> None:
    api = contract_api
    sent = [
        {"input": {**requests.relay(api.context()), "clientMutationId": f"cmid-{n}"}}
        for n in range(api.config.concurrency)
    ]

    exchanges = api.create_at_once(
        sent, query=requests.CLIENT_MUTATION_ID_OPERATION, operation_name=None
    )

    for variables, exchange in zip(sent, exchanges, strict=True):
        if _throttled(exchange):
            continue  # never reached the application: nothing to judge
        wanted = variables["input"]["clientMutationId"]
        body = exchange.body if isinstance(exchange.body, dict) else {}
        payload = (body.get("data") or {}).get(MUTATION_FIELD) or {}
        if payload.get("clientMutationId") != wanted:
            api.checker.violation(
                ClauseId.RELAY_CLIENT_MUTATION_ID,
                exchange,
                "a simultaneous create got another request's clientMutationId",
                expected=repr(wanted),
                observed=repr(payload.get("clientMutationId")),
            )
    api.checker.holds(ClauseId.RELAY_CLIENT_MUTATION_ID)


def case_variants(address: str, count: int) -> list[str]:
    """`count` distinct spellings of `address` that differ only in letter case."""
    letters = [index for index, char in enumerate(address) if char.isalpha()]
    if 2 ** len(letters) < count:
        raise ValueError(f"{address!r} has too few letters for {count} variants")
    variants = []
    for number in range(count):
        chars = list(address.lower())
        for bit, index in enumerate(letters):
            if number >> bit & 1:
                chars[index] = chars[index].upper()
        variants.append("".join(chars))
    return variants


def _throttled(exchange: Exchange) -> bool:
    """Whether the target turned a request away before it reached the app.

    A burst is not retried: a 429, or a 503 saying when to retry, is left out
    of the verdict.
    """
    return exchange.status == 429 or (
        exchange.status == 503 and bool((exchange.retry_after or "").strip())
    )


def _exactly_one_sender(
    api: ContractApi, exchanges: list[Exchange], variables: dict[str, Any], what: str
) -> None:
    exchanges = [e for e in exchanges if not _throttled(e)]
    if not exchanges:
        pytest.skip("the target throttled every request of the burst")
    winners = [e for e in exchanges if successful_sender(e) is not None]
    if len(winners) != 1:
        api.checker.violation(
            CLAUSE,
            winners[-1] if winners else exchanges[0],
            f"{len(winners)} of {len(exchanges)} simultaneous creates {what} succeeded",
            expected="exactly one success, the duplicate error for the others",
            observed=_tally(exchanges),
        )
    # What a duplicate gets when nothing races is the answer every loser needs.
    sequential = api.create(variables)
    api.checker.rejected(sequential, CLAUSE, "a duplicate after the burst was accepted")
    for loser in exchanges:
        if loser is not winners[0] and _kind(loser) != _kind(sequential):
            api.checker.violation(
                CLAUSE,
                loser,
                "a simultaneous duplicate did not get the duplicate error",
                expected="the answer a sequential duplicate got, "
                + describe(sequential),
                observed=describe(loser),
            )
    organization = variables["smtpConfiguration"]["organizationId"]
    if api.capabilities.list_by_organization:
        stored = api.count_at_address(organization, variables["emailAddress"])
        if stored not in (None, 1):
            api.checker.violation(
                CLAUSE,
                winners[0],
                f"the organization holds {stored} senders at one address",
                expected="1 sender after a burst",
                observed=f"{stored} senders listed by smtpCustomEmails",
            )
    api.checker.holds(CLAUSE)


def _kind(exchange: Exchange) -> tuple[int, tuple[str, ...]]:
    # Status and error codes: messages may name the address, codes do not.
    body = exchange.body if isinstance(exchange.body, dict) else {}
    codes = {
        str((entry.get("extensions") or {}).get("code"))
        for entry in body.get("errors") or []
        if isinstance(entry, dict)
    }
    return exchange.status, tuple(sorted(codes))


def _tally(exchanges: list[Exchange]) -> str:
    counts = Counter(outcome(exchange) for exchange in exchanges)
    return "; ".join(f"{count} x {seen}" for seen, count in counts.most_common())

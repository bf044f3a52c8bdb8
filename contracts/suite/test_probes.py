"""What the guide leaves open: never fails, the report records what happened."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pytest

from contracts.clauses import ClauseId
from contracts.inputs.steps import PROBE_STEPS, Step
from contracts.invariants import successful_sender
from contracts.suite._support import outcome

if TYPE_CHECKING:
    from contracts.client.api import ContractApi
    from contracts.client.exchanges import Exchange
    from contracts.inputs.steps import Request


def observation(step: Step, last: Request, exchange: Exchange) -> str:
    """What the target did, in stable words."""
    seen = outcome(exchange)
    sender = successful_sender(exchange)
    if step.clause == ClauseId.PROBE_EMAIL_CASE:
        verdict = "case-sensitive" if sender is not None else "case-insensitive"
        return f"{verdict}: {step.label} {seen}"
    if step.clause == ClauseId.PROBE_WHITESPACE and sender is not None:
        kept = sender.get(step.label) == last.variables[step.label]
        seen += ", kept as sent" if kept else ", trimmed"
    return f"{step.label}: {seen}"


@pytest.mark.parametrize(
    "step",
    [
        pytest.param(step, marks=pytest.mark.contract(step.clause), id=step.label)
        for step in PROBE_STEPS
    ],
)
def test_probe(contract_api: ContractApi, step: Step) -> None:
    api = contract_api
    requests = step.build(api.context())
    exchanges = [api.send(request) for request in requests]

    api.checker.results.observe(
        step.clause, observation(step, requests[-1], exchanges[-1])
    )

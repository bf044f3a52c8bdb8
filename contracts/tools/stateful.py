"""`smtp-contract fuzz`, stateful phase (#14): the suite's state machine.

Schemathesis has no stateful phase for GraphQL (its links are OpenAPI's), so
fuzz drives the state machine `run` uses (`contracts.suite._machine`):
sequences of creates, duplicates, case variants and read-backs across two
organizations, judged by the same `Checker`. A broken clause becomes a
finding; what the machine observes for probes is only observed.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from hypothesis import HealthCheck, Phase, seed as seed_with, settings
from hypothesis.errors import HypothesisException
from hypothesis.stateful import run_state_machine_as_test

from contracts.errors import ContractViolation, OutcomeUnknown
from contracts.suite._machine import SenderMachine

if TYPE_CHECKING:
    from collections.abc import Callable

    from contracts.client.api import ContractApi

"""The check name stateful findings are reported under."""
LIVE_STEPS = 10
"""Steps per sequence on a live target (each sends two or three requests)."""


def run_machine(
    api: ContractApi,
    *,
    examples: int,
    seed: int | None,
    live: bool,
    record: Callable[[ContractViolation], None],
) -> None:
    """Walk `examples` sequences; a broken clause goes to `record`.

    Raises:
        BudgetExhausted, Throttled: the run must stop (the caller decides).
    """
    bounded = settings(
        max_examples=max(1, examples // 4),
        stateful_step_count=LIVE_STEPS if live else 20,
        database=None,
        derandomize=seed is None,
        deadline=None,
        # The first finding is recorded, not shrunk: a live target's budget
        # is better spent on other sequences.
        phases=[Phase.explicit, Phase.generate],
        suppress_health_check=list(HealthCheck),
    )

    def machine() -> SenderMachine:
        return SenderMachine(api)

    factory = machine if seed is None else seed_with(seed)(machine)
    try:
        run_state_machine_as_test(factory, settings=bounded)  # type: ignore[arg-type]
    except ContractViolation as violation:
        record(violation)
    except OutcomeUnknown:
        pass  # counted by the API; the sequence cannot be judged further
    except HypothesisException:
        limit = api.target.limit_reached()
        if limit is None:
            raise
        raise limit from None


def finding_parts(violation: ContractViolation) -> tuple[str, str, str, str]:
    """Title, operation, detail and reproduction of a broken clause."""
    detail, _, reproduce = violation.message.partition("\nReproduce: ")
    return (
        violation.title,
        violation.operation,
        detail,
        reproduce or "(a sequence of requests: rerun with the same --seed)",
    )

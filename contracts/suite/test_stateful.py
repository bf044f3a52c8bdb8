"""A state machine over organizations and addresses, invariants after each step."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pytest
from hypothesis import settings
from hypothesis.stateful import run_state_machine_as_test

from contracts.clauses import ClauseId
from contracts.suite._machine import SenderMachine

if TYPE_CHECKING:
    from contracts.client.api import ContractApi


@pytest.mark.contract(
    ClauseId.CREATE_BOTH_OBJECTS,
    ClauseId.EMAIL_UNIQUE_IN_ORG,
    ClauseId.CREDENTIALS_REQUIRED,
    ClauseId.CREATE_NO_TRACE,
)
def test_state_machine_keeps_its_invariants(contract_api: ContractApi) -> None:
    current = settings()
    # Each step sends two or three requests: a quarter of the profile's examples
    # already walks hundreds of steps.
    bounded = settings(current, max_examples=max(1, current.max_examples // 4))
    run_state_machine_as_test(
        lambda: SenderMachine(contract_api),  # type: ignore[arg-type]
        settings=bounded,
    )

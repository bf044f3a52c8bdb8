"""A found failure is never hidden by what happened after it.

Hypothesis wraps what a test raised (exception groups, flaky reports, causes),
and a live run may spend its budget, or a test its shrink budget, after a
clause failed. These helpers dig out what matters and keep the first failure,
as found, in front.
"""

from __future__ import annotations

from typing import TypeVar

from contracts.errors import BudgetExhausted, ContractViolation

_E = TypeVar("_E", bound=BaseException)


def found(error: BaseException, kind: type[_E]) -> _E | None:
    """The first `kind` exception in `error`, its groups, causes and contexts."""
    if isinstance(error, kind):
        return error
    inner: list[BaseException] = []
    if isinstance(error, BaseExceptionGroup):
        inner += error.exceptions
    inner += [e for e in (error.__cause__, error.__context__) if e is not None]
    for candidate in inner:
        match = found(candidate, kind)
        if match is not None:
            return match
    return None


def as_found(
    first: ContractViolation, budget: BudgetExhausted | None
) -> ContractViolation:
    """The test's first violation, unshrunk, with a note saying why it is shown."""
    note = (
        f"Note:     the {budget} after this failure was found"
        if budget is not None
        else "Note:     shrinking stopped at --shrink-budget; this is the "
        "failing example as first found, unshrunk"
    )
    return ContractViolation(
        clause=first.clause,
        operation=first.operation,
        title=first.title,
        message=f"{first.message}\n{note}",
    )

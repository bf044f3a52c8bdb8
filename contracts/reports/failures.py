"""A failing clause as a person reads it: one block, no toolkit traceback (#26).

pytest would print the suite's own source (`Checker.violation`), Hypothesis's
exception groups and its advice about decorators around the block that says
what broke. A contract failure is shown as that block alone: the clause and
its source in the guide, expected, observed, the smallest failing input that
Hypothesis found, and the `curl` that reproduces it. A clause failing again in
a later test gets one line pointing at its first block. `-v` or an explicit
`--tb` style keeps pytest's own report.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from contracts.errors import ContractViolation

if TYPE_CHECKING:
    from collections.abc import Iterator

_KEPT_NOTES = ("Draw ",)
"""Hypothesis's notes that show the failing input (its advice is left out)."""


def violation_in(error: BaseException | None) -> ContractViolation | None:
    """The contract violation inside `error` (an exception group too), if any."""
    if isinstance(error, ContractViolation):
        return error
    if isinstance(error, BaseExceptionGroup):
        for inner in error.exceptions:
            found = violation_in(inner)
            if found is not None:
                return found
    return None


def failure_block(error: BaseException, *, earlier: int = 0) -> str | None:
    """The block to print for a failed test, or None when it is no violation.

    Args:
        error: What the test raised.
        earlier: How many earlier tests this run failed on the same clause;
            after the first, a line refers to the first block.
    """
    violation = violation_in(error)
    if violation is None:
        return None
    if earlier:
        return (
            f"{violation.title}\n(failed {earlier + 1} times so far: the first "
            "failure of this clause above shows how to reproduce it)"
        )
    lines = [str(violation)]
    lines += [note for note in _notes(error) if note.startswith(_KEPT_NOTES)]
    return "\n".join(lines)


def _notes(error: BaseException) -> Iterator[str]:
    yield from getattr(error, "__notes__", ())
    if isinstance(error, BaseExceptionGroup):
        for inner in error.exceptions:
            yield from _notes(inner)

"""A pytest plugin of the selftest: one clause's tests run before the others.

The selftest runs the whole suite against each mutant with `-x`, so a run
ends at its first failing test. Started with the tests of the clause the
mutant breaks (`Mutant.clause`), a killed mutant's run is over after those
few tests instead of after every test that comes before them in the suite:
the selftest took half the CPU (#29). Only the order changes: when those
tests let a mutant through, the rest of the suite still runs, and the verdict
still comes from the run's own JSON report.
"""

from __future__ import annotations

import pytest

from contracts.pytest_plugin import clause_ids

FIRST_OPTION = "--selftest-first"
"""Repeatable: the id of a clause whose tests run first."""

PLUGIN = __name__
"""What `-p` loads."""


def pytest_addoption(parser: pytest.Parser) -> None:
    """Add `--selftest-first CLAUSE`."""
    parser.addoption(
        FIRST_OPTION,
        action="append",
        default=[],
        metavar="CLAUSE",
        help="run the tests of this clause first (the selftest's order)",
    )


def pytest_collection_modifyitems(
    config: pytest.Config, items: list[pytest.Item]
) -> None:
    """Move the tests of the `--selftest-first` clauses to the front, in order."""
    first = set(config.getoption(FIRST_OPTION))
    if not first:
        return
    # A stable sort: both groups keep the suite's own order.
    items.sort(key=lambda item: first.isdisjoint(clause_ids(item)))

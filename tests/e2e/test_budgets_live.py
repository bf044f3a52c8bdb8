"""The budgets (`contracts.budgets`) against what the commands really send.

`run`'s spending is counted from the suite; a run given the least budget the
dry run names must reach every clause. `fuzz`'s cannot be counted before the
run (its operations and variable classes come from the target's schema), so
its constants are checked against a live fuzz of the served mock.
"""

from __future__ import annotations

import math
from collections.abc import Iterator

import pytest

from contracts.budgets import FUZZ, RESERVED_SHARE, run_spending
from contracts.config import LIVE_CONCURRENCY
from tests.e2e.conftest import Server, running_server
from tests.helpers import smtp_contract

# Their subprocesses run code other tests measure (CONTRIBUTING.md, "Coverage").
pytestmark = pytest.mark.no_cover_subprocesses

LIVE = ("--org", "980700673", "--other-org", "980700674", "--rps", "500",
        "--allow-leftovers")  # fmt: skip


@pytest.fixture(scope="module")
def served(tmp_path_factory) -> Iterator[Server]:
    # A server of its own: what these runs create stays out of other tests.
    with running_server(tmp_path_factory.mktemp("budgets")) as server:
        yield server


def sent(output: str) -> int:
    return int(output.split("requests sent: ")[1].split()[0])


def test_a_run_with_the_least_budget_reaches_every_clause(served):
    # Clean-up is on (the default): its deletes are held back from the budget.
    budget = run_spending(LIVE_CONCURRENCY, cleanup=True).least_budget()

    result = smtp_contract(
        "--url", served.url, *LIVE, "--max-requests", str(budget),
        token=served.token,
    )  # fmt: skip

    assert result.returncode == 0, result.stdout[-3000:] + result.stderr
    assert "exhausted" not in result.stdout
    assert sent(result.stdout) <= budget


@pytest.mark.parametrize("examples", [1, 5])
def test_fuzz_sends_what_its_spending_plans_and_no_more(served, examples):
    planned = FUZZ.fixed + FUZZ.properties * FUZZ.per_example * examples
    budget = math.ceil(planned / (1 - RESERVED_SHARE)) + 1
    assert FUZZ.examples(budget, 15) == examples  # dev allows 15

    result = smtp_contract(
        *LIVE[:2], "--allow-leftovers", "--url", served.url, "--rps", "500",
        "--hypothesis-profile", "dev",
        "--max-requests", str(budget),
        token=served.token, command="fuzz",
    )  # fmt: skip

    assert result.returncode == 0, result.stdout[-3000:] + result.stderr
    # The fixed part is really sent; the examples never cost more than planned.
    assert FUZZ.fixed <= sent(result.stdout) <= planned

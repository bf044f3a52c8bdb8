"""The live example count follows --max-requests (#14)."""

from __future__ import annotations

import subprocess
import sys

from click.testing import CliRunner

from contracts.budgets import FUZZ, Spending, run_spending
from contracts.cli.commands import main
from contracts.config import LIVE_CONCURRENCY
from contracts.tools.plan import fixed_requests, properties

RUN = run_spending(LIVE_CONCURRENCY)


def test_a_larger_budget_buys_more_examples_up_to_the_profile():
    spending = Spending(properties=4, fixed=20, per_example=2)

    # 75 % of 100 is 75; 55 left after the fixed requests; 8 per example.
    assert spending.examples(100, 50) == 6
    assert spending.examples(1000, 50) == 50
    assert spending.examples(None, 50) == 50


def test_a_small_budget_still_gives_every_property_one_example():
    assert RUN.examples(10, 100) == 1
    assert FUZZ.examples(1, 100) == 1


def test_the_least_budget_plans_one_example_with_the_reserve_kept():
    least = RUN.least_budget()

    assert RUN.examples(least, 100) == 1
    assert int(least * 0.75) >= RUN.fixed + RUN.properties * RUN.per_example


def test_the_run_spends_what_the_plan_counts_from_the_suite():
    for concurrency in (2, LIVE_CONCURRENCY, 25):
        spending = run_spending(concurrency)

        assert spending.properties == properties()
        assert spending.fixed == fixed_requests(concurrency)
    assert run_spending(25).fixed > run_spending(2).fixed  # wider bursts


def test_counting_the_run_decorates_no_property_before_its_profile_loads():
    # `@given` keeps the profile loaded at import: properties imported while
    # the plugin counts would ignore the live profile's example cap.
    code = (
        "import sys\nfrom contracts.budgets import run_spending\n"
        "run_spending(8)\nprint(sorted(m for m in sys.modules if m in "
        "('contracts.suite.test_documented', 'contracts.suite.test_inferred')))"
    )

    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )

    assert done.stdout.strip() == "[]"


def test_dry_run_prints_the_examples_the_budget_buys():
    def plan(budget: str, *extra: str) -> str:
        result = CliRunner().invoke(
            main,
            ["run", "--url", "http://127.0.0.1:9/graphql", "--org", "1",
             "--max-requests", budget, "--dry-run", *extra],
        )  # fmt: skip
        assert result.exit_code == 0, result.output
        return result.output

    assert "examples per property: 1, from the budget of 60" in plan("60")
    assert "before every clause is reached once" in plan("60")
    # Clean-up is on for a live target: its deletes are held back too.
    cleaning = run_spending(LIVE_CONCURRENCY, cleanup=True)
    assert cleaning.fixed > RUN.fixed
    # 75 % of 1000, less the fixed requests, over 4 requests per property
    # (3, and the delete of what the example creates).
    bought = (750 - cleaning.fixed) // (RUN.properties * 4)
    assert 1 < bought < 100  # the default profile (ci) allows 100
    assert f"examples per property: {bought}, from the budget of 1000" in plan("1000")
    assert "before every clause" not in plan("1000")
    kept = (750 - RUN.fixed) // (RUN.properties * 3)
    assert f"examples per property: {kept}, from the budget of 1000" in plan(
        "1000", "--keep"
    )

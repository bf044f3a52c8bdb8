"""The live example count follows --max-requests (#14)."""

from __future__ import annotations

from click.testing import CliRunner

from contracts.budgets import FUZZ, RUN, Spending
from contracts.cli.commands import main


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


def test_dry_run_prints_the_examples_the_budget_buys():
    def plan(budget: str) -> str:
        result = CliRunner().invoke(
            main,
            ["run", "--url", "http://127.0.0.1:9/graphql", "--org", "1",
             "--max-requests", budget, "--dry-run"],
        )  # fmt: skip
        assert result.exit_code == 0, result.output
        return result.output

    assert "examples per property: 1, from the budget of 60" in plan("60")
    assert "before every clause is reached once" in plan("60")
    assert "examples per property: 27, from the budget of 1000" in plan("1000")
    assert "before every clause" not in plan("1000")

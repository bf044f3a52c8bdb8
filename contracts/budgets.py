"""How a live run spends its request budget: examples follow `--max-requests`.

A live target's budget protects it, so the number of generated examples per
property is derived from the budget instead of fixed (#14): a larger budget
buys more examples, a small one still reaches every clause once. A quarter of
the budget is kept back for what cannot be planned: resends of throttled
requests, look-ups after lost connections and read-backs.
"""

from __future__ import annotations

from dataclasses import dataclass

RESERVED_SHARE = 0.25
"""Part of the budget kept for resends, look-ups and read-backs."""


@dataclass(frozen=True, slots=True)
class Spending:
    """What one command sends, as measured against the mock.

    Attributes:
        properties: Hypothesis properties, each given the same example count.
        fixed: Requests sent whatever the example count (explicit checks).
        per_example: Requests one example of one property sends, at most.
    """

    properties: int
    fixed: int
    per_example: int

    def examples(self, budget: int | None, most: int) -> int:
        """Examples per property: what the budget allows, 1 to `most`.

        Args:
            budget: `--max-requests`, or None for no budget (in-process).
            most: The profile's `max_examples`.
        """
        if budget is None:
            return most
        plannable = int(budget * (1 - RESERVED_SHARE)) - self.fixed
        return max(1, min(most, plannable // (self.properties * self.per_example)))

    def least_budget(self) -> int:
        """The smallest budget that reaches every clause once, with the reserve."""
        planned = self.fixed + self.properties * self.per_example
        return int(planned / (1 - RESERVED_SHARE)) + 1


RUN_PER_EXAMPLE = 3
"""Requests one example of one `smtp-contract run` property sends, at most."""
CLEANUP_SHARE = 4
"""With clean-up, the fixed part leaves about one object per this many requests
(measured against the mock: 28 objects from 121 requests); one more delete is
held back for each example, which creates one object at most."""


def run_spending(concurrency: int, *, cleanup: bool = False) -> Spending:
    """`smtp-contract run`, counted from the suite (`contracts.tools.plan`).

    Its Hypothesis properties (1 to 3 requests an example), and what it sends
    whatever the example count: capability discovery, the explicit checks
    (the guide's scenarios, required arguments, credentials, auth, probes)
    and bursts of `concurrency` simultaneous creates. Read-backs come out of
    the reserve; with clean-up, the deletes held back for it are counted in
    (`CLEANUP_SHARE`), so examples never eat into them.

    Args:
        concurrency: Simultaneous creates per burst (`--concurrency`).
        cleanup: Whether the run deletes what it creates.
    """
    # Imported here: the plan imports this module, and counting the suite
    # imports it, which only a live run or a dry run needs.
    from contracts.tools.plan import fixed_requests, properties

    fixed = fixed_requests(concurrency)
    return Spending(
        properties=properties(),
        fixed=fixed + (fixed // CLEANUP_SHARE if cleanup else 0),
        per_example=RUN_PER_EXAMPLE + (1 if cleanup else 0),
    )


FUZZ = Spending(properties=8, fixed=31, per_example=2)
"""`smtp-contract fuzz` on a live target: positive and negative documents for
the 2 operations it may send there (the guide's mutation and the documented
`smtpConfigurations`; never a delete or an update) and 4 variable classes of
the documented one (1 request an example), the stateful phase (a sequence of
10 steps, 2 to 3 requests each, per 4 examples: about 1 more per example, at
least one sequence of 20 requests), 9 malformed bodies, introspection and
discovery. The operations come from the target's
schema at run time, so these cannot be counted before the run:
`tests/e2e/test_budgets_live.py` checks them against a fuzz of the served mock."""

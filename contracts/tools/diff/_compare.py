"""The diff itself: every step sent to both sides, observed and paired."""

from __future__ import annotations

from typing import TYPE_CHECKING

from contracts.clauses import ClauseId
from contracts.errors import BudgetExhausted, ContractError, OutcomeUnknown, Throttled
from contracts.inputs.steps import DOCUMENTED_STEPS, PROBE_STEPS, Context, Request, Step
from contracts.invariants import submitted_passwords, successful_sender
from contracts.tools.diff._flags import Flags, flag_rows
from contracts.tools.diff._observe import Observation, observe
from contracts.tools.diff._rows import Row

if TYPE_CHECKING:
    from contracts.client.exchanges import Exchange
    from contracts.client.ledger import Ledger
    from contracts.client.target import Target


class DiffStopped(ContractError):
    """The target stopped the diff (budget spent, kept throttling) part way.

    Args:
        rows: The steps compared before it stopped.
        not_run: Clauses of the steps not reached.
        cause: Why it stopped.
    """

    def __init__(
        self, rows: list[Row], not_run: list[ClauseId], cause: ContractError
    ) -> None:
        super().__init__(rows, not_run, cause)
        self.rows = rows
        self.not_run = not_run
        self.cause = cause

    def __str__(self) -> str:
        return f"{self.cause}; not run: {', '.join(self.not_run) or 'nothing'}"


def compare(
    mock: Target,
    target: Target,
    context: Context,
    *,
    ledger: Ledger | None = None,
    wording: bool = False,
) -> list[Row]:
    """Send every step to both sides and pair up what they did.

    Args:
        mock: The packaged mock, in-process.
        target: The implementation compared with it.
        context: Addresses, organizations and the password marker.
        ledger: Records what the target created, for clean-up.
        wording: Compare error messages too (the mock runs a calibrated profile).

    Raises:
        DiffStopped: the budget was spent or the target kept throttling.
    """
    rows: list[Row] = []
    steps = planned_steps(context.other_org)
    passwords: set[str] = set()
    flags = {"mock": Flags(), "target": Flags()}
    for index, step in enumerate(steps):
        observed: dict[str, list[Observation]] = {"mock": [], "target": []}
        unknown = False
        try:
            for request in step.build(context):
                passwords.update(submitted_passwords(request.payload()))
                for side, where in (("mock", mock), ("target", target)):
                    exchange = _send(where, request)
                    observed[side].append(observe(exchange, wording=wording))
                    flags[side].add(exchange, passwords)
                    sender = successful_sender(exchange)
                    if where is target and ledger is not None and sender:
                        ledger.record_answer(sender, request.variables)
        except OutcomeUnknown:
            # The step's later requests depend on a write whose fate is unknown.
            target.retries.unknown_outcome()
            unknown = True
        except (BudgetExhausted, Throttled) as exc:
            not_run = sorted({s.clause for s in steps[index:]})
            raise DiffStopped(rows, not_run, exc) from exc
        mine, theirs = tuple(observed["mock"]), tuple(observed["target"])
        rows.append(Row(step.clause, step.label, mine, theirs, unknown))
    rows += flag_rows(flags["mock"], flags["target"])
    if target.token:
        unauthenticated = Request({}, "{ __typename }", None, authenticated=False)
        statuses = [(observe(_send(side, unauthenticated)),) for side in (mock, target)]
        rows.append(Row(ClauseId.AUTH_TOKEN, "no token", statuses[0], statuses[1]))
    return rows


def planned_steps(other_org: str | None) -> list[Step]:
    """The steps a diff sends (cross-organization only with a second one)."""
    steps: list[Step] = [*DOCUMENTED_STEPS, *PROBE_STEPS]
    if not other_org:
        steps = [step for step in steps if step.clause != ClauseId.EMAIL_OTHER_ORG]
    return steps


def _send(target: Target, request: Request) -> Exchange:
    return target.post(request.payload(), authenticated=request.authenticated)

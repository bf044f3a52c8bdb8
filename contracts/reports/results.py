"""What a run found, clause by clause: the material of reports."""

from __future__ import annotations

import threading
from collections import Counter
from dataclasses import dataclass, field

from contracts.clauses import CLAUSES, ClauseId, Tier, clause

HELD = "held"
FAILED = "FAILED"
NOT_RUN = "not run"
OBSERVED = "observed"
NOT_ENFORCED = "failed (not enforced)"
WARNING = "WARNING"


@dataclass
class ClauseRecord:
    """Everything recorded about one clause during a run."""

    checks: int = 0
    violations: int = 0
    outcomes: Counter[str] = field(default_factory=Counter)
    unenforced: list[str] = field(default_factory=list)
    observations: Counter[str] = field(default_factory=Counter)
    skip_reasons: set[str] = field(default_factory=set)


class Results:
    """Collects checks, test outcomes and probe observations per clause."""

    def __init__(self) -> None:
        self.records = {item.id: ClauseRecord() for item in CLAUSES}
        self._lock = threading.Lock()

    def checked(self, clause_id: ClauseId | str) -> None:
        """Count one check of a clause against a response."""
        with self._lock:
            self.records[clause(clause_id).id].checks += 1

    def observe(self, clause_id: ClauseId | str, observation: str) -> None:
        """Record what the target did for a probe."""
        with self._lock:
            record = self.records[clause(clause_id).id]
            record.checks += 1
            record.observations[observation] += 1

    def note(self, clause_id: ClauseId | str, observation: str) -> None:
        """Record how the target answered, without counting a check.

        Used for a clause that held in a way the guide leaves open, such as
        the status and content type of a request-level refusal.
        """
        with self._lock:
            self.records[clause(clause_id).id].observations[observation] += 1

    def not_enforced(self, clause_id: ClauseId | str, title: str) -> None:
        """Record a failure of a clause whose tier this run does not enforce."""
        with self._lock:
            self.records[clause(clause_id).id].unenforced.append(title)

    def outcome(
        self, clause_id: ClauseId | str, outcome: str, reason: str = ""
    ) -> None:
        """Record the outcome (passed, failed, skipped) of a test of a clause."""
        with self._lock:
            record = self.records[clause(clause_id).id]
            record.outcomes[outcome] += 1
            if outcome == "skipped" and reason:
                record.skip_reasons.add(reason)

    def violated(self, clause_id: ClauseId | str) -> None:
        """Count a failure that named this clause (a `ContractViolation`).

        Unlike a failed outcome, which a crash of the test records against
        every clause it touches, a violation is the clause's own verdict.
        """
        with self._lock:
            self.records[clause(clause_id).id].violations += 1

    def status(self, clause_id: ClauseId | str) -> str:
        """The clause's verdict for this run."""
        item = clause(clause_id)
        record = self.records[item.id]
        if record.outcomes["failed"]:
            return FAILED
        if record.unenforced:
            return WARNING if item.tier is Tier.WARNING else NOT_ENFORCED
        if item.tier is Tier.PROBE and record.observations:
            return OBSERVED
        if record.checks and item.tier is not Tier.PROBE:
            return HELD
        return NOT_RUN

    def reached(self) -> str:
        """How many clauses were checked so far, e.g. "12 of 23 clauses reached"."""
        count = sum(
            1 for record in self.records.values() if record.checks or record.outcomes
        )
        return f"{count} of {len(self.records)} clauses reached"

    def failed(self) -> list[ClauseId]:
        """Ids of clauses that failed."""
        return [item.id for item in CLAUSES if self.status(item.id) == FAILED]

    def warnings(self) -> dict[ClauseId, list[str]]:
        """Security warnings raised and not enforced: clause id to titles."""
        with self._lock:
            return {
                item.id: list(self.records[item.id].unenforced)
                for item in CLAUSES
                if item.tier is Tier.WARNING and self.records[item.id].unenforced
            }

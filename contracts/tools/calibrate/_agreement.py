"""Agreement on the held-out set: the same inputs to the target and to a mock.

Each held-out request goes to the target once and then to every mock being
judged (the calibrated one; under `--against`, the earlier profile's too).
Two answers agree when they have the same HTTP status, the same verdict
(accepted or refused), the same error entries (code, field(s) and message
each) and, when accepted, return the same sender name, address and host.
Ids and correlation ids are never compared.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from contracts.errors import BudgetExhausted, OutcomeUnknown, Throttled
from contracts.invariants import successful_sender
from contracts.tools.calibrate._probe import error_parts

if TYPE_CHECKING:
    from collections.abc import Mapping

    from contracts.client.exchanges import Exchange
    from contracts.client.ledger import Ledger
    from contracts.client.target import Target
    from contracts.inputs.steps import Request
    from contracts.tools.calibrate._heldout import Case

SHOWN_DIFFERENCES = 10
"""How many differing inputs a report lists in full."""
SHOWN_KINDS = 8
"""How many kinds of differing input the one-line figure names."""


@dataclass(frozen=True, slots=True)
class Outcome:
    """One answer, reduced to what agreement compares."""

    status: int
    verdict: str
    errors: tuple[tuple[str, tuple[str, ...], str], ...]
    stored: tuple[Any, ...]

    def summary(self) -> str:
        """The answer in one line."""
        if self.verdict == "accepted":
            return f"HTTP {self.status} accepted, returned {list(self.stored)}"
        shown = "; ".join(
            f"{code} {'/'.join(fields) or '-'} {message!r}"
            for code, fields, message in self.errors
        )
        return f"HTTP {self.status} {self.verdict} {shown}".rstrip()


def outcome(exchange: Exchange) -> Outcome:
    """What agreement compares of one exchange."""
    sender = successful_sender(exchange)
    if sender is not None:
        configuration = sender.get("smtpConfiguration") or {}
        stored = (
            sender.get("senderName"),
            sender.get("emailAddress"),
            configuration.get("host"),
        )
        return Outcome(exchange.status, "accepted", (), stored)
    errors = tuple(sorted(error_parts(exchange.body)))
    verdict = "refused" if errors else "answered"
    return Outcome(exchange.status, verdict, errors, ())


@dataclass
class Agreement:
    """How often a mock answered a held-out input as the target did."""

    agreed: int = 0
    total: int = 0
    differing: list[tuple[str, str, Outcome, Outcome]] = field(default_factory=list)
    unsent: int = 0
    stopped: str = ""

    def add(self, case: Case, mine: Outcome, theirs: Outcome) -> None:
        """Count one answer of each side."""
        self.total += 1
        if mine == theirs:
            self.agreed += 1
        else:
            self.differing.append((case.kind, case.shown, mine, theirs))

    @property
    def share(self) -> float:
        """The agreed fraction (1.0 when nothing was compared)."""
        return self.agreed / self.total if self.total else 1.0

    def line(self) -> str:
        """`held-out agreement: 97 of 100 (3 differ: ...)`."""
        kinds = Counter(kind for kind, *_ in self.differing).most_common()
        differ = ", ".join(
            f"{kind} x{count}" if count > 1 else kind
            for kind, count in kinds[:SHOWN_KINDS]
        )
        if len(kinds) > SHOWN_KINDS:
            differ += f" and {len(kinds) - SHOWN_KINDS} more kinds"
        text = f"held-out agreement: {self.agreed} of {self.total}"
        if self.differing:
            text += f" ({len(self.differing)} differ: {differ})"
        if self.unsent:
            text += f"; {self.unsent} not sent ({self.stopped})"
        return text

    def details(self) -> list[str]:
        """The first differing inputs, each with both answers."""
        return [
            f"  differs {kind} {shown}: mock {mine.summary()}; "
            f"target {theirs.summary()}"
            for kind, shown, mine, theirs in self.differing[:SHOWN_DIFFERENCES]
        ]


def measure(
    cases: list[Case],
    target: Target,
    mocks: Mapping[str, Target],
    *,
    ledger: Ledger | None = None,
) -> dict[str, Agreement]:
    """Send every case to the target and to each mock; count the agreements.

    A spent budget or a target that keeps throttling ends the measure: what
    was compared counts, the rest is reported as not sent.
    """
    agreements = {name: Agreement() for name in mocks}
    requests = [(case, request) for case in cases for request in case.requests]
    for index, (case, request) in enumerate(requests):
        try:
            exchange = _send(target, request)
        except OutcomeUnknown:
            continue
        except (BudgetExhausted, Throttled) as exc:
            for agreement in agreements.values():
                agreement.unsent = len(requests) - index
                agreement.stopped = str(exc)
            break
        sender = successful_sender(exchange)
        if sender is not None and ledger is not None:
            ledger.record_answer(sender, request.variables)
        theirs = outcome(exchange)
        for name, mock in mocks.items():
            agreements[name].add(case, outcome(_send(mock, request)), theirs)
    return agreements


def _send(target: Target, request: Request) -> Exchange:
    return target.post(request.payload(), authenticated=request.authenticated)

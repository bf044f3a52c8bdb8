"""`smtp-contract calibrate`: learn a behaviour profile from a live API.

Each choice of the profile (`mock_server.domain.profile`) is pinned by probes
sent through the run's `Target`, so `--max-requests`, `--rps`, the namespace
and the ledger apply as they do to `run`. A value that could not be pinned
(budget spent, an ambiguous answer) keeps its default and is listed under
`not_calibrated` with the reason. `--against` compares the result with an
earlier profile: behavioural drift.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import partial
from typing import TYPE_CHECKING

from contracts.errors import BudgetExhausted
from contracts.tools.calibrate._against import Change, changed_choices
from contracts.tools.calibrate._credentials import learn_blank_credentials
from contracts.tools.calibrate._findings import Findings
from contracts.tools.calibrate._learn import (
    TEXT_INPUTS,
    learn_email_syntax,
    learn_grouping,
    learn_ids_and_uniqueness,
    learn_inner_spaces,
    learn_non_ascii,
    learn_refusals,
    learn_relay_credentials,
    learn_whitespace,
)
from contracts.tools.calibrate._limits import (
    LENGTH_FIELDS,
    learn_max_length,
    learn_ports,
)
from contracts.tools.calibrate._probe import Prober

if TYPE_CHECKING:
    from contracts.tools.calibrate._mockside import BehaviourProfile

__all__ = ["Calibration", "Change", "calibrate", "changed_choices", "plan"]

_Learner = Callable[[Prober, Findings], None]


def _learners() -> list[tuple[tuple[str, ...], _Learner]]:
    # Cheapest and most telling first, so a small budget pins the most.
    steps: list[tuple[tuple[str, ...], _Learner]] = [
        (("ids.version", "ids.case", "email.uniqueness"), learn_ids_and_uniqueness),
        (("email.syntax",), learn_email_syntax),
        ((), learn_refusals),
        (("errors.grouping", "errors.separator"), learn_grouping),
    ]
    steps += [
        ((f"fields.{name}.whitespace",), partial(learn_whitespace, name=name))
        for name in TEXT_INPUTS
    ]
    steps.append((("fields.host.inner_spaces",), learn_inner_spaces))
    steps += [
        ((f"fields.{name}.non_ascii",), partial(learn_non_ascii, name=name))
        for name in TEXT_INPUTS
    ]
    steps.append((("relay.credentials",), learn_relay_credentials))
    steps.append((("credentials.blank",), learn_blank_credentials))
    steps.append((("port.min", "port.max"), learn_ports))
    steps += [
        ((f"fields.{name}.max_length",), partial(learn_max_length, name=name))
        for name in LENGTH_FIELDS
    ]
    return steps


def plan() -> list[str]:
    """The choices calibration pins, in the order it probes them."""
    return [key for keys, _ in _learners() for key in keys] + ["errors.*"]


@dataclass(frozen=True, slots=True)
class Calibration:
    """A calibration's outcome.

    Attributes:
        profile: The learned profile, evidence and `not_calibrated` included.
        requests: How many requests were sent.
        budget_spent: Whether the budget ran out before every choice was pinned.
    """

    profile: BehaviourProfile
    requests: int
    budget_spent: bool


def calibrate(prober: Prober) -> Calibration:
    """Probe the target and return the profile its answers show.

    Raises:
        ContractError: the guide's own scenario was refused, or the target
            stopped answering.
    """
    findings = Findings()
    spent = False
    for keys, learner in _learners():
        if spent:
            for key in keys:
                findings.skip(key, _budget_reason(prober))
            continue
        try:
            learner(prober, findings)
        except BudgetExhausted:
            spent = True
            for key in keys:
                findings.skip(key, _budget_reason(prober))
    _unprobed(findings)
    findings.settle_errors()
    if spent:
        findings.not_calibrated.update(
            {
                key: f"{reason} ({_budget_reason(prober)})"
                for key, reason in findings.not_calibrated.items()
                if key.startswith("errors.") and reason.startswith("never observed")
            }
        )
    return Calibration(findings.profile(), prober.target.sent, spent)


def _unprobed(findings: Findings) -> None:
    # Values no probe speaks to keep their default, and say so.
    findings.skip(
        "fields.emailAddress.max_length",
        "not probed: an address's length is bounded by its syntax",
    )
    for name in TEXT_INPUTS:
        if name != "host":
            findings.skip(f"fields.{name}.inner_spaces", "not probed: only a host's is")


def _budget_reason(prober: Prober) -> str:
    return f"budget spent: --max-requests {prober.target.max_requests} reached"

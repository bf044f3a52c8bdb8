"""`smtp-contract calibrate`: learn a behaviour profile from a live API.

Each choice of the profile (`mock_server.domain.profile`) is a rule with a
small family of named candidates, decided by probes chosen to split them:
one address per class for the email syntax, bisection for each length and
port limit, pairs that differ in one respect for normalization. Probes go
through the run's `Target`, so `--max-requests`, `--rps`, the namespace and
the ledger apply as they do to `run`. A value that could not be decided
(budget spent, an ambiguous or a moot answer) keeps the mock's default and is
listed under `not_calibrated` with the reason, never guessed.

Then a held-out set (`_heldout`: fresh inputs of the same classes, never the
probes) goes to the target and to the calibrated mock, and the agreement is
reported: what calibration measured, rather than what it memorized.
`--against` compares the result with an earlier profile: behavioural drift.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from functools import partial
from types import MappingProxyType
from typing import TYPE_CHECKING

from contracts.errors import BudgetExhausted
from contracts.tools.calibrate._against import Change, changed_choices
from contracts.tools.calibrate._agreement import Agreement, measure
from contracts.tools.calibrate._credentials import learn_blank_credentials
from contracts.tools.calibrate._email import learn_email_blank, learn_email_syntax
from contracts.tools.calibrate._findings import Findings
from contracts.tools.calibrate._heldout import draw
from contracts.tools.calibrate._learn import (
    NON_ASCII_INPUTS,
    TEXT_INPUTS,
    learn_grouping,
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
from contracts.tools.calibrate._mockside import (
    DEFAULT_PROFILE,
    load_profile,
    profiled_mock,
)
from contracts.tools.calibrate._normalization import (
    ECHOED,
    learn_ids_and_uniqueness,
    learn_stored_form,
    learn_unicode_uniqueness,
    unseen_forms,
)
from contracts.tools.calibrate._probe import Prober
from contracts.tools.calibrate._shapes import learn_field_naming, learn_unauthenticated

if TYPE_CHECKING:
    from pathlib import Path

    from contracts.client.ledger import Ledger
    from contracts.client.target import Target
    from contracts.inputs.steps import Context
    from contracts.tools.calibrate._mockside import BehaviourProfile

__all__ = [
    "HELD_OUT",
    "Agreement",
    "Calibration",
    "Change",
    "calibrate",
    "changed_choices",
    "held_out_agreement",
    "held_out_lines",
    "plan",
]

HELD_OUT = 100
"""Held-out requests measured after a calibration, unless told otherwise."""

_Learner = Callable[[Prober, Findings], None]


def _learners() -> list[tuple[tuple[str, ...], _Learner]]:
    # Cheapest and most telling first, so a small budget pins the most; the
    # email classes come before what needs their verdicts (pairs, lengths).
    steps: list[tuple[tuple[str, ...], _Learner]] = [
        (("ids.version", "ids.case", "email.uniqueness"), learn_ids_and_uniqueness),
        (("email.syntax", "email.classes.*"), learn_email_syntax),
        (("email.blank",), learn_email_blank),
        ((), learn_refusals),
        (("errors.field_key", "errors.field_names"), _field_naming),
        (("errors.grouping", "errors.separator"), learn_grouping),
        (("auth.body",), learn_unauthenticated),
    ]
    steps += [
        ((f"fields.{name}.whitespace",), partial(learn_whitespace, name=name))
        for name in TEXT_INPUTS
    ]
    steps.append((("fields.host.inner_spaces",), learn_inner_spaces))
    steps += [
        ((f"fields.{name}.non_ascii",), partial(learn_non_ascii, name=name))
        for name in NON_ASCII_INPUTS
    ]
    steps.append((("email.unicode",), learn_unicode_uniqueness))
    steps += [
        (
            (f"fields.{name}.case", f"fields.{name}.unicode"),
            partial(learn_stored_form, name=name),
        )
        for name in ECHOED
    ]
    steps.append((("relay.credentials",), learn_relay_credentials))
    steps.append((("credentials.blank",), learn_blank_credentials))
    steps.append((("port.min", "port.max"), learn_ports))
    steps += [
        ((f"fields.{name}.max_length",), partial(learn_max_length, name=name))
        for name in LENGTH_FIELDS
    ]
    return steps


def _field_naming(_prober: Prober, findings: Findings) -> None:
    learn_field_naming(findings)


def plan() -> list[str]:
    """The choices calibration pins, in the order it probes them."""
    return [key for keys, _ in _learners() for key in keys] + ["errors.*"]


@dataclass(frozen=True, slots=True)
class Calibration:
    """A calibration's outcome.

    Attributes:
        profile: The learned profile, evidence, `not_calibrated` and the
            held-out figure included.
        requests: How many requests were sent (held-out ones included).
        budget_spent: Whether the budget ran out before every choice was pinned.
        learning: How many of the requests were probes.
        costs: Probes per choice (`fields.*.max_length` sums the inputs').
        agreements: Held-out agreement per mock: `calibrated`, and `against`
            for the earlier profile given to `--against`.
        seed: The held-out set's seed (to draw the same inputs again).
    """

    profile: BehaviourProfile
    requests: int
    budget_spent: bool
    learning: int = 0
    costs: dict[str, int] = field(default_factory=dict)
    agreements: dict[str, Agreement] = field(default_factory=dict)
    seed: int | None = None


def calibrate(
    prober: Prober,
    *,
    held_out: int = 0,
    seed: int | None = None,
    against: BehaviourProfile | None = None,
) -> Calibration:
    """Probe the target, learn its profile, then measure it on held-out inputs.

    Args:
        prober: Sends the probes.
        held_out: Held-out requests to measure after learning (0: none).
        seed: The held-out set's seed; a random one when None.
        against: An earlier profile, measured on the same held-out inputs.

    Raises:
        ContractError: the guide's own scenario was refused, or the target
            stopped answering.
    """
    findings = Findings()
    spent = False
    costs: dict[str, int] = {}
    for keys, learner in _learners():
        if spent:
            for key in keys:
                findings.skip(key, _budget_reason(prober))
            continue
        before = prober.target.sent
        try:
            learner(prober, findings)
        except BudgetExhausted:
            spent = True
            for key in keys:
                findings.skip(key, _budget_reason(prober))
        group = _group(keys)
        costs[group] = costs.get(group, 0) + prober.target.sent - before
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
    profile = findings.profile()
    learning = prober.target.sent
    costs = {group: cost for group, cost in costs.items() if cost}
    if not held_out or spent:
        return Calibration(profile, learning, spent, learning, costs)
    seed = random.randrange(2**32) if seed is None else seed
    mocks = {"calibrated": profile, **({"against": against} if against else {})}
    agreements = held_out_agreement(
        prober.target, prober.context, mocks, held_out, seed, ledger=prober.ledger
    )
    figure = agreements["calibrated"]
    profile = replace(
        profile,
        held_out=MappingProxyType(
            {"agreement": figure.line(), "seed": str(seed), "requests": str(held_out)}
        ),
    )
    return Calibration(
        profile, prober.target.sent, spent, learning, costs, agreements, seed
    )


def held_out_agreement(
    target: Target,
    context: Context,
    profiles: dict[str, BehaviourProfile],
    size: int,
    seed: int,
    *,
    ledger: Ledger | None = None,
) -> dict[str, Agreement]:
    """Each profile's agreement with the target on `size` fresh held-out requests.

    Every profile runs in its own fresh in-process mock, given the target's
    token so that the request without one is refused alike.
    """
    cases = draw(context, random.Random(seed), size, with_token=bool(target.token))
    mocks = {
        name: profiled_mock(profile, token=target.token)
        for name, profile in profiles.items()
    }
    try:
        return measure(cases, target, mocks, ledger=ledger)
    finally:
        for mock in mocks.values():
            mock.close()


def held_out_lines(
    target: Target,
    context: Context,
    profile_path: Path | None,
    size: int,
    seed: int | None,
    *,
    ledger: Ledger | None = None,
) -> list[str]:
    """The held-out figure of the mock running a profile file, as report lines.

    What `diff` prints: the default profile without a file; nothing for size 0.

    Raises:
        ProfileError: the profile file is bad.
    """
    if not size:
        return []
    profile = DEFAULT_PROFILE if profile_path is None else load_profile(profile_path)
    seed = random.randrange(2**32) if seed is None else seed
    agreement = held_out_agreement(
        target, context, {"mock": profile}, size, seed, ledger=ledger
    )["mock"]
    return [f"{agreement.line()} (seed {seed})", *agreement.details()]


def _group(keys: tuple[str, ...]) -> str:
    # `fields.host.max_length` counts under `fields.*.max_length`.
    if not keys:
        return "errors.*"
    if len(keys) > 1 and keys[0].startswith(("ids.", "port.")):
        return ", ".join(keys)
    parts = keys[0].split(".")
    if parts[0] == "fields" and len(parts) == 3:
        return f"fields.*.{parts[2]}"
    return keys[0]


def _unprobed(findings: Findings) -> None:
    # Values no probe speaks to keep their default, and say so.
    for name in TEXT_INPUTS:
        if name != "host":
            findings.skip(f"fields.{name}.inner_spaces", "not probed: only a host's is")
    unseen_forms(findings)


def _budget_reason(prober: Prober) -> str:
    return f"budget spent: --max-requests {prober.target.max_requests} reached"

"""The address rules: a syntax family and its departures, and the blank address.

One probe per class of address (`_addresses.CLASSES`) decides that class: the
target accepts or refuses it. The family (`strict`, `html5`, `lenient`,
`any`) is the one that decides the most classes as the target did, the
mock's own `strict` first on a tie; every class it decides otherwise is
recorded under `email.classes` with the request that decided it. A class
whose probe got no clear answer is left to the family and listed under
`not_calibrated`.
"""

from __future__ import annotations

from collections import Counter
from typing import TYPE_CHECKING

from contracts.inputs.steps import relay
from contracts.tools.calibrate._addresses import CLASSES
from contracts.tools.calibrate._mockside import EmailSyntax, Failure, family_accepts

if TYPE_CHECKING:
    from contracts.tools.calibrate._findings import Findings
    from contracts.tools.calibrate._probe import Answer, Prober

FAMILIES = (EmailSyntax.STRICT, EmailSyntax.HTML5, EmailSyntax.LENIENT, EmailSyntax.ANY)
"""The candidate families, in the order a tie is settled."""


def fresh_parts(prober: Prober) -> tuple[str, str]:
    """The local part and domain of a fresh address in the run's namespace."""
    local, _, domain = prober.context.namespace.fresh_address().partition("@")
    return local, domain


def learn_email_syntax(prober: Prober, findings: Findings) -> None:
    """The family and its departures, one probe per class of address."""
    decided: dict[str, tuple[str, bool, Answer]] = {}
    refusals: list[Answer] = []
    for kind in CLASSES:
        address = kind.probe(*fresh_parts(prober))
        answer = prober.send(relay(prober.context, emailAddress=address))
        key = f"email.classes.{kind.name}"
        if answer.accepted or answer.refused:
            decided[kind.name] = (address, answer.accepted, answer)
            findings.pin(key, "accept" if answer.accepted else "refuse", answer)
            refusals += [answer] if answer.refused else []
        else:
            findings.skip(
                key, f"ambiguous answer: {answer.summary()}; the family decides"
            )
    if not decided:
        findings.skip("email.syntax", "no class of address got a clear answer")
        return
    usual = _record_invalid(refusals, findings)
    _non_ascii_rule(decided, usual, findings)
    for name, (_, accepted, answer) in list(decided.items()):
        if not accepted and answer.entries[0][1] != usual:
            # Refused by another rule (a length, non-ASCII text): not syntax.
            del decided[name]
            findings.values.pop(f"email.classes.{name}")
            findings.skip(
                f"email.classes.{name}",
                f"refused by another rule ({answer.entries[0][1]!r}); the family "
                "decides",
            )
    family = _best_family(decided)
    departures = []
    for name, (address, accepted, _) in decided.items():
        if family_accepts(address, family) is accepted:
            # The family decides it so already: the evidence stays, no value.
            findings.values.pop(f"email.classes.{name}")
        else:
            departures.append(name)
    shown = ", ".join(
        f"{name} {'accepted' if accepted else 'refused'}"
        for name, (_, accepted, _) in decided.items()
    )
    departed = f"; departs on {', '.join(departures)}" if departures else ""
    witness = decided[departures[0] if departures else next(iter(decided))][2]
    findings.pin(
        "email.syntax",
        family.value,
        witness,
        f"{family} decides {len(decided) - len(departures)} of {len(decided)} "
        f"classes as the target did{departed} ({shown})",
    )


def _best_family(decided: dict[str, tuple[str, bool, Answer]]) -> EmailSyntax:
    def agreement(family: EmailSyntax) -> int:
        return sum(
            family_accepts(address, family) is accepted
            for address, accepted, _ in decided.values()
        )

    return max(
        FAMILIES, key=lambda family: (agreement(family), -FAMILIES.index(family))
    )


def _record_invalid(refusals: list[Answer], findings: Findings) -> str | None:
    # The invalid-address message is the one most classes were refused with;
    # a class refused otherwise (a length or character rule) is not its witness.
    counted = Counter(answer.entries[0][1] for answer in refusals).most_common(1)
    usual = counted[0][0] if counted else None
    for answer in refusals:
        if answer.entries[0][1] == usual:
            findings.refusal(Failure.INVALID_EMAIL, "emailAddress", answer)
    return usual


def _non_ascii_rule(
    decided: dict[str, tuple[str, bool, Answer]],
    usual: str | None,
    findings: Findings,
) -> None:
    """`fields.emailAddress.non_ascii`: a rule of its own only with its own message."""
    key = "fields.emailAddress.non_ascii"
    for name in ("local_non_ascii", "domain_non_ascii"):
        if name not in decided:
            continue
        _, accepted, answer = decided[name]
        if not accepted and answer.entries[0][1] != usual:
            findings.pin(key, "reject", answer, "refused with a message of its own")
            findings.refusal(Failure.NON_ASCII, "emailAddress", answer)
            return
    for name in ("local_non_ascii", "domain_non_ascii"):
        if name in decided:
            observed = "accepted or refused as invalid: the syntax decides"
            findings.pin(key, "accept", decided[name][2], observed)
            return


def learn_email_blank(prober: Prober, findings: Findings) -> None:
    """A blank address: refused as invalid, or as blank like other fields."""
    answer = prober.send(relay(prober.context, emailAddress=""))
    if not answer.refused:
        findings.skip("email.blank", f"ambiguous answer: {answer.summary()}")
        return
    message = answer.entries[0][1]
    if message in findings.messages(Failure.INVALID_EMAIL, "emailAddress"):
        findings.pin("email.blank", "invalid", answer, "refused as an invalid address")
        return
    findings.pin("email.blank", "blank", answer, "refused as blank, not as invalid")
    findings.refusal(Failure.BLANK, "emailAddress", answer)

"""A credential of only spaces without relay: missing, or a value (`credentials.blank`).

Pinned from the answers to the suite's own `probe.blank-credentials` steps, so
calibration sends exactly what `diff` later compares.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from contracts.clauses import ClauseId
from contracts.inputs.steps import PROBE_STEPS
from contracts.tools.calibrate._mockside import Failure

if TYPE_CHECKING:
    from contracts.tools.calibrate._findings import Findings
    from contracts.tools.calibrate._probe import Answer, Prober

KEY = "credentials.blank"
_CREDENTIALS = ("username", "password")


def learn_blank_credentials(prober: Prober, findings: Findings) -> None:
    """Each credential of spaces: refused as missing, or accepted as a value."""
    verdicts: list[tuple[str, str | None, Answer]] = []
    for step in PROBE_STEPS:
        if step.clause is not ClauseId.PROBE_BLANK_CREDENTIALS:
            continue
        for request in step.build(prober.context):
            name = _blank_credential(request.variables)
            answer = prober.send(request.variables)
            verdicts.append((name, _verdict(answer, name, findings), answer))
    shown = "; ".join(
        f"{name} of spaces {_observed(value, answer)}"
        for name, value, answer in verdicts
    )
    values = {value for _, value, _ in verdicts}
    value = values.pop() if len(values) == 1 else None
    if value is None:
        # One choice covers both credentials: differing verdicts pin nothing.
        findings.skip(KEY, f"ambiguous: {shown}")
        return
    findings.pin(KEY, value, verdicts[0][2], shown)


def _blank_credential(variables: dict[str, Any]) -> str:
    configuration = variables["smtpConfiguration"]
    return next(
        name
        for name in _CREDENTIALS
        if isinstance(configuration.get(name), str) and not configuration[name].strip()
    )


def _verdict(answer: Answer, name: str, findings: Findings) -> str | None:
    if answer.accepted:
        return "accept"
    if not answer.refused:
        return None
    message = answer.entries[0][1]
    if message in findings.messages(Failure.MISSING_CREDENTIAL, name):
        return "missing"
    if message in findings.messages(Failure.WHITESPACE, name):
        # A value after all: refused by the field's own whitespace rule.
        return "accept"
    return None


def _observed(value: str | None, answer: Answer) -> str:
    if value == "missing":
        return "refused as a missing credential"
    if value == "accept" and answer.accepted:
        return "accepted"
    if value == "accept":
        return "refused for its spaces, as a value"
    return f"neither missing nor a value: {answer.summary()}"

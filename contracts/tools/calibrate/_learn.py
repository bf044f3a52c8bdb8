"""One function per choice of the profile: the probes that pin it.

Each learner sends its probes through the `Prober` (budget, rate limit and
ledger apply) and pins what the answers show in `Findings`, or says why it
could not. The requests are the suite's own (`contracts.inputs.steps`), in the
run's namespace and organization.
"""

from __future__ import annotations

import copy
from typing import TYPE_CHECKING, Any

from contracts.inputs.steps import credentials, relay
from contracts.tools.calibrate._mockside import (
    TEXT_FIELDS,
    Failure,
)

if TYPE_CHECKING:
    from contracts.tools.calibrate._findings import Findings
    from contracts.tools.calibrate._probe import Prober

NON_ASCII_VALUES = {
    "senderName": "Équipe 支持 Ünïcødé 🚀",
    "host": "hôst.acme.example",
    "username": "üser@acme.example",
}
_NEVER_RETURNED = "credentials are never returned"


def _base(prober: Prober, name: str, **changes: Any) -> dict[str, Any]:
    # Credentials need scenario A; everything else goes with scenario B.
    ctx = prober.context
    if name in ("username", "password"):
        return credentials(ctx, **changes)
    return relay(ctx, **changes)


def _set(variables: dict[str, Any], name: str, value: Any) -> dict[str, Any]:
    changed = copy.deepcopy(variables)
    if name in ("senderName", "emailAddress"):
        changed[name] = value
    else:
        changed["smtpConfiguration"][name] = value
    return changed


def _get(variables: dict[str, Any], name: str) -> Any:
    if name in ("senderName", "emailAddress"):
        return variables.get(name)
    return (variables.get("smtpConfiguration") or {}).get(name)


def learn_whitespace(prober: Prober, findings: Findings, name: str) -> None:
    """Surrounding spaces in one text input: kept, trimmed or refused."""
    key = f"fields.{name}.whitespace"
    variables = _base(prober, name)
    value = str(_get(variables, name))
    spaced = f"  {value} "
    answer = prober.send(_set(variables, name, spaced))
    if answer.accepted:
        echoed = _get(answer.sender or {}, name)
        if name in ("username", "password"):
            findings.skip(
                key, f"accepted; whether trimmed cannot be seen: {_NEVER_RETURNED}"
            )
        elif echoed == spaced:
            findings.pin(key, "keep", answer, f"returned as {echoed!r}")
        elif echoed == value:
            findings.pin(key, "trim", answer, f"returned as {echoed!r}")
        else:
            findings.skip(key, f"ambiguous answer: {spaced!r} returned as {echoed!r}")
    elif not answer.refused:
        findings.skip(key, f"ambiguous answer: {answer.summary()}")
    elif name == "emailAddress" and answer.entries[0][1] in findings.messages(
        Failure.INVALID_EMAIL, "emailAddress"
    ):
        findings.pin(key, "keep", answer, "refused as an invalid address")
    else:
        findings.pin(key, "reject", answer)
        findings.refusal(Failure.WHITESPACE, name, answer)


def learn_inner_spaces(prober: Prober, findings: Findings) -> None:
    """Whether a host with a space inside is refused."""
    answer = prober.send(relay(prober.context, host="relay acme.example"))
    if answer.accepted:
        findings.pin("fields.host.inner_spaces", False, answer)
    elif answer.refused:
        findings.pin("fields.host.inner_spaces", True, answer)
        findings.refusal(Failure.INNER_SPACES, "host", answer)
    else:
        findings.skip("fields.host.inner_spaces", f"ambiguous: {answer.summary()}")


def learn_non_ascii(prober: Prober, findings: Findings, name: str) -> None:
    """Whether characters outside ASCII are accepted in one text input."""
    key = f"fields.{name}.non_ascii"
    if name == "password":
        value = f"{prober.context.password_marker}-pässwörd"
    else:
        value = NON_ASCII_VALUES[name]
    answer = prober.send(_base(prober, name, **{name: value}))
    if answer.accepted:
        findings.pin(key, "accept", answer)
    elif answer.refused:
        findings.pin(key, "reject", answer)
        findings.refusal(Failure.NON_ASCII, name, answer)
    else:
        findings.skip(key, f"ambiguous: {answer.summary()}")


def learn_relay_credentials(prober: Prober, findings: Findings) -> None:
    """Credentials sent with IP relay on: refused, or accepted."""
    answer = prober.send(relay(prober.context, username="contract-user"))
    if answer.refused:
        findings.pin("relay.credentials", "reject", answer)
        findings.refusal(Failure.RELAY_CREDENTIALS, "username", answer)
    elif answer.accepted:
        findings.skip(
            "relay.credentials",
            f"accepted; whether dropped or kept cannot be seen: {_NEVER_RETURNED}",
        )
    else:
        findings.skip("relay.credentials", f"ambiguous: {answer.summary()}")


def learn_refusals(prober: Prober, findings: Findings) -> None:
    """The code and message of the failure classes every target has."""
    ctx = prober.context
    for name in ("senderName", "host", "organizationId"):
        answer = prober.send(relay(ctx, **{name: ""}))
        findings.refusal(Failure.BLANK, name, answer)
        if answer.accepted:
            # No profile says so: a required input is never blank in the mock.
            findings.skip(
                f"blank.{name}",
                "accepted blank by the target; the mock refuses a blank "
                "required input under every profile",
            )
    for name in ("username", "password"):
        answer = prober.send(credentials(ctx, **{name: None}))
        findings.refusal(Failure.MISSING_CREDENTIAL, name, answer)
    for omitted in (True, False):
        variables: dict[str, Any] = relay(ctx)
        if omitted:
            del variables["smtpConfiguration"]
        else:
            variables["smtpConfiguration"] = None
        answer = prober.send(variables)
        findings.refusal(Failure.MISSING_CONFIGURATION, "smtpConfiguration", answer)


def learn_grouping(prober: Prober, findings: Findings) -> None:
    """Two problems at once (no username, no password): two entries or one."""
    answer = prober.send(credentials(prober.context, username=None, password=None))
    if not answer.refused:
        findings.skip("errors.grouping", f"ambiguous: {answer.summary()}")
        findings.skip("errors.separator", "errors.grouping not calibrated")
        return
    if len(answer.entries) > 1:
        findings.pin("errors.grouping", "per-problem", answer)
        findings.skip("errors.separator", "not used: one entry per problem")
        return
    findings.pin("errors.grouping", "combined", answer)
    message = answer.entries[0][1]
    firsts = findings.messages(Failure.MISSING_CREDENTIAL, "username")
    lasts = findings.messages(Failure.MISSING_CREDENTIAL, "password")
    for first in firsts:
        for last in lasts:
            if message.startswith(first) and message.endswith(last):
                middle = message[len(first) : len(message) - len(last)]
                if middle and len(first) + len(last) < len(message):
                    findings.pin("errors.separator", middle, answer)
                    return
    findings.skip(
        "errors.separator",
        f"the combined message {message!r} is not the single messages joined",
    )


TEXT_INPUTS = TEXT_FIELDS
"""The inputs whose whitespace rules are learned."""
NON_ASCII_INPUTS = tuple(name for name in TEXT_FIELDS if name != "emailAddress")
"""The inputs whose non-ASCII rule is learned here (an address's: `_email`)."""

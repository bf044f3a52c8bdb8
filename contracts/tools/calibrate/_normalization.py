"""How values are normalized: uniqueness by pairs, stored values by their echo.

Uniqueness is decided by pairs of addresses that differ in one respect only,
the second sent after the first was created: upper case (`none` against
folding), `straße` against `STRASSE` (`lower` keeps the `ß`, `casefold` makes
it `ss`), `é` against `e` + a combining accent (NFC), `x²` against `x2`
(NFKC). A pair the target cannot take (it refuses non-ASCII addresses) leaves
the choice moot, and says so. A stored value's normalization shows in the
value the target returns: case and Unicode form at once, in one request.
"""

from __future__ import annotations

import unicodedata
from typing import TYPE_CHECKING, Any

from contracts.errors import ContractError
from contracts.inputs.steps import relay
from contracts.tools.calibrate._email import fresh_parts
from contracts.tools.calibrate._ids import learn_ids
from contracts.tools.calibrate._mockside import Failure

if TYPE_CHECKING:
    from contracts.tools.calibrate._findings import Findings
    from contracts.tools.calibrate._probe import Answer, Prober

_ACCENT = "e\u0301"  # NFD of "é"
ECHOED = ("senderName", "emailAddress", "host")
"""The text inputs a create returns, whose stored form can be seen."""


def learn_ids_and_uniqueness(prober: Prober, findings: Findings) -> None:
    """Id version and case from a created sender; whether case makes it unique."""
    first = relay(prober.context)
    created = prober.send(first)
    if not created.accepted:
        raise ContractError(
            "the guide's scenario B was not accepted, so nothing can be "
            f"calibrated: {created.summary()}"
        )
    learn_ids(created, findings)
    variant = prober.send({**first, "emailAddress": first["emailAddress"].upper()})
    what = "the upper-case variant of a taken address was"
    if variant.accepted:
        findings.pin("email.uniqueness", "none", variant, f"{what} accepted")
        again = prober.send({**first, "senderName": "Duplicate"})
        findings.refusal(Failure.DUPLICATE, "emailAddress", again)
    elif variant.refused:
        findings.pin("email.uniqueness", "casefold", variant, f"{what} refused")
        findings.refusal(Failure.DUPLICATE, "emailAddress", variant)
    else:
        findings.skip("email.uniqueness", f"ambiguous answer: {variant.summary()}")


def _non_ascii_part(findings: Findings) -> str | None:
    # Where the target takes non-ASCII in an address, if anywhere.
    for part in ("local", "domain"):
        verdict = _class_verdict(findings, f"{part}_non_ascii")
        if verdict:
            return part
    return None


def _class_verdict(findings: Findings, name: str) -> bool | None:
    evidence = findings.evidence.get(f"email.classes.{name}")
    if evidence is None:
        return None
    return " accepted" in evidence["observed"]


def _pair(
    prober: Prober, part: str, first: str, second: str
) -> tuple[Answer, Answer] | None:
    local, domain = fresh_parts(prober)

    def address(text: str) -> str:
        if part == "local":
            return f"{local}-{text}@{domain}"
        return f"{local}@{text}.{domain}"

    created = prober.send(relay(prober.context, emailAddress=address(first)))
    if not created.accepted:
        return None
    return created, prober.send(relay(prober.context, emailAddress=address(second)))


def learn_unicode_uniqueness(prober: Prober, findings: Findings) -> None:
    """`lower` or `casefold`, and the Unicode form addresses compare in."""
    part = _non_ascii_part(findings)
    moot = "moot: the target refuses non-ASCII addresses, where it would show"
    if part is None:
        findings.skip("email.unicode", moot)
        if findings.values.get("email.uniqueness") == "casefold":
            findings.values.pop("email.uniqueness")
            findings.skip("email.uniqueness", f"lower or casefold: {moot}")
        return
    if findings.values.get("email.uniqueness") == "casefold":
        pair = _pair(prober, part, "straße", "STRASSE")
        if pair is None or not (pair[1].accepted or pair[1].refused):
            findings.values.pop("email.uniqueness")
            findings.skip(
                "email.uniqueness", "straße was not accepted: lower or casefold"
            )
        else:
            folding = "lower" if pair[1].accepted else "casefold"
            seen = "accepted" if pair[1].accepted else "refused as taken"
            findings.pin(
                "email.uniqueness", folding, pair[1], f"STRASSE after straße {seen}"
            )
    form = "none"
    for candidate, first, second in (("nfc", "é", _ACCENT), ("nfkc", "x²", "x2")):
        pair = _pair(prober, part, first, second)
        if pair is None or not (pair[1].accepted or pair[1].refused):
            findings.skip("email.unicode", f"{first!r} was not accepted")
            return
        answer = pair[1]
        seen = "accepted" if answer.accepted else "refused as taken"
        observed = f"{second!a} after {first!a} {seen}"
        if answer.accepted:
            break
        form = candidate
    findings.pin("email.unicode", form, answer, observed)


def _echo_value(name: str, non_ascii: bool, prober: Prober) -> str:
    suffix = f" {_ACCENT}x²" if non_ascii else ""
    if name == "emailAddress":
        local, domain = fresh_parts(prober)
        accent = f"-{_ACCENT}x²" if non_ascii else ""
        return f"{local}-MiXed{accent}@{domain.upper()}"
    if name == "host":
        return f"Mail{'-' + _ACCENT + 'x²' if non_ascii else ''}.Acme.example"
    return f"Acme Échos{suffix}"


def stored(value: str, case: str, form: str) -> str:
    """A value as a target storing it in `case` and `form` returns it."""
    if form == "nfc":
        value = unicodedata.normalize("NFC", value)
    elif form == "nfkc":
        value = unicodedata.normalize("NFKC", value)
    return value.lower() if case == "lower" else value


def learn_stored_form(prober: Prober, findings: Findings, name: str) -> None:
    """Whether one input is stored lower-cased, and in which Unicode form."""
    non_ascii = findings.values.get(f"fields.{name}.non_ascii") == "accept"
    if name == "emailAddress":
        non_ascii = _class_verdict(findings, "local_non_ascii") is True
    value = _echo_value(name, non_ascii, prober)
    answer = prober.send(relay(prober.context, **{name: value}))
    keys = (f"fields.{name}.case", f"fields.{name}.unicode")
    if not answer.accepted:
        for key in keys:
            findings.skip(key, f"{value!r} was not accepted: {answer.summary()}")
        return
    echoed = _echoed(answer.sender or {}, name)
    forms = ("none", "nfc", "nfkc") if non_ascii else ("none",)
    matches = [
        (case, form)
        for case in ("keep", "lower")
        for form in forms
        if stored(value, case, form) == echoed
    ]
    if len(matches) != 1:
        for key in keys:
            findings.skip(key, f"ambiguous: {value!r} returned as {echoed!r}")
        return
    case, form = matches[0]
    observed = f"{value!r} returned as {echoed!r}"
    findings.pin(keys[0], case, answer, observed)
    if non_ascii:
        findings.pin(keys[1], form, answer, observed)
    else:
        findings.skip(keys[1], "moot: non-ASCII is refused in this input")


def _echoed(sender: dict[str, Any], name: str) -> Any:
    if name == "host":
        return (sender.get("smtpConfiguration") or {}).get("host")
    return sender.get(name)


def unseen_forms(findings: Findings) -> None:
    """Credentials are never returned: their stored form cannot be seen."""
    for name in ("username", "password"):
        for key in ("case", "unicode"):
            findings.skip(
                f"fields.{name}.{key}", "not probed: credentials are never returned"
            )

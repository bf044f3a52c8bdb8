"""Behavioural drift: which calibrated choices changed since a profile was written."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from contracts.tools.calibrate._addresses import CLASSES
from contracts.tools.calibrate._mockside import (
    TEXT_FIELDS,
    Failure,
    family_accepts,
    profile_document,
)

if TYPE_CHECKING:
    from contracts.tools.calibrate._mockside import BehaviourProfile

_CHOICES = ("email", "fields", "port", "relay", "credentials", "ids", "auth")
_CREDENTIALS = ("username", "password")
FIELDS_OF = {
    Failure.BLANK: ("senderName", "emailAddress", "host", "organizationId"),
    Failure.INVALID_EMAIL: ("emailAddress",),
    Failure.DUPLICATE: ("emailAddress",),
    Failure.MISSING_CREDENTIAL: _CREDENTIALS,
    Failure.PORT_RANGE: ("port",),
    Failure.TOO_LONG: TEXT_FIELDS,
    Failure.MISSING_CONFIGURATION: ("smtpConfiguration",),
    Failure.WHITESPACE: TEXT_FIELDS,
    Failure.NON_ASCII: TEXT_FIELDS,
    Failure.INNER_SPACES: TEXT_FIELDS,
    Failure.RELAY_CREDENTIALS: _CREDENTIALS,
}
"""The fields each failure class can be reported for."""


@dataclass(frozen=True, slots=True)
class Change:
    """One choice the target now makes differently.

    Attributes:
        key: The value's path in the profile document.
        old: The value in the earlier profile.
        new: The value calibration found now.
        old_evidence: What showed the old value (request and observation).
        new_evidence: What shows the new one.
    """

    key: str
    old: Any
    new: Any
    old_evidence: dict[str, str]
    new_evidence: dict[str, str]

    def lines(self) -> list[str]:
        """The change with both pieces of evidence, for the terminal."""
        lines = [f"CHANGED {self.key}: {self.old!r} -> {self.new!r}"]
        for when, evidence in (("was", self.old_evidence), ("now", self.new_evidence)):
            if evidence:
                lines.append(f"  {when}: {evidence.get('observed', '')}")
                lines.append(f"       {evidence.get('request', '')}")
        return lines


def changed_choices(old: BehaviourProfile, new: BehaviourProfile) -> list[Change]:
    """Choices both profiles calibrated that now differ.

    A value either side could not pin (listed under `not_calibrated`, or
    without evidence) is not a change: there is nothing to compare it with.
    """
    before = {**_flat(profile_document(old)), **_wording(old), **_classes(old)}
    after = {**_flat(profile_document(new)), **_wording(new), **_classes(new)}
    changes = []
    for key in sorted(set(before) | set(after)):
        if before.get(key) == after.get(key):
            continue
        old_evidence = _evidence(old, key)
        new_evidence = _evidence(new, key)
        if not old_evidence or not new_evidence:
            continue
        changes.append(
            Change(key, before.get(key), after.get(key), old_evidence, new_evidence)
        )
    return changes


def _evidence(profile: BehaviourProfile, key: str) -> dict[str, str]:
    if any(_covers(left, key) for left in profile.not_calibrated):
        return {}
    override = key.replace("errors.", "errors.overrides.", 1)
    if override in profile.evidence:
        return dict(profile.evidence[override])
    covering = [name for name in profile.evidence if _covers(name, key)]
    if not covering:
        return {}
    return dict(profile.evidence[max(covering, key=len)])


def _covers(name: str, key: str) -> bool:
    # "email.syntax" also stands for the verdicts it chose.
    return (
        key == name
        or key.startswith(name + ".")
        or (name == "email.syntax" and key.startswith("email.verdicts"))
    )


def _wording(profile: BehaviourProfile) -> dict[str, str]:
    # Errors compare as the client sees them: code and message per field.
    wording = {
        "errors.grouping": profile.grouping.value,
        "errors.separator": profile.combined_separator,
        "errors.field_key": profile.field_key.value,
        "errors.field_names": profile.field_names.value,
    }
    for failure, names in FIELDS_OF.items():
        for name in names:
            rule = profile.rule(name)
            limits = {"min": profile.port_min, "max": profile.port_max}
            if failure is Failure.TOO_LONG and rule.max_length is not None:
                limits["max"] = rule.max_length
            message = profile.message(failure, name, **limits)
            wording[f"errors.{failure}.{name}"] = f"{profile.code(failure)}: {message}"
    return wording


def _classes(profile: BehaviourProfile) -> dict[str, str]:
    # Each class as the profile decides it, departure or family: a class the
    # family decides has no key of its own in the file.
    verdicts = {}
    for kind in CLASSES:
        departure = profile.email_classes.get(kind.name)
        if departure is None:
            accepted = family_accepts(
                kind.probe("a", "example.com"), profile.email_syntax
            )
            verdict = "accept" if accepted else "refuse"
        else:
            verdict = departure.value
        verdicts[f"email.classes.{kind.name}"] = verdict
    return verdicts


def _flat(document: dict[str, Any]) -> dict[str, Any]:
    flat: dict[str, Any] = {}

    def walk(prefix: str, value: Any) -> None:
        if isinstance(value, dict) and value:
            for name, item in value.items():
                walk(f"{prefix}.{name}", item)
        else:
            flat[prefix] = value

    for table in _CHOICES:
        walk(table, document[table])
    return flat

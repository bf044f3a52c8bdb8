"""What calibration learned: pinned values, their evidence, and what it could not pin.

Values are keyed by their path in the profile document (`email.uniqueness`,
`fields.host.max_length`, `errors.duplicate`), so the evidence of a value and
a changed choice under `--against` name it as the profile file does.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from contracts.tools.calibrate._mockside import (
    DEFAULT_PROFILE,
    LABELS,
    BehaviourProfile,
    Failure,
    profile_document,
    profile_from_document,
)

if TYPE_CHECKING:
    from contracts.tools.calibrate._probe import Answer

NEVER_SEEN = "never observed: no probe of this class was refused"


@dataclass(frozen=True, slots=True)
class Seen:
    """One refusal of one failure class for one field."""

    failure: Failure
    field: str
    code: str
    message: str
    answer: Answer


@dataclass
class Findings:
    """Pinned values with their evidence, refusals seen, and values left open."""

    values: dict[str, Any] = field(default_factory=dict)
    evidence: dict[str, dict[str, str]] = field(default_factory=dict)
    not_calibrated: dict[str, str] = field(default_factory=dict)
    seen: list[Seen] = field(default_factory=list)

    def pin(self, key: str, value: Any, answer: Answer, observed: str = "") -> None:
        """Set one value, with the request that showed it."""
        self.values[key] = value
        self.not_calibrated.pop(key, None)
        detail = f"{answer.summary()}; {observed}" if observed else answer.summary()
        self.evidence[key] = {"request": answer.curl, "observed": detail}

    def skip(self, key: str, reason: str) -> None:
        """Leave one value at its default, saying why."""
        if key not in self.values:
            self.not_calibrated[key] = reason

    def refusal(self, failure: Failure, field_name: str, answer: Answer) -> None:
        """Remember a domain refusal (its first error entry) of a known class."""
        if answer.refused:
            code, message = answer.entries[0]
            self.seen.append(Seen(failure, field_name, code, message, answer))

    def messages(self, failure: Failure, field_name: str) -> list[str]:
        """The messages seen for one failure of one field."""
        return [
            s.message
            for s in self.seen
            if s.failure is failure and s.field == field_name
        ]

    def settle_errors(self) -> None:
        """Turn the refusals seen into error rules and exact overrides.

        A class's template is the one that fits the most fields' messages
        (`templates`); a field whose message it does not fit keeps its exact
        message under `errors.overrides`.
        """
        for failure in Failure:
            seen = [s for s in self.seen if s.failure is failure]
            if not seen:
                self.skip(f"errors.{failure}", NEVER_SEEN)
                continue
            first_per_field = {s.field: s for s in reversed(seen)}
            fits = {
                name: templates(s.message, name, self._limits(failure, name))
                for name, s in first_per_field.items()
            }
            usable = Counter(t for found in fits.values() for t in found)
            chosen = usable.most_common(1)[0][0] if usable else None
            for name, s in first_per_field.items():
                if chosen is not None and chosen in fits[name]:
                    key = f"errors.{failure}"
                    if key not in self.values:
                        rule = {"code": s.code, "message": chosen}
                        self.pin(key, rule, s.answer, f"a {failure} refusal")
                else:
                    override = f"errors.overrides.{failure}.{name}"
                    self.pin(override, s.message, s.answer, "exact wording")
            if chosen is None:
                # Only exact messages: the class keeps its wording, takes the code.
                s = seen[0]
                default = DEFAULT_PROFILE.errors[failure].message
                self.pin(
                    f"errors.{failure}",
                    {"code": s.code, "message": default},
                    s.answer,
                    "the code (the wording is kept per field in errors.overrides)",
                )

    def _limits(self, failure: Failure, field_name: str) -> dict[str, int]:
        if failure is Failure.PORT_RANGE:
            low = self.values.get("port.min", DEFAULT_PROFILE.port_min)
            high = self.values.get("port.max", DEFAULT_PROFILE.port_max)
            return {"min": low, "max": high}
        if failure is Failure.TOO_LONG:
            limit = self.values.get(f"fields.{field_name}.max_length")
            return {"max": limit} if isinstance(limit, int) else {}
        return {}

    def profile(self) -> BehaviourProfile:
        """The calibrated profile: defaults where nothing was pinned."""
        document = profile_document(DEFAULT_PROFILE)
        for key, value in self.values.items():
            _put(document, key, value)
        document["evidence"] = dict(self.evidence)
        document["not_calibrated"] = dict(self.not_calibrated)
        return profile_from_document(document)


def _put(document: dict[str, Any], key: str, value: Any) -> None:
    # Override keys hold a dot of their own ("blank.senderName").
    parts = key.split(".", 3) if key.startswith("errors.overrides.") else None
    if parts is not None:
        document["errors"]["overrides"][".".join(parts[2:])] = value
        return
    *tables, last = key.split(".")
    node = document
    for table in tables:
        node = node.setdefault(table, {})
    node[last] = value


def templatize(message: str, field_name: str, limits: dict[str, int]) -> str | None:
    """The message's first template (`templates`), or None when it has none."""
    found = templates(message, field_name, limits)
    return found[0] if found else None


def templates(message: str, field_name: str, limits: dict[str, int]) -> list[str]:
    """The templates a message fits: its field and limits as placeholders.

    The field may appear as its dotted path (`{path}`), its label (`{label}`)
    or its own name (`{field}`); a top-level field's name is its path too, so
    both readings are offered and the one most fields share wins. Empty when
    the message holds none of them (or holds braces): it is kept exact.
    """
    if "{" in message or "}" in message:
        return []
    leaf = field_name.rsplit(".", 1)[-1]
    label = LABELS.get(leaf)
    found = []
    for own in ("{field}", "{path}"):
        template = message
        if "." in field_name:
            template = _word(template, field_name, "{path}")
        if label:
            template = template.replace(label, "{label}")
        if own == "{field}" or field_name == leaf:
            template = _word(template, leaf, own)
        for name, value in sorted(limits.items(), key=lambda item: -len(str(item[1]))):
            number = re.escape(str(value))
            template = re.sub(rf"(?<![\d-]){number}(?!\d)", "{" + name + "}", template)
        if template != message and template not in found:
            found.append(template)
    return found


def _word(text: str, name: str, placeholder: str) -> str:
    # `host` in "host is blank", not in "hostname" nor in a longer path.
    return re.sub(rf"(?<![\w.]){re.escape(name)}(?![\w])", placeholder, text)

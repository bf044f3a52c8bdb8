"""The profile's rules for one text input, shared by senders and configurations."""

from __future__ import annotations

import unicodedata
from typing import TYPE_CHECKING

from mock_server.domain.profile_choices import (
    Case,
    Characters,
    Failure,
    FieldKey,
    FieldNames,
    Grouping,
    UnicodeForm,
    Whitespace,
)
from mock_server.errors import Problem

if TYPE_CHECKING:
    from mock_server.domain.profile import BehaviourProfile, TextRule


def problem(
    profile: BehaviourProfile, failure: Failure, field: str, **limits: int
) -> Problem:
    """One broken rule of `field`, worded, coded and named by the profile."""
    return Problem(
        field,
        profile.message(failure, field, **limits),
        profile.code(failure),
        fields=(_named(field, profile),),
        field_key=profile.field_key.value,
    )


def _named(field: str, profile: BehaviourProfile) -> str:
    if profile.field_names is FieldNames.LEAF:
        return field.rsplit(".", 1)[-1]
    return field


def text_problems(
    name: str,
    value: str,
    profile: BehaviourProfile,
    *,
    path: str | None = None,
    blank_ok: bool = False,
) -> list[Problem]:
    """What is wrong with one text value under the profile's rule for `name`."""
    # A list, not a generator: on every create, and empty nearly always.
    field = path or name
    rule = profile.rule(name)
    stripped = value.strip()
    if not stripped and not blank_ok:
        return [problem(profile, Failure.BLANK, field)]
    problems = []
    if rule.whitespace is Whitespace.REJECT and value != stripped:
        problems.append(problem(profile, Failure.WHITESPACE, field))
    if rule.max_length is not None and len(value) > rule.max_length:
        problems.append(problem(profile, Failure.TOO_LONG, field, max=rule.max_length))
    if rule.non_ascii is Characters.REJECT and not value.isascii():
        problems.append(problem(profile, Failure.NON_ASCII, field))
    if rule.inner_spaces and len(value.split()) > 1:
        problems.append(problem(profile, Failure.INNER_SPACES, field))
    return problems


def as_stored(
    raw: dict[str, str | None], profile: BehaviourProfile
) -> dict[str, str | None]:
    """Each text input as stored: trimmed, normalized, lower-cased (in place)."""
    for name in profile.normalizing:
        value = raw.get(name)
        if value is not None:
            raw[name] = normalize(value, profile.rule(name))
    return raw


def normalize(value: str, rule: TextRule) -> str:
    """One value as its rule stores it (see `TextRule`)."""
    if rule.whitespace is Whitespace.TRIM:
        value = value.strip()
    value = unicode_form(value, rule.unicode)
    if rule.case is Case.LOWER:
        value = value.lower()
    return value


def unicode_form(value: str, form: UnicodeForm) -> str:
    """A value in a Unicode normalization form (unchanged for `none`)."""
    if form is UnicodeForm.NONE or value.isascii():
        return value
    return unicodedata.normalize("NFC" if form is UnicodeForm.NFC else "NFKC", value)


def grouped(
    problems: tuple[Problem, ...], profile: BehaviourProfile
) -> tuple[Problem, ...]:
    """The problems as the profile reports them: apart, or in one entry."""
    if profile.grouping is Grouping.PER_PROBLEM or len(problems) < 2:
        return problems
    first = problems[0]
    message = profile.combined_separator.join(p.message for p in problems)
    names = tuple(dict.fromkeys(name for p in problems for name in p.fields))
    if profile.field_key is not FieldKey.FIELDS:
        names = first.fields
    return (
        Problem(
            first.field, message, first.code, fields=names, field_key=first.field_key
        ),
    )

"""The profile's rules for one text input, shared by senders and configurations."""

from __future__ import annotations

from typing import TYPE_CHECKING

from mock_server.domain.profile import Characters, Failure, Grouping, Whitespace
from mock_server.errors import Problem

if TYPE_CHECKING:
    from mock_server.domain.profile import BehaviourProfile


def problem(
    profile: BehaviourProfile, failure: Failure, field: str, **limits: int
) -> Problem:
    """One broken rule of `field`, worded and coded by the profile."""
    return Problem(
        field, profile.message(failure, field, **limits), profile.code(failure)
    )


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


def trimmed(
    raw: dict[str, str | None], profile: BehaviourProfile
) -> dict[str, str | None]:
    """Each text input, trimmed where the profile trims it (in place)."""
    for name in profile.trimmed:
        value = raw.get(name)
        if value is not None:
            raw[name] = value.strip()
    return raw


def grouped(
    problems: tuple[Problem, ...], profile: BehaviourProfile
) -> tuple[Problem, ...]:
    """The problems as the profile reports them: apart, or in one entry."""
    if profile.grouping is Grouping.PER_PROBLEM or len(problems) < 2:
        return problems
    first = problems[0]
    message = profile.combined_separator.join(p.message for p in problems)
    return (Problem(first.field, message, first.code),)

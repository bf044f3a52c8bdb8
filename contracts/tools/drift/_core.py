"""graphql-core's own grading, kept: its breaking and dangerous changes.

graphql-core's changes carry a type and a sentence, no coordinate; each type
has one sentence pattern, so the coordinate and the walk's kind are read back
from it. A change the walk did not find at that coordinate is kept on its own:
nothing graphql-core reports is lost.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from graphql import find_breaking_changes, find_dangerous_changes

from contracts.tools.drift._changes import Change, Severity

if TYPE_CHECKING:
    from graphql import BreakingChange, DangerousChange, GraphQLSchema

_N = r"([_A-Za-z][_0-9A-Za-z]*)"
_T = r"(\S+)"
# graphql-core 3.2's change type -> (sentence, kind, coordinate from the groups).
_PATTERNS: dict[str, tuple[str, str, str]] = {
    "TYPE_REMOVED": (rf"(?:Standard scalar )?{_N} was removed", "type-removed", "{0}"),
    "TYPE_CHANGED_KIND": (rf"{_N} changed from ", "type-kind-changed", "{0}"),
    "TYPE_REMOVED_FROM_UNION": (
        rf"{_N} was removed from union type {_N}\.", "union-member-removed", "{1}"
    ),
    "TYPE_ADDED_TO_UNION": (
        rf"{_N} was added to union type {_N}\.", "union-member-added", "{1}"
    ),
    "VALUE_REMOVED_FROM_ENUM": (
        rf"{_N} was removed from enum type {_N}\.", "enum-value-removed", "{1}.{0}"
    ),
    "VALUE_ADDED_TO_ENUM": (
        rf"{_N} was added to enum type {_N}\.", "enum-value-added", "{1}.{0}"
    ),
    "REQUIRED_INPUT_FIELD_ADDED": (
        rf"A required field {_N} on input type {_N} was added\.",
        "input-field-added", "{1}.{0}",
    ),
    "OPTIONAL_INPUT_FIELD_ADDED": (
        rf"An optional field {_N} on input type {_N} was added\.",
        "input-field-added", "{1}.{0}",
    ),
    "IMPLEMENTED_INTERFACE_REMOVED": (
        rf"{_N} no longer implements interface {_N}\.", "interface-removed", "{0}"
    ),
    "IMPLEMENTED_INTERFACE_ADDED": (
        rf"{_N} added to interfaces implemented by {_N}\.", "interface-added", "{1}"
    ),
    # Input fields and output fields share these two sentences.
    "FIELD_REMOVED": (rf"{_N}\.{_N} was removed\.", "field-removed", "{0}.{1}"),
    "FIELD_CHANGED_KIND": (
        rf"{_N}\.{_N} changed type from ", "field-type-changed", "{0}.{1}"
    ),
    "REQUIRED_ARG_ADDED": (
        rf"A required arg {_N} on {_N}\.{_N} was added\.", "argument-added",
        "{1}.{2}({0}:)",
    ),
    "OPTIONAL_ARG_ADDED": (
        rf"An optional arg {_N} on {_N}\.{_N} was added\.", "argument-added",
        "{1}.{2}({0}:)",
    ),
    "ARG_REMOVED": (
        rf"{_N}\.{_N} arg {_N} was removed\.", "argument-removed", "{0}.{1}({2}:)"
    ),
    "ARG_CHANGED_KIND": (
        rf"{_N}\.{_N} arg {_N} has changed type ", "argument-type-changed",
        "{0}.{1}({2}:)",
    ),
    "ARG_DEFAULT_VALUE_CHANGE": (
        rf"{_N}\.{_N} arg {_N} (?:has changed defaultValue|defaultValue was)",
        "argument-default-changed", "{0}.{1}({2}:)",
    ),
    "DIRECTIVE_REMOVED": (rf"{_N} was removed\.", "directive-removed", "@{0}"),
    "DIRECTIVE_ARG_REMOVED": (
        rf"{_N} was removed from {_N}\.", "argument-removed", "@{1}({0}:)"
    ),
    "REQUIRED_DIRECTIVE_ARG_ADDED": (
        rf"A required arg {_N} on directive {_N} was added\.", "argument-added",
        "@{1}({0}:)",
    ),
    "DIRECTIVE_REPEATABLE_REMOVED": (
        rf"Repeatable flag was removed from {_N}\.", "directive-repeatable-changed",
        "@{0}",
    ),
    "DIRECTIVE_LOCATION_REMOVED": (
        rf"{_N} was removed from {_N}\.", "directive-location-removed", "@{1}"
    ),
}  # fmt: skip
# The walk names input-field changes apart from output-field ones.
_INPUT_KINDS = {"field-removed": "input-field-removed",
                "field-type-changed": "input-field-type-changed"}  # fmt: skip


def core_changes(old: GraphQLSchema, new: GraphQLSchema) -> list[Change]:
    """graphql-core's breaking and dangerous changes, with coordinates."""
    graded: list[tuple[BreakingChange | DangerousChange, Severity]] = [
        (c, Severity.BREAKING) for c in find_breaking_changes(old, new)
    ]
    graded += [(c, Severity.DANGEROUS) for c in find_dangerous_changes(old, new)]
    found = []
    for change, severity in graded:
        sentence, kind, coordinate = _PATTERNS[change.type.name]
        match = re.match(sentence, change.description)
        # A sentence graphql-core rewords is still kept, at no coordinate.
        where = coordinate.format(*match.groups()) if match else ""
        found.append(Change(where, kind, severity, change.description))
    return found


def keep_core_grades(walked: list[Change], core: list[Change]) -> list[Change]:
    """The walk's changes, each at least as severe as graphql-core grades it."""
    grades: dict[tuple[str, str], Severity] = {}
    for change in core:
        grades[(change.coordinate, change.kind)] = change.severity
    merged, seen = [], set()
    for change in walked:
        key = (change.coordinate, change.kind)
        if key not in grades and change.kind in _INPUT_KINDS.values():
            key = (change.coordinate, _output_kind(change.kind))
        if key in grades:
            seen.add(key)
            change = change.raised_to(grades[key])
        merged.append(change)
    merged += [c for c in core if (c.coordinate, c.kind) not in seen]
    return merged


def _output_kind(kind: str) -> str:
    return next(out for out, inp in _INPUT_KINDS.items() if inp == kind)

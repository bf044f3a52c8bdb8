"""The behaviour-profile reference page, written from the profile's own code.

The keys of a profile file are found from `profile_document` (the writer is
the map from attribute to key), the choices from the enums of
`profile_choices.py` with the comment beside each value, and the meanings
from the `Attributes:` of `BehaviourProfile` and `TextRule`.
"""

from __future__ import annotations

import ast
import dataclasses
import inspect
import re
from enum import Enum, StrEnum
from typing import TYPE_CHECKING, Any

from docs._reference import cell

if TYPE_CHECKING:
    from collections.abc import Iterator


def profile_page() -> str:
    """Every key of a behaviour profile file, its default and its choices."""
    from mock_server.domain import profile_files
    from mock_server.domain.email_rules import EmailClass
    from mock_server.domain.profile import DEFAULT_PROFILE, BehaviourProfile, TextRule

    document = profile_files.profile_document(DEFAULT_PROFILE)
    meanings = _attributes(BehaviourProfile) | _attributes(TextRule)
    lines = [
        "# Behaviour profile",
        "",
        "Generated from `mock_server/domain/profile.py` (the choices and their",
        "meaning) and `profile_files.py` (how a file names them). A profile file",
        "is TOML (or JSON, by its `.json` suffix) with `version = 1`; every key",
        "may be left out and keeps its default; an unknown key or a wrong value",
        "stops `smtp-mock serve --profile FILE` with exit code 2, naming it.",
        "",
        "## Choices",
        "",
        "| Key | Default | Choices | Meaning |",
        "| --- | --- | --- | --- |",
    ]
    for key, attribute, default in profile_keys(document):
        choices = _choices(default)
        lines.append(
            f"| `{key}` | `{_shown(default)}` | {choices} | "
            f"{cell(meanings.get(attribute, ''))} |"
        )
    lines += _text_rule_rows(document, meanings, TextRule)
    lines += [
        "",
        "## Error messages",
        "",
        "`[errors.<failure>]` sets the `extensions.code` and the message template of",
        "one class of failure; a template may hold "
        + ", ".join(f"`{p}`" for p in profile_files.PLACEHOLDERS)
        + '. `[errors.overrides]` holds exact messages by `"<failure>.<field>"`.',
        "",
        "| Failure | Default code | Default message |",
        "| --- | --- | --- |",
    ]
    lines += [
        f"| `{failure}` | `{rule.code}` | {cell(rule.message)} |"
        for failure, rule in DEFAULT_PROFILE.errors.items()
    ]
    lines += [
        "",
        "## Address classes",
        "",
        "`[email.classes]` records, class by class, where the target departs from",
        "its `email.syntax` family: `accept` or `refuse`.",
        "",
        "| Class | Example |",
        "| --- | --- |",
        *(f"| `{value}` | {cell(note)} |" for value, note in _notes(EmailClass)),
        "",
        "## The default profile, whole",
        "",
        "What the mock does without `--profile`, as `smtp-contract calibrate`",
        "writes a file:",
        "",
        "```toml",
        _toml(document).rstrip(),
        "```",
    ]
    return "\n".join(lines) + "\n"


_NOT_CHOICES = ("evidence", "not_calibrated", "held_out")


def profile_keys(document: dict[str, Any]) -> Iterator[tuple[str, str, Any]]:
    """(file key, attribute, default) of every scalar choice of the profile.

    The file key of each attribute is found by changing that attribute alone
    and seeing which key of `profile_document` changes: the writer is the map.
    """
    from mock_server.domain.profile import DEFAULT_PROFILE, BehaviourProfile
    from mock_server.domain.profile_files import profile_document

    flat = _flatten(document)
    for item in dataclasses.fields(BehaviourProfile):
        default = getattr(DEFAULT_PROFILE, item.name)
        if not item.init or not isinstance(default, (Enum, int, str)):
            continue
        changed = dataclasses.replace(DEFAULT_PROFILE, **{item.name: _other(default)})
        after = _flatten(profile_document(changed))
        [key] = [k for k in flat if after.get(k) != flat[k]]
        yield key, item.name, default


def _text_rule_rows(
    document: dict[str, Any], meanings: dict[str, str], rule_class: type[Any]
) -> list[str]:
    fields = document["fields"]
    rows = []
    for item in dataclasses.fields(rule_class):
        defaults = {name: rule[item.name] for name, rule in fields.items()}
        shown = ", ".join(f"{n} `{_shown(v)}`" for n, v in defaults.items())
        if len(set(map(str, defaults.values()))) == 1:
            shown = f"`{_shown(next(iter(defaults.values())))}`"
        default = getattr(rule_class(), item.name)
        choices = 'an integer, `"none"`' if item.name == "max_length" else ""
        rows.append(
            f"| `fields.<input>.{item.name}` | {shown} | "
            f"{choices or _choices(default)} | {cell(meanings.get(item.name, ''))} |"
        )
    inputs = ", ".join(f"`{name}`" for name in fields)
    return [*rows, "", f"`<input>` is one of {inputs}."]


def _other(value: Any) -> Any:
    if isinstance(value, Enum):
        return next(member for member in type(value) if member is not value)
    if isinstance(value, bool):
        return not value
    return value + 1 if isinstance(value, int) else value + "x"


def _flatten(document: dict[str, Any], prefix: str = "") -> dict[str, Any]:
    flat: dict[str, Any] = {}
    for key, value in document.items():
        if isinstance(value, dict):
            flat |= _flatten(value, f"{prefix}{key}.")
        else:
            flat[f"{prefix}{key}"] = value
    return flat


def _choices(default: Any) -> str:
    if isinstance(default, bool):
        return "`true`, `false`"
    if not isinstance(default, StrEnum):
        return "an integer" if isinstance(default, int) else "a string"
    shown = []
    for value, note in _notes(type(default)):
        shown.append(f"`{value}`" + (f": {cell(note)}" if note else ""))
    return "<br>".join(shown)


def _notes(enum: type[Enum]) -> list[tuple[str, str]]:
    """Each value of an enum with the comment written beside it in the source."""
    source = inspect.getsource(enum)
    notes: dict[str, str] = {}
    for node in ast.parse(source).body[0].body:  # type: ignore[attr-defined]
        if isinstance(node, ast.Assign) and isinstance(node.value, ast.Constant):
            line = source.splitlines()[node.lineno - 1]
            comment = line.split("#", 1)[1].strip() if "#" in line else ""
            notes.setdefault(str(node.value.value), comment)
    return [(member.value, notes.get(member.value, "")) for member in enum]


def _attributes(cls: type[Any]) -> dict[str, str]:
    """The `Attributes:` section of a Google-style docstring, by name."""
    text = inspect.getdoc(cls) or ""
    section = text.split("Attributes:", 1)[-1]
    found: dict[str, str] = {}
    name = ""
    for line in section.splitlines():
        entry = re.match(r"^    (\w+): (.*)$", line)
        if entry:
            name = entry[1]
            found[name] = entry[2]
        elif line.startswith("        ") and name:
            found[name] += " " + line.strip()
    return found


def _shown(value: Any) -> str:
    if isinstance(value, bool):
        return str(value).lower()
    return str(value.value if isinstance(value, Enum) else value)


def _toml(document: dict[str, Any]) -> str:
    import tomli_w

    return tomli_w.dumps({k: v for k, v in document.items() if v != {}})

"""Behaviour profiles on disk: TOML (or JSON), read strictly, written whole.

The format, with the default values (every key may be left out; an unknown
key or a wrong value is refused, naming it):

```toml
version = 1

[email]
uniqueness = "case-insensitive"   # or "case-sensitive"
syntax = "strict"                  # "lenient" | "any" | "observed" ([email.verdicts])

[email.verdicts]                   # with syntax = "observed": address -> valid?
"a..b@example.com" = false
"*-no-at-sign" = true              # "*" first: any address ending with the rest

[fields.senderName]                # also emailAddress, host, username, password
whitespace = "keep"                # "trim" | "reject" (surrounding spaces)
max_length = 255                   # or "none"
non_ascii = "accept"               # or "reject"
inner_spaces = false               # true: refuse spaces between words (host)

[port]                             # within GraphQL's Int (-2**31 .. 2**31-1)
min = 1
max = 65535

[relay]
credentials = "drop"               # "keep" | "reject" (sent with ipRelayAuth)

[credentials]                      # without relay; "" and null are always missing
blank = "missing"                  # or "accept": a username/password of only spaces

[errors]
grouping = "per-problem"           # or "combined"
separator = "; "                   # joins a combined entry's messages
blank = { code = "RECORD_INVALID", message = "{label} can't be blank" }
# ... one table per failure class, see mock_server.domain.profile.Failure

[errors.overrides]                 # exact messages: "<failure>.<field>"
"blank.senderName" = "Sender name is required"

[configurations]                   # not documented by the API: the mock's choices
first_default = "always"           # or "as-sent": honour a first defaultSmtp false
unset_default = "ignore"           # or "clear": defaultSmtp false sent on an update
delete_in_use = "cascade"          # or "refuse": deleting a sender's configuration

[permissions]                      # a member's update/delete is always refused
member_create = "refuse"           # or "allow"

[ids]
version = 4                        # or 7
case = "lower"                     # or "upper"

[limits]                           # documented by the API; calibration may learn them
max_complexity = 50000             # costliest operation served (a positive integer)
max_depth = 15                     # deepest nesting of fields (introspection exempt)

[evidence."email.uniqueness"]      # written by `smtp-contract calibrate`
request = "curl ..."
observed = "..."

[not_calibrated]                   # choices calibrate could not pin, and why
"fields.host.max_length" = "budget spent"
```
"""

from __future__ import annotations

import json
import re
import tomllib
from dataclasses import replace
from enum import StrEnum
from types import MappingProxyType
from typing import TYPE_CHECKING, Any, TypeVar

from mock_server.domain.profile import (
    DEFAULT_PROFILE,
    PORT_LIMITS,
    PROFILE_VERSION,
    TEXT_FIELDS,
    BehaviourProfile,
    BlankCredentials,
    Characters,
    DeleteInUse,
    EmailSyntax,
    ErrorRule,
    Failure,
    FirstDefault,
    Grouping,
    IdCase,
    MemberCreate,
    RelayCredentials,
    TextRule,
    Uniqueness,
    UnsetDefault,
    Whitespace,
)
from mock_server.errors import ConfigurationError

if TYPE_CHECKING:
    from pathlib import Path

_E = TypeVar("_E", bound=StrEnum)
_PLACEHOLDERS = ("{label}", "{max}", "{min}")
_LIMITS = ("max_complexity", "max_depth")


class ProfileError(ConfigurationError):
    """A profile file is unreadable or holds a bad key or value."""


def load_profile(path: Path) -> BehaviourProfile:
    """Read a profile file (`.json` as JSON, anything else as TOML).

    Raises:
        ProfileError: naming the file and the first bad key.
    """
    try:
        text = path.read_text(encoding="utf-8")
        data = json.loads(text) if path.suffix == ".json" else tomllib.loads(text)
    except (OSError, UnicodeDecodeError, ValueError) as exc:
        raise ProfileError(f"profile {path}: cannot read it ({exc})") from exc
    try:
        return profile_from_document(data)
    except ProfileError as exc:
        raise ProfileError(f"profile {path}: {exc}") from None


def profile_from_document(data: Any) -> BehaviourProfile:
    """Build a profile from its document (the parsed file).

    Raises:
        ProfileError: naming the first bad key.
    """
    reader = _Reader(data, "")
    version = reader.get("version", int, PROFILE_VERSION)
    if version != PROFILE_VERSION:
        raise ProfileError(f"version: expected {PROFILE_VERSION}, got {version}")
    profile = DEFAULT_PROFILE
    email = reader.table("email")
    profile = replace(
        profile,
        uniqueness=email.choice("uniqueness", Uniqueness, profile.uniqueness),
        email_syntax=email.choice("syntax", EmailSyntax, profile.email_syntax),
        email_verdicts=MappingProxyType(email.table("verdicts").mapping(bool)),
        fields=_fields(reader.table("fields"), profile),
    )
    email.refuse_unknown()
    port = reader.table("port")
    relay = reader.table("relay")
    credentials = reader.table("credentials")
    ids = reader.table("ids")
    profile = replace(
        profile,
        port_min=port.get("min", int, profile.port_min),
        port_max=port.get("max", int, profile.port_max),
        relay_credentials=relay.choice(
            "credentials", RelayCredentials, profile.relay_credentials
        ),
        blank_credentials=credentials.choice(
            "blank", BlankCredentials, profile.blank_credentials
        ),
        id_version=ids.get("version", int, profile.id_version),
        id_case=ids.choice("case", IdCase, profile.id_case),
    )
    for table in (port, relay, credentials, ids):
        table.refuse_unknown()
    if profile.id_version not in (4, 7):
        raise ProfileError(f"ids.version: expected 4 or 7, got {profile.id_version}")
    low, high = PORT_LIMITS
    if not low <= profile.port_min <= profile.port_max <= high:
        raise ProfileError(f"port: expected {low} <= min <= max <= {high}")
    profile = _errors(reader.table("errors"), profile)
    profile = _family(reader, profile)
    profile = _limits(reader.table("limits"), profile)
    evidence = reader.table("evidence")
    profile = replace(
        profile,
        evidence=MappingProxyType(
            {
                key: MappingProxyType(evidence.table(key).mapping(str))
                for key in evidence
            }
        ),
        not_calibrated=MappingProxyType(reader.table("not_calibrated").mapping(str)),
    )
    reader.refuse_unknown()
    return profile


def _fields(
    reader: _Reader, profile: BehaviourProfile
) -> MappingProxyType[str, TextRule]:
    rules = dict(profile.fields)
    for name in reader:
        if name not in TEXT_FIELDS:
            raise ProfileError(f"{reader.path(name)}: not a text input {TEXT_FIELDS}")
        table = reader.table(name)
        base = profile.rule(name)
        limit = table.raw("max_length", base.max_length)
        if limit == "none":
            limit = None
        elif not isinstance(limit, int) or isinstance(limit, bool) or limit < 1:
            raise ProfileError(
                f"{table.path('max_length')}: expected a positive integer or "
                f'"none", got {limit!r}'
            )
        rules[name] = TextRule(
            whitespace=table.choice("whitespace", Whitespace, base.whitespace),
            max_length=limit,
            non_ascii=table.choice("non_ascii", Characters, base.non_ascii),
            inner_spaces=table.get("inner_spaces", bool, base.inner_spaces),
        )
        table.refuse_unknown()
    return MappingProxyType(rules)


def _errors(reader: _Reader, profile: BehaviourProfile) -> BehaviourProfile:
    rules = dict(profile.errors)
    for failure in Failure:
        if failure.value not in reader:
            continue
        table = reader.table(failure.value)
        base = rules[failure]
        message = table.get("message", str, base.message)
        unknown = [p for p in _fields_of(message) if p not in _PLACEHOLDERS]
        if unknown:
            raise ProfileError(
                f"{table.path('message')}: unknown placeholder {unknown[0]} "
                f"(use {', '.join(_PLACEHOLDERS)})"
            )
        rules[failure] = ErrorRule(table.get("code", str, base.code), message)
        table.refuse_unknown()
    overrides = reader.table("overrides").mapping(str)
    for key in overrides:
        failure_name, _, field_name = key.partition(".")
        if failure_name not in Failure.__members__.values() or not field_name:
            raise ProfileError(
                f'errors.overrides.{key}: expected "<failure>.<field>" with a '
                f"failure of {[f.value for f in Failure]}"
            )
    grouping = reader.choice("grouping", Grouping, profile.grouping)
    separator = reader.get("separator", str, profile.combined_separator)
    reader.refuse_unknown()
    return replace(
        profile,
        errors=MappingProxyType(rules),
        overrides=MappingProxyType(overrides),
        grouping=grouping,
        combined_separator=separator,
    )


def _fields_of(template: str) -> list[str]:
    return re.findall(r"\{[^{}]*\}", template)


def _family(reader: _Reader, profile: BehaviourProfile) -> BehaviourProfile:
    """The choices of the sibling operations (`[configurations]`, `[permissions]`)."""
    configurations = reader.table("configurations")
    permissions = reader.table("permissions")
    profile = replace(
        profile,
        first_default=configurations.choice(
            "first_default", FirstDefault, profile.first_default
        ),
        unset_default=configurations.choice(
            "unset_default", UnsetDefault, profile.unset_default
        ),
        delete_in_use=configurations.choice(
            "delete_in_use", DeleteInUse, profile.delete_in_use
        ),
        member_create=permissions.choice(
            "member_create", MemberCreate, profile.member_create
        ),
    )
    configurations.refuse_unknown()
    permissions.refuse_unknown()
    return profile


def _limits(reader: _Reader, profile: BehaviourProfile) -> BehaviourProfile:
    limits = {key: reader.get(key, int, getattr(profile, key)) for key in _LIMITS}
    for key, value in limits.items():
        if value < 1:
            raise ProfileError(
                f"{reader.path(key)}: expected a positive integer, got {value!r}"
            )
    reader.refuse_unknown()
    return replace(profile, **limits)


def profile_document(profile: BehaviourProfile) -> dict[str, Any]:
    """The profile as its file's document (what `load_profile` reads back)."""
    return {
        "version": PROFILE_VERSION,
        "email": {
            "uniqueness": profile.uniqueness.value,
            "syntax": profile.email_syntax.value,
            "verdicts": dict(profile.email_verdicts),
        },
        "fields": {
            name: {
                "whitespace": rule.whitespace.value,
                "max_length": "none" if rule.max_length is None else rule.max_length,
                "non_ascii": rule.non_ascii.value,
                "inner_spaces": rule.inner_spaces,
            }
            for name, rule in profile.fields.items()
        },
        "port": {"min": profile.port_min, "max": profile.port_max},
        "relay": {"credentials": profile.relay_credentials.value},
        "credentials": {"blank": profile.blank_credentials.value},
        "errors": {
            "grouping": profile.grouping.value,
            "separator": profile.combined_separator,
            **{
                failure.value: {"code": rule.code, "message": rule.message}
                for failure, rule in profile.errors.items()
            },
            "overrides": dict(profile.overrides),
        },
        "configurations": {
            "first_default": profile.first_default.value,
            "unset_default": profile.unset_default.value,
            "delete_in_use": profile.delete_in_use.value,
        },
        "permissions": {"member_create": profile.member_create.value},
        "ids": {"version": profile.id_version, "case": profile.id_case.value},
        "limits": {key: getattr(profile, key) for key in _LIMITS},
        "evidence": {key: dict(value) for key, value in profile.evidence.items()},
        "not_calibrated": dict(profile.not_calibrated),
    }


def dump_profile(profile: BehaviourProfile, path: Path) -> None:
    """Write a profile file (`.json` as JSON, anything else as TOML)."""
    document = profile_document(profile)
    if path.suffix == ".json":
        path.write_text(json.dumps(document, indent=2) + "\n", encoding="utf-8")
        return
    import tomli_w

    path.write_text(tomli_w.dumps(document), encoding="utf-8")


class _Reader:
    """One table of the document, remembering which keys were read."""

    def __init__(self, data: Any, prefix: str) -> None:
        if not isinstance(data, dict):
            raise ProfileError(f"{prefix or 'the file'}: expected a table")
        self._data = data
        self._prefix = prefix
        self._read: set[str] = set()

    def __iter__(self) -> Any:
        return iter(list(self._data))

    def __contains__(self, key: str) -> bool:
        return key in self._data

    def path(self, key: str) -> str:
        return f"{self._prefix}.{key}" if self._prefix else key

    def raw(self, key: str, default: Any) -> Any:
        self._read.add(key)
        return self._data.get(key, default)

    def get(self, key: str, kind: type[Any], default: Any) -> Any:
        value = self.raw(key, default)
        if not isinstance(value, kind) or (kind is int and isinstance(value, bool)):
            raise ProfileError(
                f"{self.path(key)}: expected {kind.__name__}, got {value!r}"
            )
        return value

    def choice(self, key: str, kind: type[_E], default: _E) -> _E:
        value = self.raw(key, default.value)
        try:
            return kind(value)
        except ValueError:
            allowed = ", ".join(repr(member.value) for member in kind)
            raise ProfileError(
                f"{self.path(key)}: expected one of {allowed}, got {value!r}"
            ) from None

    def table(self, key: str) -> _Reader:
        return _Reader(self.raw(key, {}), self.path(key))

    def mapping(self, kind: type[Any]) -> dict[str, Any]:
        return {key: self.get(key, kind, None) for key in self._data}

    def refuse_unknown(self) -> None:
        unknown = [key for key in self._data if key not in self._read]
        if unknown:
            raise ProfileError(f"{self.path(unknown[0])}: unknown key")

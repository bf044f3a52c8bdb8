"""Reading a profile document strictly: every key read, or refused naming it."""

from __future__ import annotations

import re
from dataclasses import replace
from enum import StrEnum
from types import MappingProxyType
from typing import TYPE_CHECKING, Any, TypeVar

from mock_server.domain.profile import (
    DeleteInUse,
    ErrorRule,
    Failure,
    FieldKey,
    FieldNames,
    FirstDefault,
    Grouping,
    MemberCreate,
    UnsetDefault,
)
from mock_server.errors import ConfigurationError

if TYPE_CHECKING:
    from collections.abc import Mapping

    from mock_server.domain.profile import BehaviourProfile

PLACEHOLDERS = ("{label}", "{field}", "{path}", "{max}", "{min}")
"""What a message template may hold (see `BehaviourProfile.message`)."""
LIMITS = ("max_complexity", "max_depth")

_E = TypeVar("_E", bound=StrEnum)


class ProfileError(ConfigurationError):
    """A profile file is unreadable or holds a bad key or value."""


class Reader:
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

    def choice(
        self,
        key: str,
        kind: type[_E],
        default: _E,
        legacy: Mapping[str, str] | None = None,
    ) -> _E:
        """One of an enum's values; `legacy` maps values older files used."""
        value = self.raw(key, default.value)
        if legacy is not None and isinstance(value, str):
            value = legacy.get(value, value)
        try:
            return kind(value)
        except ValueError:
            allowed = ", ".join(repr(member.value) for member in kind)
            raise ProfileError(
                f"{self.path(key)}: expected one of {allowed}, got {value!r}"
            ) from None

    def table(self, key: str) -> Reader:
        return Reader(self.raw(key, {}), self.path(key))

    def mapping(self, kind: type[Any]) -> dict[str, Any]:
        return {key: self.get(key, kind, None) for key in self._data}

    def refuse_unknown(self) -> None:
        unknown = [key for key in self._data if key not in self._read]
        if unknown:
            raise ProfileError(f"{self.path(unknown[0])}: unknown key")


def read_errors(reader: Reader, profile: BehaviourProfile) -> BehaviourProfile:
    """The `[errors]` table: one rule per failure class, overrides, the shape."""
    rules = dict(profile.errors)
    for failure in Failure:
        if failure.value not in reader:
            continue
        table = reader.table(failure.value)
        base = rules[failure]
        message = table.get("message", str, base.message)
        unknown = [
            p for p in re.findall(r"\{[^{}]*\}", message) if p not in PLACEHOLDERS
        ]
        if unknown:
            raise ProfileError(
                f"{table.path('message')}: unknown placeholder {unknown[0]} "
                f"(use {', '.join(PLACEHOLDERS)})"
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
    profile = replace(
        profile,
        errors=MappingProxyType(rules),
        overrides=MappingProxyType(overrides),
        grouping=reader.choice("grouping", Grouping, profile.grouping),
        combined_separator=reader.get("separator", str, profile.combined_separator),
        field_key=reader.choice("field_key", FieldKey, profile.field_key),
        field_names=reader.choice("field_names", FieldNames, profile.field_names),
    )
    reader.refuse_unknown()
    return profile


def read_family(reader: Reader, profile: BehaviourProfile) -> BehaviourProfile:
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


def read_limits(reader: Reader, profile: BehaviourProfile) -> BehaviourProfile:
    """The `[limits]` table: the whole API's documented limits."""
    limits = {key: reader.get(key, int, getattr(profile, key)) for key in LIMITS}
    for key, value in limits.items():
        if value < 1:
            raise ProfileError(
                f"{reader.path(key)}: expected a positive integer, got {value!r}"
            )
    reader.refuse_unknown()
    return replace(profile, **limits)

"""Behaviour profiles on disk: TOML (or JSON), read strictly, written whole.

The format, with the default values (every key may be left out; an unknown
key or a wrong value is refused, naming it). Files written before a key
existed still load: the key keeps its default.

```toml
version = 1

[email]
uniqueness = "casefold"     # "none" | "lower" (legacy "case-insensitive" = casefold,
                            # "case-sensitive" = none): how addresses compare
unicode = "none"            # "nfc" | "nfkc": normalization before comparing
syntax = "strict"           # "html5" | "lenient" | "any" (legacy: "observed")
blank = "invalid"           # "blank": a blank address gets errors.blank

[email.classes]             # where the target departs from its syntax family
local_consecutive_dots = "accept"   # or "refuse"; keys: EmailClass in email_rules

[email.verdicts]            # legacy (syntax = "observed"): address -> valid?
"*-no-at-sign" = true       # "*" first: any address ending with the rest

[fields.senderName]         # also emailAddress, host, username, password
whitespace = "keep"         # "trim" | "reject" (surrounding spaces)
max_length = 255            # or "none"
non_ascii = "accept"        # or "reject"
inner_spaces = false        # true: refuse spaces between words (host)
case = "keep"               # "lower": stored and returned lower-cased
unicode = "none"            # "nfc" | "nfkc": stored normalized

[port]                      # within GraphQL's Int (-2**31 .. 2**31-1)
min = 1
max = 65535

[relay]
credentials = "drop"        # "keep" | "reject" (sent with ipRelayAuth)

[credentials]               # without relay; "" and null are always missing
blank = "missing"           # or "accept": a username/password of only spaces

[errors]
grouping = "per-problem"    # or "combined"
separator = "; "            # joins a combined entry's messages
field_key = "field"         # "fields" (a list) | "none": extensions naming fields
field_names = "path"        # "leaf": `host`, not `smtpConfiguration.host`
blank = { code = "RECORD_INVALID", message = "{label} can't be blank" }
# ... one table per failure class (mock_server.domain.profile_choices.Failure);
# placeholders {label} {field} {path} {min} {max}

[errors.overrides]          # exact messages: "<failure>.<field>"
"blank.senderName" = "Sender name is required"

[auth]
body = "mock"               # "graphql": a 401 of one entry, errors.unauthenticated

[http]                      # answers in application/json (GraphQL over HTTP)
request_errors = 200        # status of a request error (parse, validation,
                            # variables, limits), or a 4xx (Apollo Server: 400)

[configurations]            # not documented by the API: the mock's choices
first_default = "always"    # or "as-sent": honour a first defaultSmtp false
unset_default = "ignore"    # or "clear": defaultSmtp false sent on an update
delete_in_use = "cascade"   # or "refuse": deleting a sender's configuration

[permissions]               # a member's update/delete is always refused
member_create = "refuse"    # or "allow"

[ids]
version = 4                 # or 7
case = "lower"              # or "upper"

[limits]                    # documented by the API; calibration may learn them
max_complexity = 50000      # costliest operation served (a positive integer)
max_depth = 15              # deepest nesting of fields (introspection exempt)

[evidence."email.uniqueness"]   # written by `smtp-contract calibrate`
request = "curl ..."
observed = "..."

[not_calibrated]            # choices calibrate could not pin, and why
"fields.host.max_length" = "budget spent"

[held_out]                  # what calibrate measured on inputs it never probed
agreement = "97 of 100"
```
"""

from __future__ import annotations

import json
import tomllib
from dataclasses import replace
from types import MappingProxyType
from typing import TYPE_CHECKING, Any

from mock_server.domain._profile_reading import (
    LIMITS,
    PLACEHOLDERS,
    ProfileError,
    Reader,
    read_errors,
    read_family,
    read_limits,
)
from mock_server.domain.email_rules import EmailClass
from mock_server.domain.profile import (
    DEFAULT_PROFILE,
    PORT_LIMITS,
    PROFILE_VERSION,
    TEXT_FIELDS,
    AuthBody,
    BehaviourProfile,
    BlankCredentials,
    Case,
    Characters,
    EmailBlank,
    EmailSyntax,
    IdCase,
    RelayCredentials,
    TextRule,
    UnicodeForm,
    Uniqueness,
    Verdict,
    Whitespace,
)

if TYPE_CHECKING:
    from pathlib import Path

__all__ = [
    "PLACEHOLDERS",
    "ProfileError",
    "describe_profile",
    "dump_profile",
    "load_profile",
    "profile_document",
    "profile_from_document",
]

_LEGACY_UNIQUENESS = {"case-insensitive": "casefold", "case-sensitive": "none"}


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


def describe_profile(profile: BehaviourProfile, path: Path) -> str:
    """One line saying which profile is in force (for `smtp-mock serve`)."""
    calibrated = f"{len(profile.evidence)} calibrated choices"
    left = f"{len(profile.not_calibrated)} left at the mock's default"
    return f"behaviour profile {path} ({calibrated}, {left})"


def profile_from_document(data: Any) -> BehaviourProfile:
    """Build a profile from its document (the parsed file).

    Raises:
        ProfileError: naming the first bad key.
    """
    reader = Reader(data, "")
    version = reader.get("version", int, PROFILE_VERSION)
    if version != PROFILE_VERSION:
        raise ProfileError(f"version: expected {PROFILE_VERSION}, got {version}")
    profile = _email(reader.table("email"), DEFAULT_PROFILE)
    profile = replace(profile, fields=_fields(reader.table("fields"), profile))
    port = reader.table("port")
    relay = reader.table("relay")
    credentials = reader.table("credentials")
    ids = reader.table("ids")
    auth = reader.table("auth")
    http = reader.table("http")
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
        auth_body=auth.choice("body", AuthBody, profile.auth_body),
        request_error_status=http.get(
            "request_errors", int, profile.request_error_status
        ),
    )
    for table in (port, relay, credentials, ids, auth, http):
        table.refuse_unknown()
    status = profile.request_error_status
    if status != 200 and not 400 <= status <= 499:
        raise ProfileError(f"http.request_errors: expected 200 or 4xx, got {status}")
    if profile.id_version not in (4, 7):
        raise ProfileError(f"ids.version: expected 4 or 7, got {profile.id_version}")
    low, high = PORT_LIMITS
    if not low <= profile.port_min <= profile.port_max <= high:
        raise ProfileError(f"port: expected {low} <= min <= max <= {high}")
    profile = read_errors(reader.table("errors"), profile)
    profile = read_family(reader, profile)
    profile = read_limits(reader.table("limits"), profile)
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
        held_out=MappingProxyType(reader.table("held_out").mapping(str)),
    )
    reader.refuse_unknown()
    return profile


def _email(email: Reader, profile: BehaviourProfile) -> BehaviourProfile:
    classes = email.table("classes")
    verdicts: dict[EmailClass, Verdict] = {}
    for name in classes:
        if name not in EmailClass.__members__.values():
            raise ProfileError(
                f"{classes.path(name)}: not a class of address "
                f"({', '.join(EmailClass)})"
            )
        verdicts[EmailClass(name)] = classes.choice(name, Verdict, Verdict.ACCEPT)
    profile = replace(
        profile,
        uniqueness=email.choice(
            "uniqueness", Uniqueness, profile.uniqueness, _LEGACY_UNIQUENESS
        ),
        uniqueness_unicode=email.choice(
            "unicode", UnicodeForm, profile.uniqueness_unicode
        ),
        email_syntax=email.choice("syntax", EmailSyntax, profile.email_syntax),
        email_classes=MappingProxyType(verdicts),
        email_verdicts=MappingProxyType(email.table("verdicts").mapping(bool)),
        email_blank=email.choice("blank", EmailBlank, profile.email_blank),
    )
    email.refuse_unknown()
    return profile


def _fields(
    reader: Reader, profile: BehaviourProfile
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
            case=table.choice("case", Case, base.case),
            unicode=table.choice("unicode", UnicodeForm, base.unicode),
        )
        table.refuse_unknown()
    return MappingProxyType(rules)


def profile_document(profile: BehaviourProfile) -> dict[str, Any]:
    """The profile as its file's document (what `load_profile` reads back)."""
    return {
        "version": PROFILE_VERSION,
        "email": {
            "uniqueness": profile.uniqueness.value,
            "unicode": profile.uniqueness_unicode.value,
            "syntax": profile.email_syntax.value,
            "blank": profile.email_blank.value,
            "classes": {c.value: v.value for c, v in profile.email_classes.items()},
            "verdicts": dict(profile.email_verdicts),
        },
        "fields": {
            name: {
                "whitespace": rule.whitespace.value,
                "max_length": "none" if rule.max_length is None else rule.max_length,
                "non_ascii": rule.non_ascii.value,
                "inner_spaces": rule.inner_spaces,
                "case": rule.case.value,
                "unicode": rule.unicode.value,
            }
            for name, rule in profile.fields.items()
        },
        "port": {"min": profile.port_min, "max": profile.port_max},
        "relay": {"credentials": profile.relay_credentials.value},
        "credentials": {"blank": profile.blank_credentials.value},
        "errors": {
            "grouping": profile.grouping.value,
            "separator": profile.combined_separator,
            "field_key": profile.field_key.value,
            "field_names": profile.field_names.value,
            **{
                failure.value: {"code": rule.code, "message": rule.message}
                for failure, rule in profile.errors.items()
            },
            "overrides": dict(profile.overrides),
        },
        "auth": {"body": profile.auth_body.value},
        "http": {"request_errors": profile.request_error_status},
        "configurations": {
            "first_default": profile.first_default.value,
            "unset_default": profile.unset_default.value,
            "delete_in_use": profile.delete_in_use.value,
        },
        "permissions": {"member_create": profile.member_create.value},
        "ids": {"version": profile.id_version, "case": profile.id_case.value},
        "limits": {key: getattr(profile, key) for key in LIMITS},
        "evidence": {key: dict(value) for key, value in profile.evidence.items()},
        "not_calibrated": dict(profile.not_calibrated),
        "held_out": dict(profile.held_out),
    }


def dump_profile(profile: BehaviourProfile, path: Path) -> None:
    """Write a profile file (`.json` as JSON, anything else as TOML)."""
    document = profile_document(profile)
    if path.suffix == ".json":
        path.write_text(json.dumps(document, indent=2) + "\n", encoding="utf-8")
        return
    import tomli_w

    path.write_text(tomli_w.dumps(document), encoding="utf-8")

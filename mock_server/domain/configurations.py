"""SMTP configurations in plain Python: the rules of the documented family.

From the reference (`api-family.md`): a configuration needs a host, a port and
an organization, and credentials unless IP relay; an update changes only the
fields sent, and a password omitted or null keeps the current one;
`defaultSmtp: true` makes a configuration its organization's default, and the
organization's first configuration is its default. What the pages leave open
(a first configuration created with `defaultSmtp: false`, `false` sent on an
update, deleting a sender's configuration, a member's create) is a profile
choice (`mock_server.domain.profile`).

The stored password is never returned: `encrypted_password` is an opaque token
drawn at random each time a password is stored, so it tells nothing about the
password and changes exactly when the password does.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import TYPE_CHECKING

from mock_server.domain._text_rules import as_stored, grouped, problem, text_problems
from mock_server.domain.profile import (
    DEFAULT_PROFILE,
    BlankCredentials,
    Failure,
    RelayCredentials,
)
from mock_server.errors import ValidationFailed

if TYPE_CHECKING:
    from mock_server.domain.ids import IdFactory
    from mock_server.domain.profile import BehaviourProfile
    from mock_server.errors import Problem

SEALED_PREFIX = "sealed:v1:"
"""How an `encryptedPassword` starts: a token, never the password."""


@dataclass(frozen=True, slots=True)
class ConfigurationDraft:
    """A configuration as the caller sent it (in a sender or on its own)."""

    host: str
    port: int
    organization_id: str
    # None means "sent as an explicit null": it falls back to the default (false),
    # just like an omitted value, so it can never skip the credential check.
    ip_relay_auth: bool | None = False
    username: str | None = None
    password: str | None = None
    default_smtp: bool = False


@dataclass(frozen=True, slots=True)
class SmtpConfiguration:
    """A stored SMTP configuration. The password is kept but never returned.

    Attributes:
        encrypted_password: The token returned as `encryptedPassword`; None
            when no password is stored.
        default_smtp: Whether it is its organization's default. Stores keep
            the default per organization and fill this in when they read.
    """

    id: str
    host: str
    port: int
    organization_id: str
    ip_relay_auth: bool
    username: str | None
    password: str | None
    encrypted_password: str | None = None
    default_smtp: bool = False


@dataclass(frozen=True, slots=True)
class ConfigurationChanges:
    """An update as the caller sent it: None is "not sent" (or sent as null)."""

    id: str
    host: str | None = None
    port: int | None = None
    username: str | None = None
    password: str | None = None
    default_smtp: bool | None = None


def seal_password(password: str | None, secrets: IdFactory) -> str | None:
    """The `encryptedPassword` of a newly stored password (None for none)."""
    if password is None:
        return None
    return SEALED_PREFIX + secrets.new_id().replace("-", "")


def build_configuration(
    draft: ConfigurationDraft,
    ids: IdFactory,
    secrets: IdFactory,
    profile: BehaviourProfile = DEFAULT_PROFILE,
    *,
    prefix: str = "",
) -> SmtpConfiguration:
    """Validate a draft and turn it into a configuration.

    Args:
        draft: The configuration as sent.
        ids: Source of the new id.
        secrets: Source of the `encryptedPassword` token.
        profile: The choices where the reference is silent.
        prefix: Where the draft sits in the input, for the problems' fields
            (`"smtpConfiguration."` inside a sender's create).

    Raises:
        ValidationFailed: with every invalid field at once.
    """
    values = normalized(draft, profile)
    problems = configuration_problems(draft, values, profile, prefix=prefix)
    if problems:
        raise ValidationFailed(grouped(tuple(problems), profile))
    return configuration_from(draft, values, ids.new_id(), secrets, profile)


def configuration_from(
    draft: ConfigurationDraft,
    values: dict[str, str | None],
    configuration_id: str,
    secrets: IdFactory,
    profile: BehaviourProfile,
) -> SmtpConfiguration:
    """The configuration a valid draft describes (`values` as `normalized`)."""
    relay = bool(draft.ip_relay_auth)
    keep = not relay or profile.relay_credentials is RelayCredentials.KEEP
    password = values["password"] if keep else None
    return SmtpConfiguration(
        id=configuration_id,
        host=values["host"] or "",
        port=draft.port,
        organization_id=draft.organization_id,
        ip_relay_auth=relay,
        username=values["username"] if keep else None,
        password=password,
        encrypted_password=seal_password(password, secrets),
    )


def apply_changes(
    current: SmtpConfiguration,
    changes: ConfigurationChanges,
    secrets: IdFactory,
    profile: BehaviourProfile = DEFAULT_PROFILE,
) -> SmtpConfiguration:
    """The configuration after an update, validated as a create would be.

    Only the fields sent change; a password not sent keeps the stored one and
    its `encryptedPassword`, a password sent gets a new token.

    Raises:
        ValidationFailed: the updated configuration breaks a rule.
    """
    merged = ConfigurationDraft(
        host=current.host if changes.host is None else changes.host,
        port=current.port if changes.port is None else changes.port,
        organization_id=current.organization_id,
        ip_relay_auth=current.ip_relay_auth,
        username=current.username if changes.username is None else changes.username,
        password=current.password if changes.password is None else changes.password,
    )
    values = normalized(merged, profile)
    problems = configuration_problems(merged, values, profile)
    if problems:
        raise ValidationFailed(grouped(tuple(problems), profile))
    updated = configuration_from(merged, values, current.id, secrets, profile)
    if changes.password is None:
        updated = replace(updated, encrypted_password=current.encrypted_password)
    return replace(updated, default_smtp=current.default_smtp)


def normalized(
    draft: ConfigurationDraft, profile: BehaviourProfile
) -> dict[str, str | None]:
    """The draft's text inputs as stored (trimmed where the profile trims them)."""
    raw: dict[str, str | None] = {
        "host": draft.host,
        "username": draft.username,
        "password": draft.password,
    }
    return as_stored(raw, profile)


def configuration_problems(
    draft: ConfigurationDraft,
    values: dict[str, str | None],
    profile: BehaviourProfile,
    *,
    prefix: str = "",
) -> list[Problem]:
    """Every broken rule of a configuration; `values` as `normalized` gives."""
    relay = bool(draft.ip_relay_auth)
    host = prefix + "host"
    problems = text_problems("host", values["host"] or "", profile, path=host)
    if not profile.port_min <= draft.port <= profile.port_max:
        problems.append(
            problem(
                profile,
                Failure.PORT_RANGE,
                prefix + "port",
                min=profile.port_min,
                max=profile.port_max,
            )
        )
    if not draft.organization_id.strip():
        problems.append(problem(profile, Failure.BLANK, prefix + "organizationId"))
    for name, as_sent in (("username", draft.username), ("password", draft.password)):
        path = prefix + name
        sent = credential_sent(as_sent, profile)
        if relay:
            if sent and profile.relay_credentials is RelayCredentials.REJECT:
                problems.append(problem(profile, Failure.RELAY_CREDENTIALS, path))
        elif not sent:
            problems.append(problem(profile, Failure.MISSING_CREDENTIAL, path))
        else:
            value = values[name] or ""
            problems += text_problems(name, value, profile, path=path, blank_ok=True)
    return problems


def credential_sent(value: str | None, profile: BehaviourProfile) -> bool:
    """Whether a username or password counts as sent."""
    # Judged on the value as sent, before any trimming. Null and "" are never
    # a credential (the guide requires both without relay); only a value of
    # spaces is the profile's choice.
    if not value:
        return False
    return bool(value.strip()) or profile.blank_credentials is BlankCredentials.ACCEPT

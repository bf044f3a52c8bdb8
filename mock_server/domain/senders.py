"""The mutation's rules in plain Python: no GraphQL, no HTTP, no storage.

Rules from the guide: both objects are created together; `ipRelayAuth` defaults
to false, and then `username` and `password` are required; an address is unique
within its organization. Every choice where the guide is silent comes from a
`BehaviourProfile` (see `mock_server.domain.profile`); the behaviour guide
(docs/guides/behaviour.md) lists the default ones.
"""

from __future__ import annotations

from dataclasses import dataclass

from mock_server.domain._text_rules import (
    as_stored,
    grouped,
    problem,
    text_problems,
    unicode_form,
)
from mock_server.domain.configurations import (
    ConfigurationDraft,
    SmtpConfiguration,
    configuration_from,
    configuration_problems,
)
from mock_server.domain.email_rules import address_is_valid
from mock_server.domain.email_syntax import is_valid_email
from mock_server.domain.ids import IdFactory
from mock_server.domain.profile import (
    DEFAULT_PROFILE,
    BehaviourProfile,
    EmailBlank,
    EmailSyntax,
    Failure,
    Uniqueness,
)
from mock_server.errors import (
    ConfigurationMissing,
    EmailTaken,
    Problem,
    ValidationFailed,
)

__all__ = [
    "ConfigurationDraft",
    "SenderDraft",
    "SmtpConfiguration",
    "SmtpCustomEmail",
    "build_sender",
    "email_is_valid",
    "email_key",
    "email_taken",
]


@dataclass(frozen=True, slots=True)
class SenderDraft:
    """The mutation's arguments as the caller sent them."""

    sender_name: str
    email_address: str
    configuration: ConfigurationDraft | None


@dataclass(frozen=True, slots=True)
class SmtpCustomEmail:
    """A stored sender with the configuration created along with it.

    Attributes:
        address_key: The address as compared for uniqueness (casefolded under
            the default profile), fixed when the sender is built.
    """

    id: str
    email_address: str
    sender_name: str
    configuration: SmtpConfiguration
    address_key: str = ""

    @property
    def uniqueness_key(self) -> tuple[str, str]:
        """Organization and address as compared for uniqueness."""
        # Records stored before address_key existed compare casefolded.
        key = self.address_key or self.email_address.casefold()
        return self.configuration.organization_id, key


def email_key(
    organization_id: str,
    email_address: str,
    profile: BehaviourProfile = DEFAULT_PROFILE,
) -> tuple[str, str]:
    """Return the key under which an address must be unique."""
    address = unicode_form(email_address, profile.uniqueness_unicode)
    if profile.uniqueness is Uniqueness.LOWER:
        return organization_id, address.lower()
    if profile.uniqueness is Uniqueness.CASEFOLD:
        return organization_id, address.casefold()
    return organization_id, address


def email_taken(
    field: str = "emailAddress", profile: BehaviourProfile = DEFAULT_PROFILE
) -> EmailTaken:
    """Return the error for a duplicate address (stores raise the default one)."""
    return EmailTaken(grouped((problem(profile, Failure.DUPLICATE, field),), profile))


def build_sender(
    draft: SenderDraft,
    ids: IdFactory,
    profile: BehaviourProfile = DEFAULT_PROFILE,
    *,
    secrets: IdFactory | None = None,
) -> SmtpCustomEmail:
    """Validate a draft and turn it into a sender with its configuration.

    Uniqueness is not checked here: it needs the store, which checks it in the
    same atomic step that saves the sender.

    Args:
        draft: The mutation's arguments.
        ids: Source of the sender's and the configuration's ids.
        profile: The choices where the guide is silent.
        secrets: Source of the `encryptedPassword` token; an unseeded one
            when omitted.

    Raises:
        ConfigurationMissing: `smtpConfiguration` was omitted.
        ValidationFailed: with every invalid field of the draft at once.
    """
    configuration = draft.configuration
    if configuration is None:
        missing = problem(profile, Failure.MISSING_CONFIGURATION, "smtpConfiguration")
        raise ConfigurationMissing((missing,))
    values = _normalized(draft, configuration, profile)
    problems = _sender_problems(values, profile)
    problems += configuration_problems(
        configuration, values, profile, prefix=_CONFIGURATION_PREFIX
    )
    if problems:
        raise ValidationFailed(grouped(tuple(problems), profile))
    email = values["emailAddress"] or ""
    sender_id = ids.new_id()
    return SmtpCustomEmail(
        id=sender_id,
        email_address=email,
        sender_name=values["senderName"] or "",
        configuration=configuration_from(
            configuration, values, ids.new_id(), secrets or IdFactory(), profile
        ),
        address_key=email_key(configuration.organization_id, email, profile)[1],
    )


_CONFIGURATION_PREFIX = "smtpConfiguration."


def _normalized(
    draft: SenderDraft, configuration: ConfigurationDraft, profile: BehaviourProfile
) -> dict[str, str | None]:
    """Each text input as stored (trimmed where the profile trims it...)."""
    raw = {
        "senderName": draft.sender_name,
        "emailAddress": draft.email_address,
        "host": configuration.host,
        "username": configuration.username,
        "password": configuration.password,
    }
    return as_stored(raw, profile)


def _sender_problems(
    values: dict[str, str | None], profile: BehaviourProfile
) -> list[Problem]:
    problems = text_problems("senderName", values["senderName"] or "", profile)
    address = values["emailAddress"] or ""
    # A blank address is an invalid one unless the profile says it is blank.
    blank_is_blank = profile.email_blank is EmailBlank.BLANK
    if address.strip() or blank_is_blank:
        text = text_problems("emailAddress", address, profile)
    else:
        text = []
    if text:
        problems += text
    elif not email_is_valid(address, profile):
        problems.append(problem(profile, Failure.INVALID_EMAIL, "emailAddress"))
    return problems


def email_is_valid(address: str, profile: BehaviourProfile = DEFAULT_PROFILE) -> bool:
    """Whether an address passes the profile's email syntax."""
    syntax = profile.email_syntax
    if syntax is EmailSyntax.OBSERVED:
        verdict = _observed_verdict(address, profile)
        return is_valid_email(address) if verdict is None else verdict
    return address_is_valid(address, syntax, profile.email_classes)


def _observed_verdict(address: str, profile: BehaviourProfile) -> bool | None:
    verdict = profile.email_verdicts.get(address)
    if verdict is not None:
        return verdict
    for key, value in profile.email_verdicts.items():
        if key.startswith("*") and address.endswith(key[1:]):
            return value
    return None

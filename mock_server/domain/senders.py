"""The mutation's rules in plain Python: no GraphQL, no HTTP, no storage.

Rules from the guide: both objects are created together; `ipRelayAuth` defaults
to false, and then `username` and `password` are required; an address is unique
within its organization. Choices where the guide is silent are marked
"(choice)" and listed in the README's behaviour table.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from mock_server.domain.email_syntax import is_valid_email
from mock_server.domain.ids import IdFactory
from mock_server.errors import (
    ConfigurationMissing,
    EmailTaken,
    Problem,
    ValidationFailed,
)

MAX_NAME_LENGTH = 255  # (choice) a common column size for a display name
MAX_HOST_LENGTH = 253  # the longest DNS name (RFC 1035)
MAX_CREDENTIAL_LENGTH = 255  # (choice)
PORT_RANGE = range(1, 65536)


@dataclass(frozen=True, slots=True)
class ConfigurationDraft:
    """The `smtpConfiguration` argument as the caller sent it."""

    host: str
    port: int
    organization_id: str
    # None means "sent as an explicit null": it falls back to the default (false),
    # just like an omitted value, so it can never skip the credential check.
    ip_relay_auth: bool | None = False
    username: str | None = None
    password: str | None = None


@dataclass(frozen=True, slots=True)
class SenderDraft:
    """The mutation's arguments as the caller sent them."""

    sender_name: str
    email_address: str
    configuration: ConfigurationDraft | None


@dataclass(frozen=True, slots=True)
class SmtpConfiguration:
    """A stored SMTP configuration. Credentials are kept but never returned."""

    id: str
    host: str
    port: int
    organization_id: str
    ip_relay_auth: bool
    username: str | None
    password: str | None


@dataclass(frozen=True, slots=True)
class SmtpCustomEmail:
    """A stored sender with the configuration created along with it."""

    id: str
    email_address: str
    sender_name: str
    configuration: SmtpConfiguration

    @property
    def uniqueness_key(self) -> tuple[str, str]:
        """Organization and address as compared for uniqueness (case-insensitive)."""
        return email_key(self.configuration.organization_id, self.email_address)


def email_key(organization_id: str, email_address: str) -> tuple[str, str]:
    """Return the key under which an address must be unique."""
    return organization_id, email_address.casefold()


def email_taken(field: str = "emailAddress") -> EmailTaken:
    """Return the error every store raises for a duplicate address."""
    return EmailTaken(
        (Problem(field, "Email address has already been taken in this organization"),)
    )


def build_sender(draft: SenderDraft, ids: IdFactory) -> SmtpCustomEmail:
    """Validate a draft and turn it into a sender with its configuration.

    Uniqueness is not checked here: it needs the store, which checks it in the
    same atomic step that saves the sender.

    Raises:
        ConfigurationMissing: `smtpConfiguration` was omitted.
        ValidationFailed: with every invalid field of the draft at once.
    """
    configuration = draft.configuration
    if configuration is None:
        raise ConfigurationMissing(
            (
                Problem(
                    "smtpConfiguration",
                    "SMTP configuration is required to create a custom email",
                ),
            )
        )
    problems = (*_sender_problems(draft), *_configuration_problems(configuration))
    if problems:
        raise ValidationFailed(problems)
    relay = bool(configuration.ip_relay_auth)
    return SmtpCustomEmail(
        id=ids.new_id(),
        email_address=draft.email_address,
        sender_name=draft.sender_name,
        configuration=SmtpConfiguration(
            id=ids.new_id(),
            host=configuration.host,
            port=configuration.port,
            organization_id=configuration.organization_id,
            ip_relay_auth=relay,
            # Relay senders authenticate by source IP: credentials sent anyway are
            # dropped rather than kept where nothing would ever use them.
            username=None if relay else configuration.username,
            password=None if relay else configuration.password,
        ),
    )


def _sender_problems(draft: SenderDraft) -> Iterator[Problem]:
    yield from _text_problems(
        "senderName", "Sender name", draft.sender_name, MAX_NAME_LENGTH
    )
    if not is_valid_email(draft.email_address):
        yield Problem("emailAddress", "Email address is not a valid email address")


def _configuration_problems(draft: ConfigurationDraft) -> Iterator[Problem]:
    yield from _text_problems(
        "smtpConfiguration.host", "Host", draft.host, MAX_HOST_LENGTH
    )
    if len(draft.host.split()) > 1:  # whitespace between non-blank parts
        yield Problem("smtpConfiguration.host", "Host must not contain spaces")
    if draft.port not in PORT_RANGE:
        yield Problem("smtpConfiguration.port", "Port must be between 1 and 65535")
    if not draft.organization_id.strip():
        yield Problem("smtpConfiguration.organizationId", "Organization can't be blank")
    if not draft.ip_relay_auth:
        for name, label, value in (
            ("username", "Username", draft.username),
            ("password", "Password", draft.password),
        ):
            if value is None or not value.strip():
                yield Problem(
                    f"smtpConfiguration.{name}",
                    f"{label} can't be blank unless IP relay authentication is on",
                )
            elif len(value) > MAX_CREDENTIAL_LENGTH:
                yield Problem(
                    f"smtpConfiguration.{name}",
                    f"{label} is too long (maximum is {MAX_CREDENTIAL_LENGTH} "
                    "characters)",
                )


def _text_problems(
    field: str, label: str, value: str, max_length: int
) -> Iterator[Problem]:
    if not value.strip():
        yield Problem(field, f"{label} can't be blank")
    elif len(value) > max_length:
        yield Problem(
            field, f"{label} is too long (maximum is {max_length} characters)"
        )

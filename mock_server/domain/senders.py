"""The mutation's rules in plain Python: no GraphQL, no HTTP, no storage.

Rules from the guide: both objects are created together; `ipRelayAuth` defaults
to false, and then `username` and `password` are required; an address is unique
within its organization. Every choice where the guide is silent comes from a
`BehaviourProfile` (see `mock_server.domain.profile`); the README's behaviour
table lists the default ones.
"""

from __future__ import annotations

from dataclasses import dataclass

from mock_server.domain.email_syntax import is_valid_email
from mock_server.domain.ids import IdFactory
from mock_server.domain.profile import (
    DEFAULT_PROFILE,
    BehaviourProfile,
    BlankCredentials,
    Characters,
    EmailSyntax,
    Failure,
    Grouping,
    RelayCredentials,
    Uniqueness,
    Whitespace,
)
from mock_server.errors import (
    ConfigurationMissing,
    EmailTaken,
    Problem,
    ValidationFailed,
)


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
    if profile.uniqueness is Uniqueness.CASE_SENSITIVE:
        return organization_id, email_address
    return organization_id, email_address.casefold()


def email_taken(
    field: str = "emailAddress", profile: BehaviourProfile = DEFAULT_PROFILE
) -> EmailTaken:
    """Return the error for a duplicate address (stores raise the default one)."""
    problem = Problem(
        field,
        profile.message(Failure.DUPLICATE, field),
        profile.code(Failure.DUPLICATE),
    )
    return EmailTaken(_grouped((problem,), profile))


def build_sender(
    draft: SenderDraft,
    ids: IdFactory,
    profile: BehaviourProfile = DEFAULT_PROFILE,
) -> SmtpCustomEmail:
    """Validate a draft and turn it into a sender with its configuration.

    Uniqueness is not checked here: it needs the store, which checks it in the
    same atomic step that saves the sender.

    Raises:
        ConfigurationMissing: `smtpConfiguration` was omitted.
        ValidationFailed: with every invalid field of the draft at once.
    """
    configuration = draft.configuration
    if configuration is None:
        failure = Failure.MISSING_CONFIGURATION
        problem = Problem(
            "smtpConfiguration",
            profile.message(failure, "smtpConfiguration"),
            profile.code(failure),
        )
        raise ConfigurationMissing((problem,))
    values = _normalized(draft, configuration, profile)
    relay = bool(configuration.ip_relay_auth)
    problems = _sender_problems(values, profile)
    problems += _configuration_problems(configuration, values, relay, profile)
    if problems:
        raise ValidationFailed(_grouped(tuple(problems), profile))
    keep_credentials = not relay or profile.relay_credentials is RelayCredentials.KEEP
    email = values["emailAddress"] or ""
    return SmtpCustomEmail(
        id=ids.new_id(),
        email_address=email,
        sender_name=values["senderName"] or "",
        configuration=SmtpConfiguration(
            id=ids.new_id(),
            host=values["host"] or "",
            port=configuration.port,
            organization_id=configuration.organization_id,
            ip_relay_auth=relay,
            username=values["username"] if keep_credentials else None,
            password=values["password"] if keep_credentials else None,
        ),
        address_key=email_key(configuration.organization_id, email, profile)[1],
    )


def _normalized(
    draft: SenderDraft, configuration: ConfigurationDraft, profile: BehaviourProfile
) -> dict[str, str | None]:
    """Each text input, trimmed where the profile trims it."""
    raw = {
        "senderName": draft.sender_name,
        "emailAddress": draft.email_address,
        "host": configuration.host,
        "username": configuration.username,
        "password": configuration.password,
    }
    for name in profile.trimmed:
        value = raw.get(name)
        if value is not None:
            raw[name] = value.strip()
    return raw


def _problem(
    profile: BehaviourProfile, failure: Failure, field: str, **limits: int
) -> Problem:
    return Problem(
        field, profile.message(failure, field, **limits), profile.code(failure)
    )


def _sender_problems(
    values: dict[str, str | None], profile: BehaviourProfile
) -> list[Problem]:
    problems = _text_problems("senderName", values["senderName"] or "", profile)
    address = values["emailAddress"] or ""
    # A blank address is an invalid one: the syntax rule speaks for it.
    text = _text_problems("emailAddress", address, profile) if address.strip() else []
    if text:
        problems += text
    elif not email_is_valid(address, profile):
        problems.append(_problem(profile, Failure.INVALID_EMAIL, "emailAddress"))
    return problems


def email_is_valid(address: str, profile: BehaviourProfile = DEFAULT_PROFILE) -> bool:
    """Whether an address passes the profile's email syntax."""
    syntax = profile.email_syntax
    if syntax is EmailSyntax.ANY:
        return bool(address.strip())
    if syntax is EmailSyntax.LENIENT:
        local, at, domain = address.rpartition("@")
        return bool(at and local and domain and "@" not in local)
    if syntax is EmailSyntax.OBSERVED:
        verdict = _observed_verdict(address, profile)
        if verdict is not None:
            return verdict
    return is_valid_email(address)


def _observed_verdict(address: str, profile: BehaviourProfile) -> bool | None:
    verdict = profile.email_verdicts.get(address)
    if verdict is not None:
        return verdict
    for key, value in profile.email_verdicts.items():
        if key.startswith("*") and address.endswith(key[1:]):
            return value
    return None


_USERNAME_PATH = "smtpConfiguration.username"
_PASSWORD_PATH = "smtpConfiguration.password"


def _configuration_problems(
    draft: ConfigurationDraft,
    values: dict[str, str | None],
    relay: bool,
    profile: BehaviourProfile,
) -> list[Problem]:
    host = "smtpConfiguration.host"
    problems = _text_problems("host", values["host"] or "", profile, path=host)
    if not profile.port_min <= draft.port <= profile.port_max:
        problems.append(
            _problem(
                profile,
                Failure.PORT_RANGE,
                "smtpConfiguration.port",
                min=profile.port_min,
                max=profile.port_max,
            )
        )
    if not draft.organization_id.strip():
        problems.append(
            _problem(profile, Failure.BLANK, "smtpConfiguration.organizationId")
        )
    for name, path, as_sent in (
        ("username", _USERNAME_PATH, draft.username),
        ("password", _PASSWORD_PATH, draft.password),
    ):
        sent = _credential_sent(as_sent, profile)
        if relay:
            if sent and profile.relay_credentials is RelayCredentials.REJECT:
                problems.append(_problem(profile, Failure.RELAY_CREDENTIALS, path))
        elif not sent:
            problems.append(_problem(profile, Failure.MISSING_CREDENTIAL, path))
        else:
            value = values[name] or ""
            problems += _text_problems(name, value, profile, path=path, blank_ok=True)
    return problems


def _credential_sent(value: str | None, profile: BehaviourProfile) -> bool:
    # Judged on the value as sent, before any trimming. Null and "" are never
    # a credential (the guide requires both without relay); only a value of
    # spaces is the profile's choice.
    if not value:
        return False
    return bool(value.strip()) or profile.blank_credentials is BlankCredentials.ACCEPT


def _text_problems(
    name: str,
    value: str,
    profile: BehaviourProfile,
    *,
    path: str | None = None,
    blank_ok: bool = False,
) -> list[Problem]:
    # A list, not a generator: on every create, and empty nearly always.
    field = path or name
    rule = profile.rule(name)
    stripped = value.strip()
    if not stripped and not blank_ok:
        return [_problem(profile, Failure.BLANK, field)]
    problems = []
    if rule.whitespace is Whitespace.REJECT and value != stripped:
        problems.append(_problem(profile, Failure.WHITESPACE, field))
    if rule.max_length is not None and len(value) > rule.max_length:
        problems.append(_problem(profile, Failure.TOO_LONG, field, max=rule.max_length))
    if rule.non_ascii is Characters.REJECT and not value.isascii():
        problems.append(_problem(profile, Failure.NON_ASCII, field))
    if rule.inner_spaces and len(value.split()) > 1:
        problems.append(_problem(profile, Failure.INNER_SPACES, field))
    return problems


def _grouped(
    problems: tuple[Problem, ...], profile: BehaviourProfile
) -> tuple[Problem, ...]:
    if profile.grouping is Grouping.PER_PROBLEM or len(problems) < 2:
        return problems
    first = problems[0]
    message = profile.combined_separator.join(p.message for p in problems)
    return (Problem(first.field, message, first.code),)

"""The mock's choices where the guide is silent, as data: a behaviour profile.

The guide documents five rules (both objects created together, `port`
returned as a string, `ipRelayAuth` defaulting to false, credentials required
without relay, an address unique within its organization). Everything else a
frontend meets (is `Acme@x.com` the same address as `acme@x.com`? the longest
sender name? the error messages?) is the real API's own choice. A profile holds
those choices; `DEFAULT_PROFILE` is what the mock has always done, and
`smtp-contract calibrate` learns a profile from a live API. The documented
rules are not in it: no profile can switch them off.

Error messages are templates: `{label}` is the field's name in words
("Sender name"), `{field}` its own name (`password`), `{path}` its dotted path
in the input (`smtpConfiguration.password`), `{max}` and `{min}` the limits.
`errors.overrides` holds exact messages per failure class and field
(`"blank.senderName"`), for an API whose wording follows no template. How the
entries name their fields (`field_key`, `field_names`) and what a request
without a token gets (`auth_body`) are choices too.

The limits of the whole API (`max_complexity`, `max_depth`) are numbers the
reference documents ("Limits of the whole API": complexity 50,000, depth 15);
they are in the profile, not fixed, so that calibration can learn the values
a live API actually enforces.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from types import MappingProxyType
from typing import TYPE_CHECKING

from mock_server.domain.profile_choices import (
    AuthBody,
    BlankCredentials,
    Case,
    Characters,
    DeleteInUse,
    EmailBlank,
    EmailSyntax,
    Failure,
    FieldKey,
    FieldNames,
    FirstDefault,
    Grouping,
    IdCase,
    MemberCreate,
    RelayCredentials,
    UnicodeForm,
    Uniqueness,
    UnsetDefault,
    Verdict,
    Whitespace,
)

if TYPE_CHECKING:
    from collections.abc import Mapping

    from mock_server.domain.email_rules import EmailClass

__all__ = [
    "DEFAULT_PROFILE",
    "LABELS",
    "MAX_COMPLEXITY",
    "MAX_DEPTH",
    "PORT_LIMITS",
    "PROFILE_VERSION",
    "TEXT_FIELDS",
    "AuthBody",
    "BehaviourProfile",
    "BlankCredentials",
    "Case",
    "Characters",
    "DeleteInUse",
    "EmailBlank",
    "EmailSyntax",
    "ErrorRule",
    "Failure",
    "FieldKey",
    "FieldNames",
    "FirstDefault",
    "Grouping",
    "IdCase",
    "MemberCreate",
    "RelayCredentials",
    "TextRule",
    "UnicodeForm",
    "Uniqueness",
    "UnsetDefault",
    "Verdict",
    "Whitespace",
]

PROFILE_VERSION = 1

MAX_COMPLEXITY = 50_000
"""The documented query complexity limit (see `mock_server.graphql.complexity`)."""

MAX_DEPTH = 15
"""The documented query depth limit (see `mock_server.graphql.depth`)."""

PORT_LIMITS = (-(2**31), 2**31 - 1)
"""A port range must fit GraphQL's Int (32 bits, signed)."""

TEXT_FIELDS = ("senderName", "emailAddress", "host", "username", "password")
"""The text inputs a profile has a rule for."""

LABELS = MappingProxyType(
    {
        "senderName": "Sender name",
        "emailAddress": "Email address",
        "host": "Host",
        "username": "Username",
        "password": "Password",
        "port": "Port",
        "organizationId": "Organization",
        "smtpConfiguration": "SMTP configuration",
        "defaultSmtp": "Default SMTP",
        "id": "Id",
    }
)


@dataclass(frozen=True, slots=True)
class TextRule:
    """The rule of one text input.

    Attributes:
        whitespace: Surrounding whitespace kept, trimmed or rejected.
        max_length: Longest accepted value, or None for no limit.
        non_ascii: Characters outside ASCII accepted or rejected.
        inner_spaces: Whether whitespace between non-blank parts is refused.
        case: Whether the value is stored (and returned) lower-cased.
        unicode: The Unicode normalization the value is stored in.
    """

    whitespace: Whitespace = Whitespace.KEEP
    max_length: int | None = None
    non_ascii: Characters = Characters.ACCEPT
    inner_spaces: bool = False
    case: Case = Case.KEEP
    unicode: UnicodeForm = UnicodeForm.NONE

    @property
    def normalizes(self) -> bool:
        """Whether the stored value may differ from the one sent."""
        return (
            self.whitespace is Whitespace.TRIM
            or self.case is Case.LOWER
            or self.unicode is not UnicodeForm.NONE
        )


# Looked up on every create: one shared instance, not a new one per lookup.
_ANY_TEXT = TextRule()


@dataclass(frozen=True, slots=True)
class ErrorRule:
    """The code and message template of one class of failure."""

    code: str
    message: str


def _default_fields() -> Mapping[str, TextRule]:
    return MappingProxyType(
        {
            # 255: a common column size; 253: the longest DNS name (RFC 1035).
            "senderName": TextRule(max_length=255),
            "emailAddress": TextRule(),
            "host": TextRule(max_length=253, inner_spaces=True),
            "username": TextRule(max_length=255),
            "password": TextRule(max_length=255),
        }
    )


def _default_errors() -> Mapping[Failure, ErrorRule]:
    invalid = "RECORD_INVALID"
    return MappingProxyType(
        {
            Failure.BLANK: ErrorRule(invalid, "{label} can't be blank"),
            Failure.INVALID_EMAIL: ErrorRule(
                invalid, "Email address is not a valid email address"
            ),
            Failure.DUPLICATE: ErrorRule(
                invalid, "Email address has already been taken in this organization"
            ),
            Failure.MISSING_CREDENTIAL: ErrorRule(
                invalid, "{label} can't be blank unless IP relay authentication is on"
            ),
            Failure.PORT_RANGE: ErrorRule(
                invalid, "Port must be between {min} and {max}"
            ),
            Failure.TOO_LONG: ErrorRule(
                invalid, "{label} is too long (maximum is {max} characters)"
            ),
            Failure.MISSING_CONFIGURATION: ErrorRule(
                "INVALID_INPUT",
                "SMTP configuration is required to create a custom email",
            ),
            Failure.WHITESPACE: ErrorRule(
                invalid, "{label} must not start or end with spaces"
            ),
            Failure.NON_ASCII: ErrorRule(
                invalid, "{label} must contain only ASCII characters"
            ),
            Failure.INNER_SPACES: ErrorRule(invalid, "{label} must not contain spaces"),
            Failure.RELAY_CREDENTIALS: ErrorRule(
                invalid, "{label} must be empty when IP relay authentication is on"
            ),
            # RESOURCE_NOT_FOUND is a code the reference names; the permission
            # code is the mock's own (the reference names none).
            Failure.NOT_FOUND: ErrorRule(
                "RESOURCE_NOT_FOUND", "SMTP configuration not found"
            ),
            Failure.PERMISSION: ErrorRule(
                "PERMISSION_DENIED",
                "You need manage access to this organization's SMTP configurations",
            ),
            Failure.IN_USE: ErrorRule(
                invalid, "SMTP configuration is used by a custom email"
            ),
            # Sent only under `auth_body = "graphql"` (the mock's own 401
            # body is `{"errors": [{"title", "detail"}]}`).
            Failure.UNAUTHENTICATED: ErrorRule(
                "UNAUTHENTICATED",
                "A valid token is required: send 'Authorization: Bearer <token>'",
            ),
        }
    )


@dataclass(frozen=True, slots=True)
class BehaviourProfile:
    """Every choice the mock makes where the guide is silent.

    Attributes:
        uniqueness: How addresses are compared within an organization.
        uniqueness_unicode: The Unicode form addresses are compared in.
        email_syntax: The family of rules that says which addresses are valid.
        email_classes: Where the target departs from its family: the verdict
            on each class of address (`mock_server.domain.email_rules`).
        email_verdicts: Older profiles (`observed` syntax): the verdict on
            each probed address; a key starting with `*` matches every address
            ending with the rest. Other addresses fall back to `strict`.
        email_blank: Whether a blank address is invalid or blank.
        fields: The rule of each text input (see `TEXT_FIELDS`).
        port_min: Lowest accepted port.
        port_max: Highest accepted port.
        relay_credentials: What happens to credentials sent with relay on.
        blank_credentials: Whether a credential of only whitespace counts as
            missing or as a value.
        errors: Code and message template per class of failure.
        overrides: Exact messages by `"<failure>.<field>"`.
        grouping: One error entry per problem, or one combined entry.
        combined_separator: Joins messages in a combined entry.
        field_key: How an entry's `extensions` name its field(s).
        field_names: Whether a field is named by its path or its own name.
        auth_body: The body of the 401 a request without a token gets.
        request_error_status: The HTTP status of a request error (a document
            that does not parse or validate, variables that do not fit)
            answered as `application/json`: 200 as the GraphQL-over-HTTP spec
            recommends, or a 4xx (Apollo Server's 400).
        first_default: Whether an organization's first configuration is its
            default even when created with `defaultSmtp: false`.
        unset_default: What `defaultSmtp: false` on an update does.
        delete_in_use: What deleting a sender's configuration does.
        member_create: Whether a member's create is refused.
        id_version: UUID version of ids (4 or 7).
        id_case: Case of the ids' hexadecimal digits.
        max_complexity: Costliest operation served (documented: 50,000).
        max_depth: Deepest nesting of fields served (documented: 15).
        evidence: Not behaviour: for each calibrated choice, the request that
            showed it (a `curl`) and what was observed.
        not_calibrated: Not behaviour: choices calibration could not pin,
            with the reason (they keep their default).
        held_out: Not behaviour: the agreement calibration measured on
            inputs it never probed (`agreement`, `differ`, `seed`).
    """

    uniqueness: Uniqueness = Uniqueness.CASEFOLD
    uniqueness_unicode: UnicodeForm = UnicodeForm.NONE
    email_syntax: EmailSyntax = EmailSyntax.STRICT
    email_classes: Mapping[EmailClass, Verdict] = field(
        default_factory=lambda: MappingProxyType({})
    )
    email_verdicts: Mapping[str, bool] = field(
        default_factory=lambda: MappingProxyType({})
    )
    email_blank: EmailBlank = EmailBlank.INVALID
    fields: Mapping[str, TextRule] = field(default_factory=_default_fields)
    port_min: int = 1
    port_max: int = 65535
    relay_credentials: RelayCredentials = RelayCredentials.DROP
    blank_credentials: BlankCredentials = BlankCredentials.MISSING
    errors: Mapping[Failure, ErrorRule] = field(default_factory=_default_errors)
    overrides: Mapping[str, str] = field(default_factory=lambda: MappingProxyType({}))
    grouping: Grouping = Grouping.PER_PROBLEM
    combined_separator: str = "; "
    field_key: FieldKey = FieldKey.FIELD
    field_names: FieldNames = FieldNames.PATH
    auth_body: AuthBody = AuthBody.MOCK
    request_error_status: int = 200
    first_default: FirstDefault = FirstDefault.ALWAYS
    unset_default: UnsetDefault = UnsetDefault.IGNORE
    delete_in_use: DeleteInUse = DeleteInUse.CASCADE
    member_create: MemberCreate = MemberCreate.REFUSE
    id_version: int = 4
    id_case: IdCase = IdCase.LOWER
    max_complexity: int = MAX_COMPLEXITY
    max_depth: int = MAX_DEPTH
    evidence: Mapping[str, Mapping[str, str]] = field(
        default_factory=lambda: MappingProxyType({})
    )
    not_calibrated: Mapping[str, str] = field(
        default_factory=lambda: MappingProxyType({})
    )
    held_out: Mapping[str, str] = field(default_factory=lambda: MappingProxyType({}))
    normalizing: tuple[str, ...] = field(
        init=False, repr=False, compare=False, default=()
    )
    """Derived from `fields`: the inputs stored otherwise than sent (trimmed...)."""

    def __post_init__(self) -> None:
        # Read on every create; worked out once, when the profile is made.
        normalizing = tuple(
            name for name, rule in self.fields.items() if rule.normalizes
        )
        object.__setattr__(self, "normalizing", normalizing)

    def rule(self, name: str) -> TextRule:
        """The rule of one text input."""
        return self.fields.get(name, _ANY_TEXT)

    def message(self, failure: Failure, field_name: str, **limits: int) -> str:
        """The message of one failure of one field, limits filled in."""
        leaf = field_name.rsplit(".", 1)[-1]
        override = self.overrides.get(f"{failure}.{leaf}")
        if override is not None:
            return override
        template = self.errors[failure].message
        return template.format_map(
            _Placeholders(
                label=LABELS.get(leaf, leaf), field=leaf, path=field_name, **limits
            )
        )

    def code(self, failure: Failure) -> str:
        """The `extensions.code` of one failure."""
        return self.errors[failure].code


class _Placeholders(dict[str, object]):
    # A placeholder with no value stays as written instead of failing.
    def __missing__(self, key: str) -> str:
        return "{" + key + "}"


DEFAULT_PROFILE = BehaviourProfile()
"""What the mock does without `--profile`: its long-standing choices."""

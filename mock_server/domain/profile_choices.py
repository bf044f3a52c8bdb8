"""The named candidates of each choice a behaviour profile makes.

Each enum is one choice of `mock_server.domain.profile.BehaviourProfile`; its
values are what a profile file may say (`mock_server.domain.profile_files`).
Values that older profile files used stay readable as aliases (the reader maps
`case-insensitive` and `case-sensitive` to `casefold` and `none`).
"""

from __future__ import annotations

from enum import StrEnum


class Uniqueness(StrEnum):
    """How two addresses are compared for uniqueness in an organization.

    `STRASSE@x` and `straße@x` tell `lower` from `casefold`: `str.lower`
    keeps the `ß`, `str.casefold` makes it `ss`.
    """

    NONE = "none"  # as sent: `Acme@x` and `acme@x` are two addresses
    LOWER = "lower"  # str.lower()
    CASEFOLD = "casefold"  # str.casefold()
    CASE_SENSITIVE = "none"  # the name older code and files use
    CASE_INSENSITIVE = "casefold"  # the name older code and files use


class UnicodeForm(StrEnum):
    """A Unicode normalization form applied to a value (or none)."""

    NONE = "none"
    NFC = "nfc"  # `é` and `e` + combining accent are the same
    NFKC = "nfkc"  # also compatibility forms: `²` is `2`


class Case(StrEnum):
    """Whether a text value is stored (and returned) lower-cased."""

    KEEP = "keep"
    LOWER = "lower"


class EmailSyntax(StrEnum):
    """The family of rules that says which addresses are valid.

    A profile's `email_classes` then lists where the target departs from its
    family, one class of address at a time (`mock_server.domain.email_rules`).
    """

    STRICT = "strict"  # email-validator's syntax rules (no DNS)
    HTML5 = "html5"  # the WHATWG pattern of <input type=email>
    LENIENT = "lenient"  # one @ with something on each side
    ANY = "any"  # any value that is not blank
    OBSERVED = "observed"  # older files: per-address verdicts, strict for the rest


class Verdict(StrEnum):
    """What a target does with one class of address."""

    ACCEPT = "accept"
    REFUSE = "refuse"


class EmailBlank(StrEnum):
    """Which failure a blank address is."""

    INVALID = "invalid"  # the invalid-address message
    BLANK = "blank"  # the blank message, as for other fields


class Whitespace(StrEnum):
    """What happens to spaces around a text value."""

    KEEP = "keep"
    TRIM = "trim"
    REJECT = "reject"


class Characters(StrEnum):
    """Whether a text value may hold characters outside ASCII."""

    ACCEPT = "accept"
    REJECT = "reject"


class RelayCredentials(StrEnum):
    """What happens to credentials sent with `ipRelayAuth: true`."""

    DROP = "drop"  # accepted, not stored
    KEEP = "keep"  # accepted and stored (never returned)
    REJECT = "reject"  # refused


class BlankCredentials(StrEnum):
    """What a `username` or `password` made only of whitespace is, without relay.

    An empty string or null is always a missing credential (the guide requires
    both without relay); only a value of spaces is a choice.
    """

    MISSING = "missing"  # refused as a missing credential
    ACCEPT = "accept"  # a value: the field's rule applies (trim, spaces, length)


class Grouping(StrEnum):
    """How several problems of one request are reported."""

    PER_PROBLEM = "per-problem"  # one error entry per problem
    COMBINED = "combined"  # one entry, messages joined


class FieldKey(StrEnum):
    """How an error entry's `extensions` name the input field(s) at fault."""

    FIELD = "field"  # `"field": "smtpConfiguration.host"`
    FIELDS = "fields"  # `"fields": [...]`, every field of the entry
    NONE = "none"  # no field named


class FieldNames(StrEnum):
    """How a field is named in `extensions`."""

    PATH = "path"  # its dotted path in the input: `smtpConfiguration.host`
    LEAF = "leaf"  # its own name: `host`


class AuthBody(StrEnum):
    """The body of the 401 a request without an accepted token gets."""

    MOCK = "mock"  # the mock's own: `{"errors": [{"title", "detail"}]}`
    GRAPHQL = "graphql"  # one error entry: `errors.unauthenticated`'s code, message


class IdCase(StrEnum):
    """The case of the hexadecimal digits of ids."""

    LOWER = "lower"
    UPPER = "upper"


class FirstDefault(StrEnum):
    """Whether an organization's first configuration is its default.

    The help pages say the first sender address added becomes the default;
    they do not say what `createSmtpConfiguration(defaultSmtp: false)` does
    for an organization that has no default yet.
    """

    ALWAYS = "always"  # the first one is the default, whatever was sent
    AS_SENT = "as-sent"  # `defaultSmtp: false` is honoured even then


class UnsetDefault(StrEnum):
    """What `updateSmtpConfiguration(defaultSmtp: false)` does to the default."""

    IGNORE = "ignore"  # nothing: only `true` moves the default
    CLEAR = "clear"  # the organization is left without a default


class DeleteInUse(StrEnum):
    """What deleting the configuration of a sender does (not documented)."""

    CASCADE = "cascade"  # the sender is deleted with it
    REFUSE = "refuse"  # refused while a sender uses it


class MemberCreate(StrEnum):
    """What a member's (not an admin's) create gets.

    The reference documents a permission error for a member's update and
    delete, and an empty list; the create guide only asks for "the necessary
    permissions".
    """

    REFUSE = "refuse"  # a permission error, as for update and delete
    ALLOW = "allow"


class Failure(StrEnum):
    """The classes of failure whose code and message a profile sets."""

    BLANK = "blank"
    INVALID_EMAIL = "invalid_email"
    DUPLICATE = "duplicate"
    MISSING_CREDENTIAL = "missing_credential"
    PORT_RANGE = "port_range"
    TOO_LONG = "too_long"
    MISSING_CONFIGURATION = "missing_configuration"
    WHITESPACE = "whitespace"
    NON_ASCII = "non_ascii"
    INNER_SPACES = "inner_spaces"
    RELAY_CREDENTIALS = "relay_credentials"
    NOT_FOUND = "not_found"
    PERMISSION = "permission"
    IN_USE = "in_use"
    UNAUTHENTICATED = "unauthenticated"

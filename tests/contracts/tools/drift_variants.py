"""Single-change variants of schema.graphql, for drift and its oracle (issue #19).

Each variant is an (old, new) pair of SDL texts that differ in one change; the
old side is schema.graphql itself unless the change needs something to change
(an enum, a union, a directive), then both sides carry that addition.
"""

from __future__ import annotations

from dataclasses import dataclass

from contracts._mock import packaged_schema_path

CONTRACT_SDL = packaged_schema_path().read_text(encoding="utf-8")

_CI = "CreateSmtpCustomEmailWithConfigurationInput"
_SI = "SmtpConfigurationInput"
_SI_DEF = "input SmtpConfigurationInput"
_SC_DEF = "type SmtpConfiguration"
_SENDER_DEF = "type SmtpCustomEmail"


def changed(
    old: str, new: str, sdl: str = CONTRACT_SDL, *, within: str | None = None
) -> str:
    """`sdl` with the one occurrence of `old` replaced.

    `within` names a definition (`"input SmtpConfigurationInput"`) when `old`
    is only unique inside it: the family's inputs repeat the sender's fields.
    """
    if within is None:
        assert sdl.count(old) == 1, old
        return sdl.replace(old, new, 1)
    start = sdl.index(within + " {")
    end = sdl.index("\n}", start) + 2
    block = sdl[start:end]
    assert block.count(old) == 1, (within, old)
    return sdl[:start] + block.replace(old, new, 1) + sdl[end:]


@dataclass(frozen=True)
class Variant:
    id: str
    old: str
    new: str


def _variant(
    id_: str,
    old: str,
    new: str,
    *,
    base: str = CONTRACT_SDL,
    within: str | None = None,
) -> Variant:
    return Variant(id_, base, changed(old, new, base, within=within))


def _added(id_: str, extra: str, *, base: str = CONTRACT_SDL) -> Variant:
    return Variant(id_, base, base + extra)


_WITH_ENUM = (
    changed(
        "  password: String\n}",
        "  password: String\n  tlsMode: TlsMode\n}",
        within=_SI_DEF,
    )
    + "\nenum TlsMode {\n  NONE\n  STARTTLS\n}\n"
)
_WITH_DIRECTIVE = (
    CONTRACT_SDL
    + "\ndirective @internal on FIELD_DEFINITION | INPUT_FIELD_DEFINITION\n"
)
_WITH_UNION = CONTRACT_SDL + "\nunion Sender = SmtpCustomEmail\n"
_WITH_INTERFACE = CONTRACT_SDL + "\ninterface Node {\n  id: ID!\n}\n"
_WITH_ARG_DEFAULT = changed(
    "    defaultSmtp: Boolean\n  ): SmtpConfigurationConnection",
    "    defaultSmtp: Boolean\n    first: Int = 10\n  ): SmtpConfigurationConnection",
)
_WITH_TYPE = CONTRACT_SDL + "\ntype Audit {\n  id: ID!\n}\n"
_IP_RELAY = "  ipRelayAuth: Boolean = false\n"
_SENDER_IN = '  senderName: String!\n  "The sender'
_MUT_IN = "input: CreateSmtpCustomEmailWithConfigurationInput!"
_PAYLOAD = "  ): CreateSmtpCustomEmailWithConfigurationPayload"
_PORT_OUT = "  port: String!\n  organizationId"
_RELAY_OUT = "  ipRelayAuth: Boolean!\n"

VARIANTS: tuple[Variant, ...] = (
    # Defaults
    _variant(
        "relay-default-true",
        _IP_RELAY,
        "  ipRelayAuth: Boolean = true\n",
        within=_SI_DEF,
    ),
    _variant(
        "relay-default-removed", _IP_RELAY, "  ipRelayAuth: Boolean\n", within=_SI_DEF
    ),
    _variant(
        "relay-input-non-null",
        _IP_RELAY,
        "  ipRelayAuth: Boolean! = false\n",
        within=_SI_DEF,
    ),
    _variant(
        "argument-default-changed",
        "first: Int = 10",
        "first: Int = 20",
        base=_WITH_ARG_DEFAULT,
    ),
    # Nullability of inputs, both ways
    _variant("sender-name-optional", _SENDER_IN, '  senderName: String\n  "The sender'),
    _variant(
        "email-address-optional",
        '  emailAddress: String!\n  "SMTP',
        '  emailAddress: String\n  "SMTP',
    ),
    _variant(
        "host-input-optional",
        '  host: String!\n  "SMTP server port',
        '  host: String\n  "SMTP server port',
        within=_SI_DEF,
    ),
    _variant("port-input-optional", "  port: Int!\n", "  port: Int\n", within=_SI_DEF),
    _variant(
        "organization-input-optional",
        '  organizationId: ID!\n  "IP relay',
        '  organizationId: ID\n  "IP relay',
    ),
    _variant("mutation-input-optional", _MUT_IN, _MUT_IN[:-1]),
    _variant(
        "username-input-required",
        "  username: String\n",
        "  username: String!\n",
        within=_SI_DEF,
    ),
    # Input types changed
    _variant(
        "port-input-string", "  port: Int!\n", "  port: String!\n", within=_SI_DEF
    ),
    _variant(
        "organization-input-string",
        '  organizationId: ID!\n  "IP relay',
        '  organizationId: String!\n  "IP relay',
    ),
    # Input fields and arguments added or removed
    _variant(
        "password-input-removed",
        '  "Required when `ipRelayAuth` is false. Never returned."\n'
        "  password: String\n}",
        "}",
        within=_SI_DEF,
    ),
    _variant(
        "client-mutation-id-input-removed",
        f'input {_CI} {{\n  "Relay convention of the real API: echoed unchanged '
        'in the payload."\n  clientMutationId: String\n',
        f"input {_CI} {{\n",
    ),
    _variant(
        "required-input-field-added",
        "  password: String\n}",
        "  password: String\n  tlsMode: String!\n}",
        within=_SI_DEF,
    ),
    _variant(
        "optional-input-field-added",
        "  password: String\n}",
        "  password: String\n  tlsMode: String\n}",
        within=_SI_DEF,
    ),
    _variant("optional-argument-added", _MUT_IN, _MUT_IN + ", dryRun: Boolean"),
    _variant("required-argument-added", _MUT_IN, _MUT_IN + ", dryRun: Boolean!"),
    # Output fields: nullability both ways, types, added, removed
    _variant("mutation-payload-non-null", _PAYLOAD + "\n", _PAYLOAD + "!\n"),
    _variant(
        "sender-configuration-non-null",
        "  smtpConfiguration: SmtpConfiguration\n",
        "  smtpConfiguration: SmtpConfiguration!\n",
        within=_SENDER_DEF,
    ),
    _variant(
        "sender-name-output-nullable",
        "  senderName: String!\n  smtpConfiguration",
        "  senderName: String\n  smtpConfiguration",
    ),
    _variant(
        "relay-output-nullable", _RELAY_OUT, "  ipRelayAuth: Boolean\n", within=_SC_DEF
    ),
    _variant("port-output-int", _PORT_OUT, "  port: Int!\n  organizationId"),
    _variant(
        "sender-id-output-string",
        "type SmtpCustomEmail {\n  id: ID!",
        "type SmtpCustomEmail {\n  id: String!",
    ),
    _variant("payload-sender-removed", "  smtpCustomEmail: SmtpCustomEmail\n}", "}"),
    _variant(
        "payload-client-mutation-id-removed",
        "type CreateSmtpCustomEmailWithConfigurationPayload {\n  clientMutationId: "
        "String\n",
        "type CreateSmtpCustomEmailWithConfigurationPayload {\n",
    ),
    _variant(
        "output-field-added",
        _RELAY_OUT,
        "  ipRelayAuth: Boolean!\n  tls: Boolean\n",
        within=_SC_DEF,
    ),
    # Types
    _added("type-added", "\ntype Audit {\n  id: ID!\n}\n"),
    _variant("type-removed", "\ntype Audit {\n  id: ID!\n}\n", "\n", base=_WITH_TYPE),
    _variant(
        "type-kind-changed", "type SmtpConfiguration {", "interface SmtpConfiguration {"
    ),
    _variant(
        "interface-added",
        "type SmtpCustomEmail {",
        "type SmtpCustomEmail implements Node {",
        base=_WITH_INTERFACE,
    ),
    _variant(
        "union-member-added",
        "union Sender = SmtpCustomEmail",
        "union Sender = SmtpCustomEmail | SmtpConfiguration",
        base=_WITH_UNION,
    ),
    _variant(
        "union-member-removed",
        "union Sender = SmtpCustomEmail",
        "union Sender = SmtpConfiguration",
        base=_WITH_UNION,
    ),
    # Enum values
    _variant(
        "enum-type-and-field-added",
        "  password: String\n}",
        "  password: String\n  tlsMode: TlsMode\n}\n\nenum TlsMode {\n  NONE\n}",
        within=_SI_DEF,
    ),
    _variant(
        "enum-value-added", "  STARTTLS\n", "  STARTTLS\n  TLS\n", base=_WITH_ENUM
    ),
    _variant("enum-value-removed", "  NONE\n", "", base=_WITH_ENUM),
    _variant(
        "enum-value-deprecated",
        "  NONE\n",
        '  NONE @deprecated(reason: "use TLS")\n',
        base=_WITH_ENUM,
    ),
    # Descriptions and deprecations
    _variant(
        "type-description-changed",
        '"SMTP settings of a sender."',
        '"SMTP settings of one sender."',
    ),
    _variant(
        "input-field-description-changed",
        '"SMTP server host."',
        '"The SMTP server\'s host name."',
        within=_SI_DEF,
    ),
    _variant(
        "output-field-description-added",
        "type SmtpCustomEmail {\n  id: ID!",
        'type SmtpCustomEmail {\n  "The sender\'s id."\n  id: ID!',
    ),
    _variant(
        "argument-description-added",
        "    " + _MUT_IN,
        '    "The sender to create."\n    ' + _MUT_IN,
    ),
    _variant(
        "output-field-deprecated",
        "  senderName: String!\n  smtpConfiguration",
        '  senderName: String! @deprecated(reason: "use displayName")\n'
        "  smtpConfiguration",
    ),
    _variant(
        "input-field-deprecated",
        "  username: String\n",
        '  username: String @deprecated(reason: "use apiKey")\n',
        within=_SI_DEF,
    ),
    _variant("mutation-deprecated", _PAYLOAD + "\n", _PAYLOAD + " @deprecated\n"),
    # Directives: definitions and uses
    _added("directive-added", "\ndirective @internal on FIELD_DEFINITION\n"),
    _variant(
        "directive-location-removed",
        "@internal on FIELD_DEFINITION | INPUT_FIELD_DEFINITION",
        "@internal on FIELD_DEFINITION",
        base=_WITH_DIRECTIVE,
    ),
    _variant(
        "directive-argument-added",
        "@internal on",
        "@internal(team: String) on",
        base=_WITH_DIRECTIVE,
    ),
    _variant(
        "directive-used-on-output-field",
        '  host: String!\n  "The port',
        '  host: String! @internal\n  "The port',
        base=_WITH_DIRECTIVE,
    ),
    _variant(
        "directive-used-on-input-field",
        '  host: String!\n  "SMTP server port',
        '  host: String! @internal\n  "SMTP server port',
        base=_WITH_DIRECTIVE,
        within=_SI_DEF,
    ),
)

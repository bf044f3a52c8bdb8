"""Records as JSON, for stores that keep text, and as flat tuples, for memory."""

from __future__ import annotations

import json
from dataclasses import asdict
from typing import Any

from mock_server.domain.configurations import SmtpConfiguration
from mock_server.domain.senders import SmtpCustomEmail


def dumps(sender: SmtpCustomEmail) -> str:
    """Encode a sender and its configuration."""
    return json.dumps(asdict(sender), separators=(",", ":"))


def loads(text: str | bytes) -> SmtpCustomEmail:
    """Decode what `dumps` wrote."""
    data: dict[str, Any] = json.loads(text)
    return SmtpCustomEmail(
        id=data["id"],
        email_address=data["email_address"],
        sender_name=data["sender_name"],
        configuration=_configuration(data["configuration"]),
        address_key=data.get("address_key", ""),
    )


def dumps_configuration(configuration: SmtpConfiguration) -> str:
    """Encode a configuration of no sender."""
    return json.dumps(asdict(configuration), separators=(",", ":"))


def loads_configuration(text: str | bytes) -> SmtpConfiguration:
    """Decode what `dumps_configuration` wrote."""
    return _configuration(json.loads(text))


def _configuration(data: dict[str, Any]) -> SmtpConfiguration:
    # The default flag is the store's, never the record's (see base.Store);
    # records written before encrypted_password existed have none.
    data.pop("default_smtp", None)
    return SmtpConfiguration(**data)


Row = tuple[
    str, str, str, str, str, int, str, bool, str | None, str | None, str, str | None
]
"""A sender and its configuration, flat: id, email_address, sender_name, then
the configuration's id, host, port, organization_id, ip_relay_auth, username
and password, then the sender's address_key, then the configuration's
encrypted_password."""

ConfigurationRow = tuple[str, str, int, str, bool, str | None, str | None, str | None]
"""A configuration, flat: id, host, port, organization_id, ip_relay_auth,
username, password, encrypted_password."""


def to_row(sender: SmtpCustomEmail) -> Row:
    """Flatten a sender into a tuple of strings, numbers and None.

    Such a tuple holds nothing the garbage collector must follow, so CPython
    stops tracking it: many rows add nothing to the pauses of full collections.
    """
    configuration = sender.configuration
    return (
        sender.id,
        sender.email_address,
        sender.sender_name,
        configuration.id,
        configuration.host,
        configuration.port,
        configuration.organization_id,
        configuration.ip_relay_auth,
        configuration.username,
        configuration.password,
        sender.address_key,
        configuration.encrypted_password,
    )


def from_row(row: Row, *, default_smtp: bool = False) -> SmtpCustomEmail:
    """Rebuild what `to_row` flattened."""
    return SmtpCustomEmail(
        id=row[0],
        email_address=row[1],
        sender_name=row[2],
        configuration=SmtpConfiguration(*row[3:10], row[11], default_smtp),
        address_key=row[10],
    )


def to_configuration_row(configuration: SmtpConfiguration) -> ConfigurationRow:
    """Flatten a configuration (its default flag is not part of it)."""
    return (
        configuration.id,
        configuration.host,
        configuration.port,
        configuration.organization_id,
        configuration.ip_relay_auth,
        configuration.username,
        configuration.password,
        configuration.encrypted_password,
    )


def from_configuration_row(
    row: ConfigurationRow, *, default_smtp: bool = False
) -> SmtpConfiguration:
    """Rebuild what `to_configuration_row` flattened."""
    return SmtpConfiguration(*row, default_smtp)

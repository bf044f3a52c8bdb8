"""Senders as JSON, for stores that keep text, and as flat tuples, for memory."""

from __future__ import annotations

import json
from dataclasses import asdict
from typing import Any

from mock_server.domain.senders import SmtpConfiguration, SmtpCustomEmail


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
        configuration=SmtpConfiguration(**data["configuration"]),
        address_key=data.get("address_key", ""),
    )


Row = tuple[str, str, str, str, str, int, str, bool, str | None, str | None, str]
"""A sender and its configuration, flat: id, email_address, sender_name, then
the configuration's id, host, port, organization_id, ip_relay_auth, username
and password, then the sender's address_key."""


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
    )


def from_row(row: Row) -> SmtpCustomEmail:
    """Rebuild what `to_row` flattened."""
    return SmtpCustomEmail(
        id=row[0],
        email_address=row[1],
        sender_name=row[2],
        configuration=SmtpConfiguration(*row[3:10]),
        address_key=row[10],
    )

"""Senders as JSON, for stores that keep text."""

from __future__ import annotations

import json
from dataclasses import asdict
from typing import Any

from mock_server.domain import SmtpConfiguration, SmtpCustomEmail


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
    )

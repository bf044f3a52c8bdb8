"""The mutation's rules in plain Python: senders, address syntax and ids."""

from __future__ import annotations

from mock_server.domain.email_syntax import is_valid_email
from mock_server.domain.ids import IdFactory
from mock_server.domain.profile import DEFAULT_PROFILE, BehaviourProfile
from mock_server.domain.senders import (
    ConfigurationDraft,
    SenderDraft,
    SmtpConfiguration,
    SmtpCustomEmail,
    build_sender,
    email_key,
    email_taken,
)

__all__ = [
    "DEFAULT_PROFILE",
    "BehaviourProfile",
    "ConfigurationDraft",
    "IdFactory",
    "SenderDraft",
    "SmtpConfiguration",
    "SmtpCustomEmail",
    "build_sender",
    "email_key",
    "email_taken",
    "is_valid_email",
]

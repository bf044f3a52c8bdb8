"""What calibration needs from `mock_server`: the profile model and its files.

The one place the calibrate package imports the mock (TODO(#12): go through
`contracts/_mock.py` once it exists).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from mock_server.domain.profile import (
    DEFAULT_PROFILE,
    LABELS,
    TEXT_FIELDS,
    BehaviourProfile,
    EmailSyntax,
    Failure,
)
from mock_server.domain.profile_files import (
    ProfileError,
    dump_profile,
    load_profile,
    profile_document,
    profile_from_document,
)
from mock_server.domain.senders import email_is_valid

if TYPE_CHECKING:
    from contracts.client.target import Target

__all__ = [
    "DEFAULT_PROFILE",
    "LABELS",
    "TEXT_FIELDS",
    "BehaviourProfile",
    "EmailSyntax",
    "Failure",
    "ProfileError",
    "dump_profile",
    "email_is_valid",
    "load_profile",
    "profile_document",
    "profile_from_document",
    "profiled_mock",
]


def profiled_mock(profile: BehaviourProfile, *, token: str | None) -> Target:
    """The packaged mock running `profile`, in-process."""
    from contracts.client.in_process import app_target
    from mock_server.app import create_app

    app: Any = create_app(token=token, profile=profile)
    return app_target(app, token)

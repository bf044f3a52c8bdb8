"""What calibration needs from `mock_server`: the profile model and its files.

Everything comes through `contracts._mock`, the one door to the mock.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from contracts._mock import (
    DEFAULT_PROFILE,
    LABELS,
    PLACEHOLDERS,
    TEXT_FIELDS,
    BehaviourProfile,
    EmailClass,
    EmailSyntax,
    Failure,
    ProfileError,
    classes_of,
    dump_profile,
    email_is_valid,
    family_accepts,
    load_profile,
    mock_app,
    profile_document,
    profile_from_document,
)

if TYPE_CHECKING:
    from contracts.client.target import Target

__all__ = [
    "DEFAULT_PROFILE",
    "LABELS",
    "PLACEHOLDERS",
    "TEXT_FIELDS",
    "BehaviourProfile",
    "EmailClass",
    "EmailSyntax",
    "Failure",
    "ProfileError",
    "classes_of",
    "dump_profile",
    "email_is_valid",
    "family_accepts",
    "load_profile",
    "profile_document",
    "profile_from_document",
    "profiled_mock",
]


def profiled_mock(profile: BehaviourProfile, *, token: str | None) -> Target:
    """The packaged mock running `profile`, in-process."""
    from contracts.client.in_process import app_target

    return app_target(mock_app(token=token, profile=profile), token)

"""The one door from `contracts` to `mock_server`.

`mock_server` never imports `contracts`; inside `contracts` only this module
names `mock_server`, and only inside its functions or on first use, so a run
against a live API never imports the mock (conventions, section 1: layering).

Calibration reads and writes the mock's behaviour profile: that model is
re-exported here lazily (PEP 562), so importing this module imports no mock,
while naming one of the profile names does.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from pathlib import Path

    from mock_server.domain.email_rules import (
        EmailClass as EmailClass,
        classes_of as classes_of,
        family_accepts as family_accepts,
    )
    from mock_server.domain.profile import (
        DEFAULT_PROFILE as DEFAULT_PROFILE,
        LABELS as LABELS,
        TEXT_FIELDS as TEXT_FIELDS,
        BehaviourProfile as BehaviourProfile,
        EmailSyntax as EmailSyntax,
        Failure as Failure,
    )
    from mock_server.domain.profile_files import (
        PLACEHOLDERS as PLACEHOLDERS,
        ProfileError as ProfileError,
        dump_profile as dump_profile,
        load_profile as load_profile,
        profile_document as profile_document,
        profile_from_document as profile_from_document,
    )
    from mock_server.domain.senders import email_is_valid as email_is_valid

# Where each lazily re-exported name lives; the imports above type the same
# names (tests/contracts/test_layering.py keeps the two equal).
_PROFILE = "mock_server.domain.profile"
_FILES = "mock_server.domain.profile_files"
_RULES = "mock_server.domain.email_rules"
PROFILE_MODEL: dict[str, str] = {
    "EmailClass": _RULES,
    "classes_of": _RULES,
    "family_accepts": _RULES,
    "DEFAULT_PROFILE": _PROFILE,
    "LABELS": _PROFILE,
    "TEXT_FIELDS": _PROFILE,
    "BehaviourProfile": _PROFILE,
    "EmailSyntax": _PROFILE,
    "Failure": _PROFILE,
    "PLACEHOLDERS": _FILES,
    "ProfileError": _FILES,
    "dump_profile": _FILES,
    "load_profile": _FILES,
    "profile_document": _FILES,
    "profile_from_document": _FILES,
    "email_is_valid": "mock_server.domain.senders",
}

if not TYPE_CHECKING:
    # Hidden from mypy, which would otherwise type any other name as Any.

    def __getattr__(name: str) -> Any:
        module = PROFILE_MODEL.get(name)
        if module is None:
            raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
        return getattr(importlib.import_module(module), name)


def packaged_schema_path() -> Path:
    """The contract's SDL as shipped with the mock."""
    from mock_server import default_schema_path

    return default_schema_path()


def mock_app(
    schema: Path | None = None,
    *,
    seed: int | None = None,
    token: str | None = None,
    profile: BehaviourProfile | None = None,
) -> Any:
    """The packaged mock as an ASGI app.

    Args:
        schema: SDL file to serve instead of the packaged one.
        seed: Seed of the mock's ids, for reproducible runs.
        token: Bearer token the mock requires, or None for none.
        profile: Behaviour profile to run, or None for the mock's default.
    """
    from mock_server import create_app
    from mock_server.domain import DEFAULT_PROFILE

    return create_app(
        schema, seed=seed, token=token, profile=profile or DEFAULT_PROFILE
    )

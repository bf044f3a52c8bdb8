"""Mutants of the mock as ASGI app factories, for `--app` in tests."""

from __future__ import annotations

from typing import TYPE_CHECKING

from contracts.selftest.mutants import mutant_app

if TYPE_CHECKING:
    from starlette.types import ASGIApp


def port_as_number() -> ASGIApp:
    return mutant_app("port-as-number")


def case_sensitive_uniqueness() -> ASGIApp:
    return mutant_app("case-sensitive-uniqueness")


def password_in_error() -> ASGIApp:
    return mutant_app("password-in-error")

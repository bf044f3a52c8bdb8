"""Mutants of the mock as ASGI app factories, for `--app` in tests."""

from __future__ import annotations

from starlette.applications import Starlette

from mock_server import create_app


def port_as_number() -> Starlette:
    return create_app(_mutant="port-as-number")


def case_sensitive_uniqueness() -> Starlette:
    return create_app(_mutant="case-sensitive-uniqueness")


def password_in_error() -> Starlette:
    return create_app(_mutant="password-in-error")

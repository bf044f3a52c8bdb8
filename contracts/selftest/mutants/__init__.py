"""Deliberately broken variants of the mock, each with one deviation.

`smtp-contract selftest` proves the contract suite catches every one (except
those marked `equivalent`, which deviate only where the guide is silent and
must NOT be caught). They live outside the product and use only the mock's
public API, at three seams: the SDL file, the store, and an ASGI wrapper that
rewrites GraphQL requests and responses.
"""

from __future__ import annotations

from contracts.selftest.mutants.apps import SELFTEST_TOKEN, mutant_app
from contracts.selftest.mutants.catalogue import MUTANTS, Mutant, find_mutant
from contracts.selftest.mutants.middleware import MutantMiddleware

__all__ = [
    "MUTANTS",
    "SELFTEST_TOKEN",
    "Mutant",
    "MutantMiddleware",
    "find_mutant",
    "mutant_app",
]

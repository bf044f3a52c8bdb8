"""Deliberately broken variants of the mock, each with one deviation.

Test-only: `create_app(_mutant=NAME)` serves one of them, and
`smtp-contract selftest` proves the contract suite catches every one (except
those marked `equivalent`, which deviate only where the guide is silent and
must NOT be caught). They work at three seams: the SDL text, the store, and a
middleware that rewrites GraphQL requests and responses.
"""

from __future__ import annotations

from mock_server.mutants.catalogue import MUTANTS, Mutant, find_mutant
from mock_server.mutants.middleware import MutantMiddleware

__all__ = ["MUTANTS", "Mutant", "MutantMiddleware", "find_mutant"]

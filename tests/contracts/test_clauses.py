from __future__ import annotations

import pytest

from contracts.clauses import CLAUSES, CLAUSES_BY_ID, ClauseId, Tier, clause


def test_clause_registry_is_consistent():
    assert len(CLAUSES_BY_ID) == len(CLAUSES)
    assert clause(ClauseId.CREATE_ECHO).tier is Tier.DOCUMENTED
    assert {item.tier for item in CLAUSES} == set(Tier)
    assert all(item.source and item.statement for item in CLAUSES)


def test_an_unknown_clause_id_is_a_key_error():
    with pytest.raises(KeyError, match=r"create\.typo"):
        clause("create.typo")
    assert clause("create.echo").id is ClauseId.CREATE_ECHO

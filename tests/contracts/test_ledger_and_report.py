from __future__ import annotations

import json

from contracts.clauses import CLAUSES, CLAUSES_BY_ID, ClauseId, Tier, clause
from contracts.client.ledger import Ledger, Namespace
from contracts.config import make_config
from contracts.reports.formats import clause_table, markdown_report
from contracts.reports.results import OBSERVED, Results


def test_namespace_addresses_are_fresh_and_recognisable():
    namespace = Namespace("abc123", "example.com")

    first, second = namespace.fresh_address(), namespace.fresh_address()

    assert first == "smtp-contract+abc123-1@example.com"
    assert second == "smtp-contract+abc123-2@example.com"
    assert namespace.owns(first.upper())
    assert not namespace.owns("smtp-contract+other-1@example.com")


def test_ledger_appends_json_lines_as_it_goes(tmp_path):
    path = tmp_path / "ledger.jsonl"
    ledger = Ledger(path, "run1")

    ledger.record("s1", "c1", "a@example.com", "org")
    ledger.record("s2", "c2", "b@example.com", "org")
    ledger.forget("s1")

    lines = [json.loads(line) for line in path.read_text().splitlines()]
    assert [line["id"] for line in lines] == ["s1", "s2"]
    assert lines[0]["configuration_id"] == "c1"
    assert lines[0]["run_id"] == "run1"
    assert [entry.id for entry in ledger.entries] == ["s2"]


def test_memory_only_ledger():
    ledger = Ledger(None, "r")
    ledger.record("s", "c", "e", "o")

    assert len(ledger.entries) == 1


def test_clause_registry_is_consistent():
    assert len(CLAUSES_BY_ID) == len(CLAUSES)
    assert clause(ClauseId.CREATE_ECHO).tier is Tier.DOCUMENTED
    assert {item.tier for item in CLAUSES} == set(Tier)
    assert all(item.source and item.statement for item in CLAUSES)


def test_reports_list_every_clause_with_probe_observations():
    results = Results()
    results.checked(ClauseId.CREATE_ECHO)
    results.outcome(ClauseId.CREATE_ECHO, "passed")
    results.observe(ClauseId.PROBE_PORT_RANGE, "port 0: rejected")
    results.observe(ClauseId.PROBE_PORT_RANGE, "port 0: rejected")
    results.outcome(ClauseId.EMAIL_OTHER_ORG, "skipped", "needs --other-org")

    table = clause_table(results)
    markdown = markdown_report(results, make_config(tier="documented"))

    assert table[0].split() == ["clause", "tier", "result", "checks", "notes"]
    assert len(table) == len(CLAUSES) + 1
    assert results.status(ClauseId.PROBE_PORT_RANGE) == OBSERVED
    assert "port 0: rejected (x2)" in markdown
    assert "needs --other-org" in markdown
    assert "enforced tiers: documented\n" in markdown
    assert markdown.count("\n| `") == len(CLAUSES)

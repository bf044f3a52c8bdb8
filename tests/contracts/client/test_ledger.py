from __future__ import annotations

import json

from contracts.client.ledger import Ledger, Namespace


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

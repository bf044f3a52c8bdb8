"""Proof of teeth: the suite kills every deliberately broken mock."""

from __future__ import annotations

import json
import re

import pytest
from click.testing import CliRunner

from contracts.cli.commands import main
from contracts.selftest import (
    FAITHFUL,
    IN_PROCESS,
    OVER_HTTP,
    MutantCase,
    MutantResult,
    failed_clauses,
    ordering,
    suite_command,
    table,
)
from contracts.selftest.mutants import MUTANTS

pytestmark = pytest.mark.starts_first


def test_selftest_kills_every_mutant_and_passes_the_faithful_ones():
    result = CliRunner().invoke(main, ["selftest"])

    lines = result.output.strip().splitlines()
    deviating = [mutant.name for mutant in MUTANTS if not mutant.equivalent]
    n = len(deviating)
    assert n >= 36
    assert lines[-1] == f"killed {n} of {n} (in-process {n}, over HTTP {n})", (
        result.output
    )
    assert result.exit_code == 0
    passed = r"passed \(as it must\)\s+passed \(as it must\)"
    assert re.search(rf"\(faithful mock\).*{passed}", result.output)
    assert re.search(rf"case-sensitive-uniqueness.*{passed}", result.output)
    rows = {line.split()[0]: line for line in lines[1:-1]}
    for mutant in MUTANTS:
        if mutant.equivalent:
            continue
        _, *modes = rows[mutant.name].split("killed by ")
        assert len(modes) == 2, rows[mutant.name]
        # Its tests run first: the clause it names is the one that kills it.
        for killers in modes:
            named = [clause.strip() for clause in killers.split(",")]
            assert all(named), rows[mutant.name]
            if mutant.clause is not None:
                assert mutant.clause in named, rows[mutant.name]


def test_table_marks_survivors_and_false_alarms():
    results = [
        MutantResult(MutantCase(FAITHFUL, "none"), 1, ("create.echo",)),
        MutantResult(MutantCase("m1", "broken"), 0, ()),
        MutantResult(MutantCase("m2", "choice", equivalent=True), 0, ()),
        MutantResult(MutantCase("m3", "broken"), 1, ("create.echo",)),
    ]

    lines = table(results)

    assert "FALSE ALARM: create.echo" in lines[1]
    assert "SURVIVED (exit 0)" in lines[2]
    assert "passed (as it must)" in lines[3]
    assert lines[-1] == "killed 1 of 2 (in-process 1)"
    assert [r.as_expected for r in results] == [False, False, True, True]


def test_a_mutant_counts_as_killed_only_when_every_mode_killed_it():
    broken, racy = MutantCase("m1", "broken"), MutantCase("race", "racy")
    results = [
        MutantResult(broken, 1, ("create.echo",), IN_PROCESS),
        MutantResult(broken, 1, ("create.echo",), OVER_HTTP),
        MutantResult(racy, 1, ("email.unique-in-org.concurrent",), IN_PROCESS),
        MutantResult(racy, 0, (), OVER_HTTP),
    ]

    lines = table(results)

    assert lines[0].split() == ["mutant", "deviation", "in-process", "over", "HTTP"]
    assert "killed by email.unique-in-org.concurrent  SURVIVED (exit 0)" in lines[2]
    assert lines[-1] == "killed 1 of 2 (in-process 2, over HTTP 1)"


def test_the_served_suite_gets_the_url_and_no_app():
    served = suite_command("m1", url="http://127.0.0.1:9/graphql")
    in_process = suite_command("m1")

    assert "--contract-url=http://127.0.0.1:9/graphql" in served
    assert not any(arg.startswith("--contract-app") for arg in served)
    assert "--contract-app=contracts.selftest.mutants.apps:m1" in in_process
    assert "--disable-plugin-autoload" in served


def test_clauses_come_from_the_json_report_violations_only(tmp_path):
    report = tmp_path / "verdicts.json"
    report.write_text(
        json.dumps(
            {
                "version": 1,
                # A crashed test fails its clauses without naming one: not a kill.
                "failed": ["create.echo", "create.port-string"],
                "violated": ["create.port-string"],
            }
        )
    )

    assert failed_clauses(report) == ("create.port-string",)
    assert failed_clauses(tmp_path / "missing.json") == ()
    (tmp_path / "torn.json").write_text('{"violated": [')
    assert failed_clauses(tmp_path / "torn.json") == ()


def test_a_mutants_clause_is_asked_to_run_first():
    command = suite_command("m1", first="create.port-string")

    assert command[command.index("-p", command.index("-c")) + 1] == ordering.PLUGIN
    assert f"{ordering.FIRST_OPTION}=create.port-string" in command
    assert ordering.FIRST_OPTION not in " ".join(suite_command("m1"))


def test_every_mutant_but_the_equivalent_ones_names_a_clause():
    from contracts.clauses import ClauseId

    for mutant in MUTANTS:
        if mutant.equivalent:
            assert mutant.clause is None, mutant.name
        else:
            assert mutant.clause in set(ClauseId), mutant.name


def test_the_suite_is_asked_for_a_json_report(tmp_path):
    command = suite_command("m1", json_report=tmp_path / "v.json")

    assert f"--contract-json-report={tmp_path / 'v.json'}" in command


def test_the_mutants_readme_names_the_catalogues_clauses():
    from pathlib import Path

    import contracts.selftest.mutants as package

    readme = Path(package.__file__).with_name("README.md").read_text("utf-8")
    rows = re.findall(
        r"^\| `([a-z0-9-]+)`[^|]*\|.*\| `([a-z.-]+)`[^|]*\|$", readme, re.M
    )
    named = dict(rows)
    assert named == {m.name: m.clause for m in MUTANTS if not m.equivalent}

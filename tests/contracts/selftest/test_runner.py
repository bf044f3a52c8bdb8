"""Proof of teeth: the suite kills every deliberately broken mock."""

from __future__ import annotations

import re

from click.testing import CliRunner

from contracts.cli.commands import main
from contracts.selftest import FAITHFUL, MutantCase, MutantResult, table
from contracts.selftest.mutants import MUTANTS


def test_selftest_kills_every_mutant_and_passes_the_faithful_ones():
    result = CliRunner().invoke(main, ["selftest"])

    lines = result.output.strip().splitlines()
    deviating = [mutant.name for mutant in MUTANTS if not mutant.equivalent]
    assert len(deviating) >= 20
    assert lines[-1] == f"killed {len(deviating)} of {len(deviating)}", result.output
    assert result.exit_code == 0
    assert re.search(r"\(faithful mock\).*passed \(as it must\)", result.output)
    assert re.search(r"case-sensitive-uniqueness.*passed \(as it must\)", result.output)
    for name in deviating:
        assert re.search(rf"^{re.escape(name)}\s.*killed by [a-z]", result.output, re.M)


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
    assert lines[-1] == "killed 1 of 2"
    assert [r.as_expected for r in results] == [False, False, True, True]

"""The selftest's order: a mutant's clause first, everything else as before."""

from __future__ import annotations

import pytest

from contracts.selftest import ordering

TESTS = """
import pytest

@pytest.mark.contract("a.one")
def test_first(): pass

@pytest.mark.contract("b.two", "c.three")
def test_second(): pass

def test_unmarked(): pass

@pytest.mark.contract("c.three")
def test_third(): pass

@pytest.mark.contract("b.two")
def test_fourth(): pass
"""


@pytest.fixture
def collected(pytester):
    pytester.makeini("[pytest]\nmarkers =\n    contract(*clause_ids): clauses\n")
    pytester.makepyfile(test_order=TESTS)

    def order(*arguments: str) -> list[str]:
        result = pytester.runpytest_inprocess(
            "-p", ordering.PLUGIN, "--collect-only", "-q", *arguments
        )
        assert result.ret == 0, result.stdout.str()
        return [
            line.split("::")[1]
            for line in result.stdout.lines
            if line.startswith("test_order.py::")
        ]

    return order


def test_the_clauses_tests_come_first_and_the_rest_keep_their_order(collected):
    assert collected(f"{ordering.FIRST_OPTION}=c.three") == [
        "test_second",
        "test_third",
        "test_first",
        "test_unmarked",
        "test_fourth",
    ]


def test_several_clauses_or_none(collected):
    assert collected(
        f"{ordering.FIRST_OPTION}=b.two", f"{ordering.FIRST_OPTION}=a.one"
    ) == ["test_first", "test_second", "test_fourth", "test_unmarked", "test_third"]
    assert collected() == [
        "test_first",
        "test_second",
        "test_unmarked",
        "test_third",
        "test_fourth",
    ]

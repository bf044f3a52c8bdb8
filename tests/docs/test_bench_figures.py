"""The README's benchmark figures are the last `make bench`'s (#29, #31).

`make bench` writes bench/results/latest.json and latest.md; the docs include
those files, and the README, read on GitHub as it is, quotes a few figures
literally: each must be found once and be the one the results hold.
"""

from __future__ import annotations

import json
import re
from typing import Any

import pytest

from tests.docs.recipes import ROOT

RESULTS = json.loads((ROOT / "bench" / "results" / "latest.json").read_text())
PROFILE_TABLE = (ROOT / "bench" / "results" / "latest.md").read_text()


def _ratio(name: str) -> str:
    return f"{RESULTS['ratios'][name]:.2f}"


def _thousands(path: str) -> str:
    return str(round(RESULTS["profile"]["instructions"][path] / 1000))


def _share(stage: str) -> str:
    row = re.search(rf"^\| {re.escape(stage)} \|.*\| (\d+)% \|", PROFILE_TABLE, re.M)
    assert row, stage
    return row.group(1)


def _scale(store: str) -> str:
    return f"{RESULTS['scale_out'][store]['two_over_one']:.2f}"


FIGURES: dict[str, Any] = {
    r"served (\S+) times the ceiling": _ratio("mock/raw-starlette"),
    r"(\S+)\s+without the log": _ratio("mock-quiet/raw-starlette"),
    r"with a p99 (\S+) times": _ratio("p99 mock/raw-starlette"),
    r"and (\S+) times\s+graphql-faker": _ratio("mock/graphql-faker"),
    r"Per create: (\d+) k instructions for uvicorn": _thousands("floor"),
    r"(\d+) k for the ceiling": _thousands("raw-starlette"),
    r"(\d+) k for the mock without": _thousands("mock-quiet"),
    r"and (\d+) k with it": _thousands("mock"),
    r"uvicorn and\s+httptools take (\d+) %": _share(
        "HTTP server: uvicorn, httptools, event loop"
    ),
    r"shares with the ceiling (\d+) %": _share(
        "domain rules (shared with the ceiling)"
    ),
    r"compiled plan (\d+) %": _share("compiled plan: variables, completion"),
    r"the endpoint (\d+) %": _share("endpoint: headers, body, JSON in and out"),
    r"the executor (\d+) %": _share("executor: cached document, limits"),
    r"fault checks (\d+) %": _share("request gate: Host, CORS, auth, faults"),
    r"gave (\S+)\s+times one worker on Redis": _scale("redis"),
    r"and (\S+) on SQLite": _scale("sqlite"),
}


@pytest.mark.parametrize(("pattern", "figure"), FIGURES.items())
def test_the_readmes_benchmark_figures_are_the_last_runs(
    pattern: str, figure: str
) -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")

    assert re.findall(pattern, readme) == [figure], pattern

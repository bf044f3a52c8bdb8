"""The recipes of half the pages run (`test_site.py` runs the other half), and
what every page must be.

Every shell block runs or says why not, the README's figures are the code's
and it stays short, no file carries merge-conflict markers, and the recipe
harness itself can fail.
"""

from __future__ import annotations

import re
import subprocess
from typing import TYPE_CHECKING

import pytest

from docs import _figures
from tests.docs.recipes import (
    ROOT,
    Block,
    blocks,
    commands,
    matches,
    pages,
    runnable,
    without_progress,
)
from tests.docs.sessions import run_page

pytestmark = pytest.mark.starts_first

if TYPE_CHECKING:
    from collections.abc import Iterator
    from pathlib import Path

    from tests.docs.sessions import Shared

README_MOST_LINES = 300
RUN = runnable(0)


@pytest.mark.parametrize("page", RUN)
def test_recipes_print_what_the_page_shows(
    page: str, shared_mock: Shared, tmp_path: Path
) -> None:
    run_page(page, RUN[page], shared_mock, tmp_path)


def test_every_shell_block_runs_or_says_why_not() -> None:
    found = [block for page, text in pages().items() for block in blocks(page, text)]
    unmarked = [
        f"{block.where} ({block.language})"
        for block in found
        if block.is_recipe and not block.runs and block.not_run is None
    ]
    assert unmarked == [], "mark each with <!-- not run: REASON --> or make it run"
    running = sum(block.runs for block in found)
    marked = sum(block.not_run is not None for block in found)
    assert running > marked > 0, (running, marked)


# The README is read on GitHub as it is, so its figures are literal: each
# pattern must match it exactly once, and its number be the code's.
README_FIGURES = {
    r"reaches all (\d+) clauses once": "clauses.count",
    r"deletes held back, is (\d+)\s+requests": "budget.least",
    r"300 requests buy (\d+) generated example": "budget.examples_300",
    r"and 1,000 buy\s+(\d+)": "budget.examples_1000",
    r"gets the default (\d+)\s+per second": "budget.rps",
}


@pytest.mark.parametrize(("pattern", "figure"), README_FIGURES.items())
def test_readme_figures_are_the_codes(pattern: str, figure: str) -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    found = re.findall(pattern, readme)
    assert found == [_figures.figures()[figure]], pattern


def test_the_readme_is_at_most_300_lines() -> None:
    lines = (ROOT / "README.md").read_text(encoding="utf-8").splitlines()
    assert len(lines) <= README_MOST_LINES


# --- merge-conflict markers ------------------------------------------------------

_START, _BASE, _MIDDLE, _END = "<" * 7 + " ", "|" * 7 + " ", "=" * 7, ">" * 7 + " "


def conflict_markers(text: str) -> list[int]:
    """Line numbers of merge-conflict markers: `<<<<<<< `, `>>>>>>> ` and the
    `|||||||`/`=======` lines between them (a lone `=======` is markdown)."""
    found: list[int] = []
    opened: list[int] = []
    for number, line in enumerate(text.splitlines(), start=1):
        if line.startswith(_START):
            found.append(number)
            opened.append(number)
        elif line.startswith(_END):
            found.append(number)
            opened.clear()
        elif opened and (line == _MIDDLE or line.startswith(_BASE)):
            found.append(number)
    return found


def test_the_conflict_detector_finds_markers_and_only_them() -> None:
    conflict = f"a\n{_START}ours\nx\n{_MIDDLE}\ny\n{_END}theirs\nb\n"
    assert conflict_markers(conflict) == [2, 4, 6]
    assert conflict_markers(f"Title\n{_MIDDLE}\n\ntext <<<<<<<< no\n") == []


def tracked_text_files() -> Iterator[tuple[str, str]]:
    listed = subprocess.run(
        ["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard"],
        cwd=ROOT,
        capture_output=True,
        check=True,
    ).stdout.decode()
    for name in sorted(set(filter(None, listed.split("\0")))):
        path = ROOT / name
        if not path.is_file() or path.is_symlink():
            continue
        data = path.read_bytes()
        if b"\0" in data[:8192]:
            continue  # binary
        try:
            yield name, data.decode("utf-8")
        except UnicodeDecodeError:
            continue


def test_no_file_holds_merge_conflict_markers() -> None:
    files = dict(tracked_text_files())
    assert "README.md" in files
    marked = {
        name: lines for name, text in files.items() if (lines := conflict_markers(text))
    }
    assert marked == {}


# --- the recipe harness can fail -----------------------------------------------


def test_output_matching_takes_wildcards_and_nothing_else() -> None:
    assert matches(['{"id":"…","port":"25"}'], ['{"id":"0b1c","port":"25"}'])
    assert not matches(['{"id":"…","port":"25"}'], ['{"id":"0b1c","port":25}'])
    assert matches(["first", "…", "last"], ["first", "a", "b", "last"])
    assert matches(["first", "…", "last"], ["first", "last"])
    assert not matches(["first", "…"], ["second", "x"])
    assert not matches(["one"], ["one", "two"])


def test_progress_lines_of_a_slow_run_are_not_compared() -> None:
    printed = ["progress: 3 of 60 requests, throttled 0, 12 s", "failures: none"]

    assert without_progress(printed) == ["failures: none"]
    assert without_progress(["the progress: line"]) == ["the progress: line"]


def test_console_blocks_split_into_commands_and_their_output() -> None:
    markdown = "\n".join(
        [
            "<!-- not run: needs the network -->",
            "```sh",
            "curl https://example.com",
            "```",
            "",
            "```console",
            "$ printf 'a\\n' \\",
            "    'b'",
            "a",
            "$ cat <<'EOF'",
            "x",
            "EOF",
            "x",
            "$ f() {",
            "    echo '{'",
            "  }",
            "```",
        ]
    )
    found = blocks("page.md", markdown)
    assert [(b.language, b.not_run, b.runs) for b in found] == [
        ("sh", "needs the network", False),
        ("console", None, True),
    ]
    parsed = commands(found[1])
    assert [c.expected for c in parsed] == [["a"], ["x"], []]
    assert parsed[1].text == "cat <<'EOF'\nx\nEOF"
    assert Block("p.md", 1, "bash", "ls", None).is_recipe

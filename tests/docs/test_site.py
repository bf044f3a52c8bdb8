"""The site builds and its reference covers the code; half the pages' recipes run.

The site is built as `make docs` builds it, and its reference is checked to
cover the code: every option of every command, every clause, every profile
key, every error code the mock raises. A figure on a page is a token the
build fills in from the code, never a typed number. The recipes of the pages
`test_recipes.py` does not run run here, so that pytest-xdist runs the two
halves side by side.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path
from typing import TYPE_CHECKING

import click
import pytest

from contracts.cli import main as contract_main
from docs import _figures, _profile_page, _reference
from mock_server.cli import main as mock_main
from tests.docs.recipes import ROOT, runnable
from tests.docs.sessions import run_page

# Their subprocesses run code other tests measure (CONTRIBUTING.md, "Coverage").
pytestmark = [pytest.mark.starts_first, pytest.mark.no_cover_subprocesses]

if TYPE_CHECKING:
    from collections.abc import Iterator

    from tests.docs.sessions import Shared

RUN = runnable(1)


@pytest.mark.parametrize("page", RUN)
def test_recipes_print_what_the_page_shows(
    page: str, shared_mock: Shared, tmp_path: Path
) -> None:
    run_page(page, RUN[page], shared_mock, tmp_path)


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """`mkdocs build --strict`, as `make docs` runs it, into a temporary folder."""
    out = tmp_path_factory.mktemp("site")
    built = subprocess.run(
        [
            str(Path(sys.executable).with_name("mkdocs")),
            "build",
            "--strict",
            "--quiet",
            "--site-dir",
            str(out),
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
        env={**os.environ, "NO_MKDOCS_2_WARNING": "1"},
    )
    assert built.returncode == 0, built.stdout + built.stderr
    return out


def page(site: Path, path: str) -> str:
    return (site / path / "index.html").read_text(encoding="utf-8")


def options(command: click.Command) -> Iterator[str]:
    """Every option name of a command and of its subcommands."""
    for param in command.params:
        if isinstance(param, click.Option):
            yield from (*param.opts, *param.secondary_opts)
    if isinstance(command, click.Group):
        for sub in command.commands.values():
            yield from options(sub)


@pytest.mark.parametrize(
    ("command", "path"),
    [(mock_main, "reference/smtp-mock"), (contract_main, "reference/smtp-contract")],
)
def test_the_cli_reference_shows_every_option(
    site: Path, command: click.Command, path: str
) -> None:
    html = page(site, path)
    missing = sorted({name for name in options(command) if name not in html})
    assert missing == []


def test_the_clause_catalogue_shows_every_clause(site: Path) -> None:
    from contracts.clauses import CLAUSES

    html = page(site, "reference/clauses")
    assert [c.id for c in CLAUSES if f"<code>{c.id}</code>" not in html] == []


def test_the_profile_reference_shows_every_key_failure_and_class(site: Path) -> None:
    from mock_server.domain.email_rules import EmailClass
    from mock_server.domain.profile import DEFAULT_PROFILE, Failure
    from mock_server.domain.profile_files import profile_document

    html = page(site, "reference/behaviour-profile")
    keys = [key for key, _, _ in _profile_page.profile_keys(
        profile_document(DEFAULT_PROFILE)
    )]  # fmt: skip
    names = [*keys, *(str(f) for f in Failure), *(str(c) for c in EmailClass)]
    assert len(keys) > 20
    assert [name for name in names if f"<code>{name}</code>" not in html] == []


def test_the_error_codes_page_shows_every_code_the_mock_raises(site: Path) -> None:
    found = _reference.error_codes(ROOT / "mock_server")
    html = page(site, "reference/error-codes")
    assert {"RECORD_INVALID", "MAX_TOKENS_EXCEEDED", "FORBIDDEN_HOST"} <= set(found)
    assert [code for code in found if f"<code>{code}</code>" not in html] == []


def test_an_error_code_without_a_meaning_stops_the_build(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    meanings = dict(_reference.CODE_MEANINGS)
    del meanings["RECORD_INVALID"]
    monkeypatch.setattr(_reference, "CODE_MEANINGS", meanings)
    with pytest.raises(ValueError, match="undocumented \\['RECORD_INVALID'\\]"):
        _reference.error_codes_page()


def test_the_pytest_plugin_reference_shows_every_option(site: Path) -> None:
    from contracts import pytest_options

    names = [v for k, v in vars(pytest_options).items() if k.endswith("_OPTION")]
    html = page(site, "reference/pytest-plugin")
    assert len(names) > 20
    assert [name for name in names if name not in html] == []


def test_benchmark_tables_are_the_files_make_bench_writes(site: Path) -> None:
    html = page(site, "guides/benchmarks")
    for name in ("latest.md", "hostile.md"):
        first_row = (ROOT / "bench/results" / name).read_text().splitlines()
        cell = next(line for line in first_row if line.startswith("| ")).split("|")[1]
        assert cell.strip() in html


# --- figures -----------------------------------------------------------------


def test_docs_quote_budget_figures_as_tokens_not_numbers() -> None:
    """A budget figure typed into a page would drift: pages use `{{ … }}`."""
    figures = _figures.figures()
    values = {
        figures[name] for name in ("budget.least", "budget.least_keep", "plan.fixed")
    }
    typed = [
        f"{path.relative_to(ROOT)}: {value}"
        for path in sorted((ROOT / "docs").rglob("*.md"))
        for value in values
        if re.search(rf"(?<![\d,.]){re.escape(value)}(?![\d,])", path.read_text())
    ]
    assert typed == []


def test_every_docs_page_renders_and_an_unknown_figure_fails() -> None:
    for path in sorted((ROOT / "docs").rglob("*.md")):
        assert "{{" not in re.sub(r"\$\{\{", "", _figures.render(path.read_text()))
    with pytest.raises(KeyError, match=r"budget\.nope"):
        _figures.render("least: {{ budget.nope }}")
    with pytest.raises(ValueError, match="may be included"):
        _figures.render("{{ include pyproject.toml }}")
    assert _figures.render("${{ secrets.TOKEN }}") == "${{ secrets.TOKEN }}"


def test_every_generated_page_is_in_the_navigation() -> None:
    from docs._hooks import PAGES

    nav = (ROOT / "mkdocs.yml").read_text(encoding="utf-8")
    assert [path for path in PAGES if f": {path}" not in nav] == []

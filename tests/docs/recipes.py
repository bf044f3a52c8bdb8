"""The shell recipes of the docs and the README: how a page is read.

Why a harness of our own rather than mktestdocs or pytest-examples (#29):
both run *Python* code blocks. mktestdocs hands a bash block to a shell and
looks at the exit status only; pytest-examples checks `print` output written
in Python comments. A recipe here is a terminal session: commands after a
`$ ` prompt, each followed by what it prints, against `smtp-mock serve` on
127.0.0.1:4000. Checking that takes what neither offers: the printed output
compared with the page (`…` standing for ids, times and temporary paths), one
shell per page so that a variable set by one command serves the next, a
`smtp-mock serve` in a recipe started in the background on a free port with
the page's URLs rewritten to it, and the blocks that cannot run counted, each
with its reason. That is this module (reading) and `sessions.py` (running),
with no dependency.

The markdown conventions (`CONTRIBUTING.md` states them for writers):
- A fenced `console` block is a session: `$ command` lines (continued by a
  trailing backslash or pipe, an open quote, a here-document or a function
  body), then the output. `…` in an output line matches any text on that
  line; a line of `…` alone matches any number of lines. The progress
  lines a long command prints every 10 s (`progress: …`) are not compared:
  whether one shows depends on the machine's load, not on the docs.
- Every other shell-like block (`sh`, `bash`, `shell`, `yaml`, a block with
  `$ ` prompts) must follow a `<!-- not run: REASON -->` line, and so must a
  `console` block that cannot run here.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from docs._figures import render

ROOT = Path(__file__).resolve().parents[2]
SHELL_LANGUAGES = frozenset(
    {"console", "sh", "bash", "shell", "shell-session", "zsh", "yaml", "yml"}
)
"""Languages of blocks that are recipes: run (`console`) or marked not run."""
WILDCARD = "…"

_FENCE = re.compile(
    r"^(?P<indent>[ \t]*)(?P<fence>`{3,}|~{3,})[ \t]*(?P<info>[^`\n]*)$"
)
_NOT_RUN = re.compile(r"^\s*<!--\s*not run:\s*(?P<reason>.+?)\s*-->\s*$")
_HEREDOC = re.compile(r"<<-?\s*(['\"]?)(?P<word>[A-Za-z_]+)\1")


def pages() -> dict[str, str]:
    """Each page's markdown as the site shows it (the README as GitHub does)."""
    found = {
        path.relative_to(ROOT).as_posix(): render(path.read_text(encoding="utf-8"))
        for path in sorted((ROOT / "docs").rglob("*.md"))
    }
    found["README.md"] = (ROOT / "README.md").read_text(encoding="utf-8")
    return found


HALVES = 2
"""Test modules sharing the pages, so that pytest-xdist runs them side by side."""


def runnable(half: int) -> dict[str, list[Block]]:
    """The pages with blocks to run that fall to one of the two test modules.

    Pages are dealt out heaviest first to the lighter half, their weight
    counted from what they start: a Python process costs far more than a
    `curl`.
    """
    loads = [0.0] * HALVES
    found: dict[str, list[Block]] = {}
    weighed = []
    for page, text in pages().items():
        run = [block for block in blocks(page, text) if block.runs]
        if run:
            weighed.append((-_weight(run), page, run))
    for weight, page, run in sorted(weighed):
        lighter = loads.index(min(loads))
        loads[lighter] -= weight
        if lighter == half:
            found[page] = run
    return found


def _weight(run: list[Block]) -> float:
    texts = [command.text for block in run for command in commands(block)]
    heavy = sum(text.split()[0] in ("smtp-contract", "pytest") for text in texts)
    started = sum("smtp-mock serve" in text for text in texts)
    return 3 * heavy + started + 0.1 * len(texts)


@dataclass(frozen=True)
class Block:
    """One fenced code block of a page."""

    page: str
    line: int
    language: str
    text: str
    not_run: str | None
    """The reason given in a `<!-- not run: … -->` line just before it."""

    @property
    def where(self) -> str:
        return f"{self.page}:{self.line}"

    @property
    def is_recipe(self) -> bool:
        has_prompt = any(line.startswith("$ ") for line in self.text.splitlines())
        return self.language in SHELL_LANGUAGES or has_prompt

    @property
    def runs(self) -> bool:
        return self.language == "console" and self.not_run is None


@dataclass(frozen=True)
class Command:
    text: str
    expected: list[str]


def blocks(page: str, markdown: str) -> list[Block]:
    """The fenced blocks of a page, in order, dedented to their fence."""
    found: list[Block] = []
    lines = markdown.splitlines()
    index = 0
    while index < len(lines):
        opening = _FENCE.match(lines[index])
        if opening is None:
            index += 1
            continue
        indent, fence = len(opening["indent"]), opening["fence"]
        start = index
        body: list[str] = []
        index += 1
        while index < len(lines) and lines[index].strip() != fence:
            body.append(lines[index][indent:])
            index += 1
        index += 1
        before = [line for line in lines[:start] if line.strip()]
        marked = _NOT_RUN.match(before[-1]) if before else None
        language = (opening["info"].split() or [""])[0].lower()
        found.append(
            Block(
                page,
                start + 1,
                language,
                "\n".join(body),
                marked["reason"] if marked else None,
            )
        )
    return found


def commands(block: Block) -> list[Command]:
    """The commands of a `console` block, each with the output the page shows."""
    result: list[Command] = []
    lines = block.text.splitlines()
    index = 0
    while index < len(lines):
        line = lines[index]
        if not line.startswith("$ "):
            raise ValueError(f"{block.where}: output before the first `$ ` prompt")
        text = [line[2:]]
        index += 1
        while index < len(lines) and _continues("\n".join(text)):
            text.append(lines[index])
            index += 1
        expected: list[str] = []
        while index < len(lines) and not lines[index].startswith("$ "):
            expected.append(lines[index])
            index += 1
        result.append(Command("\n".join(text), expected))
    return result


def _continues(command: str) -> bool:
    """Whether the command goes on to the next line (as a shell would read it)."""
    heredoc = _HEREDOC.search(command)
    if heredoc is not None:
        body = command[heredoc.end() :].split("\n")[1:]
        return heredoc["word"] not in (line.strip() for line in body)
    return (
        command.endswith(("\\", "|", "&&"))
        or _open_quote(command)
        or _open_brace(command)
    )


def _open_brace(command: str) -> bool:
    """A function or group body (`f() {` … `}` lines) not closed yet."""
    depth = 0
    lines = command.split("\n")
    for index, line in enumerate(lines):
        if _open_quote("\n".join(lines[:index])):
            continue
        depth -= line.strip().startswith("}")
        depth += line.rstrip().endswith("{") and not _open_quote(
            "\n".join(lines[: index + 1])
        )
    return depth > 0


def _open_quote(command: str) -> bool:
    quote = ""
    escaped = False
    for char in command:
        if escaped:
            escaped = False
        elif char == "\\" and quote != "'":
            escaped = True
        elif quote:
            quote = "" if char == quote else quote
        elif char in "'\"":
            quote = char
    return bool(quote)


def matches(expected: list[str], actual: list[str]) -> bool:
    """Whether the output is what the page shows, `…` standing for anything."""
    patterns = [_line_pattern(line) for line in expected]

    @cache
    def match(i: int, j: int) -> bool:
        if i == len(patterns):
            return j == len(actual)
        if patterns[i] is None:
            return any(match(i + 1, k) for k in range(j, len(actual) + 1))
        pattern = patterns[i]
        assert pattern is not None
        return (
            j < len(actual)
            and bool(pattern.fullmatch(actual[j]))
            and match(i + 1, j + 1)
        )

    return match(0, 0)


def _line_pattern(line: str) -> re.Pattern[str] | None:
    if line.strip() == WILDCARD:
        return None
    parts = (re.escape(part) for part in line.rstrip().split(WILDCARD))
    return re.compile(".*?".join(parts))


def output_lines(text: str) -> list[str]:
    """Printed text as the page shows it: no trailing spaces or blank lines."""
    lines = [line.rstrip() for line in text.replace("\r\n", "\n").split("\n")]
    while lines and not lines[-1]:
        lines.pop()
    while lines and not lines[0]:
        lines.pop(0)
    return lines


def without_progress(lines: list[str]) -> list[str]:
    """Printed lines without the periodic `progress: ...` lines of a long run."""
    return [line for line in lines if not line.startswith("progress: ")]

"""Operations from where frontends keep them.

Three kinds of source, each found by its file name:

- record files (`.jsonl`, `.ndjson`) written by `smtp-mock serve
  --record-operations`: one operation per line;
- GraphQL documents (`.graphql`, `.gql`);
- JavaScript and TypeScript (`.js`, `.jsx`, `.mjs`, `.cjs`, `.ts`, `.tsx`,
  `.mts`, `.cts`, `.vue`, `.svelte`): every `gql` or `graphql` tagged template
  (also `graphql(`...`)` calls, as gql.tada writes them). Interpolations
  (`${Fragment}`) are blanked out; the fragments they bring are found by name
  among the fragments of every source, as graphql-inspector does.

Folders are searched for those files; patterns are globbed (`**` included),
so quoting one keeps a shell from expanding it.
"""

from __future__ import annotations

import glob
import json
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from graphql import (
    FragmentDefinitionNode,
    GraphQLError,
    OperationDefinitionNode,
    parse,
)

if TYPE_CHECKING:
    from collections.abc import Iterable, Iterator, Sequence

RECORD_SUFFIXES = frozenset({".jsonl", ".ndjson"})
DOCUMENT_SUFFIXES = frozenset({".graphql", ".gql"})
SCRIPT_SUFFIXES = frozenset(
    {".js", ".jsx", ".mjs", ".cjs", ".ts", ".tsx", ".mts", ".cts", ".vue", ".svelte"}
)
_SUFFIXES = RECORD_SUFFIXES | DOCUMENT_SUFFIXES | SCRIPT_SUFFIXES
_SKIPPED_FOLDERS = frozenset({"node_modules", ".git", "dist", "build", ".venv"})
_TAG = re.compile(r"\b(?:gql|graphql)\s*(?:<[^>`]*>)?\s*(?:\(\s*)?`")


@dataclass(frozen=True, slots=True)
class SourceOperation:
    """One operation and where it was found.

    Attributes:
        name: The operation's name (None when anonymous).
        source: The file it came from.
        line: Its first line in that file (1-based).
        operation: The parsed operation.
        fragments: The fragments defined beside it (same document).
    """

    name: str | None
    source: str
    line: int
    operation: OperationDefinitionNode
    fragments: dict[str, FragmentDefinitionNode]


@dataclass
class Sources:
    """Everything read from the given sources.

    Attributes:
        operations: Every operation, in file order.
        fragments: Every fragment of every source, by name (for templates
            that bring a fragment by interpolation).
        problems: (source, line, message) of text that is not GraphQL at all.
    """

    operations: list[SourceOperation] = field(default_factory=list)
    fragments: dict[str, FragmentDefinitionNode] = field(default_factory=dict)
    problems: list[tuple[str, int, str]] = field(default_factory=list)


def read_sources(patterns: Sequence[str]) -> Sources:
    """Read the operations of every file the patterns name.

    Raises:
        FileNotFoundError: a pattern matches no file it can read.
    """
    sources = Sources()
    for path in _files(patterns):
        text = path.read_text(encoding="utf-8", errors="replace")
        for first_line, document in _documents(path, text):
            _add(sources, str(path), first_line, document)
    return sources


def _files(patterns: Sequence[str]) -> Iterator[Path]:
    for pattern in patterns:
        matches = sorted(glob.glob(pattern, recursive=True)) or [pattern]
        found = False
        for match in matches:
            for path in _expand(Path(match)):
                found = True
                yield path
        if not found:
            raise FileNotFoundError(f"no operation source matches {pattern!r}")


def _expand(path: Path) -> Iterable[Path]:
    if path.is_file():
        return [path] if path.suffix in _SUFFIXES else []
    if path.is_dir():
        return sorted(
            p
            for p in path.rglob("*")
            if p.is_file()
            and p.suffix in _SUFFIXES
            and not _SKIPPED_FOLDERS & set(p.relative_to(path).parts)
        )
    return []


def _documents(path: Path, text: str) -> Iterator[tuple[int, str | None]]:
    if path.suffix in RECORD_SUFFIXES:
        return _recorded(text)
    if path.suffix in DOCUMENT_SUFFIXES:
        return iter([(1, text)])
    return _templates(text)


def _recorded(text: str) -> Iterator[tuple[int, str | None]]:
    """Each distinct recorded document once (several clients may send one)."""
    seen: set[str] = set()
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        try:
            document = str(json.loads(line)["document"])
        except (ValueError, KeyError, TypeError):
            yield number, None
            continue
        if document not in seen:
            seen.add(document)
            yield number, document


def _templates(text: str) -> Iterator[tuple[int, str | None]]:
    for match in _TAG.finditer(text):
        body = _template_body(text, match.end())
        if body is not None:
            yield text.count("\n", 0, match.end()) + 1, body


def _template_body(text: str, start: int) -> str | None:
    """The template's text from `start` to its closing backtick.

    Interpolations become spaces (newlines kept, so lines still match the file).
    """
    out: list[str] = []
    index = start
    while index < len(text):
        char = text[index]
        if char == "\\" and index + 1 < len(text):
            out.append(text[index + 1])
            index += 2
        elif char == "`":
            return "".join(out)
        elif text.startswith("${", index):
            end = _interpolation_end(text, index + 2)
            out.append("".join("\n" if c == "\n" else " " for c in text[index:end]))
            index = end
        else:
            out.append(char)
            index += 1
    return None


def _interpolation_end(text: str, index: int) -> int:
    depth = 1
    while index < len(text) and depth:
        depth += {"{": 1, "}": -1}.get(text[index], 0)
        index += 1
    return index


def _add(sources: Sources, source: str, first_line: int, text: str | None) -> None:
    if text is None:
        message = "not a recorded operation (a JSON object with a 'document')"
        sources.problems.append((source, first_line, message))
        return
    try:
        document = parse(text)
    except GraphQLError as error:
        line = error.locations[0].line if error.locations else 1
        sources.problems.append((source, first_line + line - 1, error.message))
        return
    fragments = {
        d.name.value: d
        for d in document.definitions
        if isinstance(d, FragmentDefinitionNode)
    }
    for name, fragment in fragments.items():
        sources.fragments.setdefault(name, fragment)
    for definition in document.definitions:
        if isinstance(definition, OperationDefinitionNode):
            line = definition.loc.start_token.line if definition.loc else 1
            sources.operations.append(
                SourceOperation(
                    definition.name.value if definition.name else None,
                    source,
                    first_line + line - 1,
                    definition,
                    fragments,
                )
            )

"""Operations from where frontends keep them.

Three kinds of source, each found by its file name:

- record files (`.jsonl`, `.ndjson`) written by `smtp-mock serve
  --record-operations`: one document per line, each distinct document once
  with the clients that sent it;
- GraphQL documents (`.graphql`, `.gql`): the whole file is one document
  (a file of type definitions only, a schema, is skipped);
- JavaScript and TypeScript (`.js`, `.jsx`, `.mjs`, `.cjs`, `.ts`, `.tsx`,
  `.mts`, `.cts`, `.vue`, `.svelte`): each GraphQL template is one document
  (see `_scripts` for what counts). An interpolated `${Name}` is resolved to
  the template that `Name` is bound to, in the same file or imported by a
  relative path from another file among the sources.

Folders are searched for those files; patterns are globbed (`**` included),
so quoting one keeps a shell from expanding it.
"""

from __future__ import annotations

import glob
import json
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

from graphql import (
    DocumentNode,
    FragmentDefinitionNode,
    GraphQLError,
    OperationDefinitionNode,
    Source,
    parse,
)

from contracts.errors import ConfigError
from contracts.tools.operations._positions import FileText, Origin, Position
from contracts.tools.operations._scripts import Script, Template, read_script

if TYPE_CHECKING:
    from collections.abc import Iterator, Sequence

RECORD_SUFFIXES = frozenset({".jsonl", ".ndjson"})
DOCUMENT_SUFFIXES = frozenset({".graphql", ".gql"})
SCRIPT_SUFFIXES = frozenset(
    {".js", ".jsx", ".mjs", ".cjs", ".ts", ".tsx", ".mts", ".cts", ".vue", ".svelte"}
)
_SUFFIXES = RECORD_SUFFIXES | DOCUMENT_SUFFIXES | SCRIPT_SUFFIXES
_SUFFIX_LIST = ", ".join(sorted(_SUFFIXES))
_SKIPPED_FOLDERS = frozenset({"node_modules", ".git", "dist", "build", ".next"})
_IMPORT_SUFFIXES = (".ts", ".tsx", ".js", ".jsx", ".mts", ".cts", ".mjs", ".cjs")


@dataclass(eq=False)
class SourceDocument:
    """One GraphQL document read from a source.

    Attributes:
        source: Its text, named by its file.
        document: The parsed document.
        origin: Maps offsets of the text to the file.
        kind: `record`, `document` (a `.graphql` file) or `template`.
        includes: The documents its interpolations stand for (templates).
        clients: Who sent it, for a record (`name/version` or User-Agent).
    """

    source: Source
    document: DocumentNode
    origin: Origin
    kind: Literal["record", "document", "template"]
    includes: list[SourceDocument] = field(default_factory=list)
    clients: tuple[str, ...] = ()

    def position(self, offset: int) -> Position:
        """Where a character offset of this document's text is in its file."""
        return self.origin.position(self.source.body, offset)

    @property
    def operations(self) -> list[OperationDefinitionNode]:
        """Its operations, in order."""
        return [
            d
            for d in self.document.definitions
            if isinstance(d, OperationDefinitionNode)
        ]

    @property
    def fragments(self) -> list[FragmentDefinitionNode]:
        """Its fragments, in order."""
        return [
            d
            for d in self.document.definitions
            if isinstance(d, FragmentDefinitionNode)
        ]


@dataclass(frozen=True, slots=True)
class Problem:
    """Text that could not be read as GraphQL, or a script part unread."""

    position: Position
    message: str
    severity: Literal["error", "warning"] = "error"


@dataclass
class Sources:
    """Everything read from the given sources."""

    documents: list[SourceDocument] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)


@dataclass(frozen=True, slots=True)
class Recorded:
    """One distinct recorded document: its first record and who sent it."""

    line: int
    entry: dict[str, Any]
    clients: tuple[str, ...]


def read_sources(patterns: Sequence[str]) -> Sources:
    """Read the documents of every file the patterns name.

    Raises:
        ConfigError: a pattern names no file that holds operations, or a file
            that cannot be read.
    """
    sources = Sources()
    scripts: dict[str, tuple[Script, dict[int, SourceDocument]]] = {}
    for path in dict.fromkeys(_files(patterns)):
        try:
            text = path.read_text(encoding="utf-8", errors="replace")
        except OSError as exc:
            raise ConfigError(f"cannot read {path}: {exc.strerror}") from exc
        file = FileText(str(path), text)
        if path.suffix in RECORD_SUFFIXES:
            _add_records(sources, file)
        elif path.suffix in DOCUMENT_SUFFIXES:
            _add(sources, file, text, Origin(file), "document")
        else:
            scripts[os.path.normpath(path)] = _add_script(sources, file, path.suffix)
    for script, documents in scripts.values():
        for template in script.templates:
            document = documents.get(id(template))
            if document is None:
                continue
            for name in template.names:
                found = _resolve(name, document.source.name, scripts, set())
                if found is not None and found is not document:
                    document.includes.append(found)
    return sources


def read_records(text: str) -> tuple[list[Recorded], list[int]]:
    """The distinct documents of a record file, and the lines that are not records.

    A document several clients sent is one `Recorded` (its first line), with
    every client in the order they were first seen.
    """
    found: dict[str, tuple[int, dict[str, Any], list[str]]] = {}
    bad: list[int] = []
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        try:
            entry = json.loads(line)
        except ValueError:
            entry = None
        if not isinstance(entry, dict) or not isinstance(entry.get("document"), str):
            bad.append(number)
            continue
        key = entry["document"]
        _, _, clients = found.setdefault(key, (number, entry, []))
        client = entry.get("client")
        if client and str(client) not in clients:
            clients.append(str(client))
    return [Recorded(n, e, tuple(c)) for n, e, c in found.values()], bad


def _files(patterns: Sequence[str]) -> Iterator[Path]:
    for pattern in patterns:
        matches = sorted(glob.glob(pattern, recursive=True))
        literal = not glob.has_magic(pattern)
        if not matches:
            raise ConfigError(
                f"no such file or folder: {pattern!r}"
                if literal
                else f"no file matches {pattern!r}"
            )
        found = False
        for match in map(Path, matches):
            if match.is_dir():
                for path in sorted(match.rglob("*")):
                    parts = set(path.relative_to(match).parts)
                    if path.suffix in _SUFFIXES and not _SKIPPED_FOLDERS & parts:
                        found = True
                        yield path
            elif match.suffix in _SUFFIXES:
                found = True
                yield match
            elif literal:
                raise ConfigError(
                    f"cannot read operations from {pattern!r}: "
                    f"not one of {_SUFFIX_LIST}"
                )
        if not found:
            raise ConfigError(f"no {_SUFFIX_LIST} file in {pattern!r}")


def _add(
    sources: Sources,
    file: FileText,
    text: str,
    origin: Origin,
    kind: Literal["record", "document", "template"],
    clients: tuple[str, ...] = (),
) -> SourceDocument | None:
    source = Source(text, file.path)
    try:
        document = parse(source)
    except GraphQLError as error:
        offset = next(iter(error.positions or [0]))
        position = origin.position(text, offset)
        sources.problems.append(Problem(position, error.message))
        return None
    read = SourceDocument(source, document, origin, kind, clients=clients)
    if kind == "document" and not (read.operations or read.fragments):
        return None  # a schema (type system only), not operations
    sources.documents.append(read)
    return read


def _add_records(sources: Sources, file: FileText) -> None:
    recorded, bad = read_records(file.text)
    for line in bad:
        message = "not a recorded operation (a JSON object with a 'document')"
        sources.problems.append(Problem(Position(file.path, line), message))
    for record in recorded:
        origin = Origin(file, record_line=record.line)
        text = record.entry["document"]
        _add(sources, file, text, origin, "record", record.clients)


def _add_script(
    sources: Sources, file: FileText, suffix: str
) -> tuple[Script, dict[int, SourceDocument]]:
    script = read_script(file.text, suffix)
    if script.syntax_error is not None:
        message = (
            "the JavaScript/TypeScript parser cannot read this part of the "
            "file: operations in it may be missed"
        )
        position = file.position(script.syntax_error)
        sources.problems.append(Problem(position, message, "warning"))
    documents: dict[int, SourceDocument] = {}
    for template in script.templates:
        origin = Origin(file, template.segments)
        document = _add(sources, file, template.text, origin, "template")
        if document is not None:
            documents[id(template)] = document
    return script, documents


_Scripts = dict[str, tuple[Script, dict[int, SourceDocument]]]


def _resolve(
    name: str, path: str, scripts: _Scripts, seen: set[tuple[str, str]]
) -> SourceDocument | None:
    """The document that `name`, as used in the file at `path`, stands for."""
    key = (os.path.normpath(path), name)
    if key in seen or key[0] not in scripts:
        return None
    seen.add(key)
    script, documents = scripts[key[0]]
    template: Template | None = script.bindings.get(name)
    if template is not None:
        return documents.get(id(template))
    if name in script.imports:
        module, imported = script.imports[name]
        target = _module(key[0], module, scripts)
        return _exported(imported, target, scripts, seen) if target else None
    return None


def _exported(
    name: str, path: str, scripts: _Scripts, seen: set[tuple[str, str]]
) -> SourceDocument | None:
    key = (f"export {path}", name)
    if key in seen:
        return None
    seen.add(key)
    script, _ = scripts[path]
    if name in script.exports:
        return _resolve(script.exports[name], path, scripts, seen)
    for module, imported, exported in script.reexports:
        target = _module(path, module, scripts)
        if target is None or exported not in {name, "*"}:
            continue
        found = _exported(name if exported == "*" else imported, target, scripts, seen)
        if found is not None:
            return found
    return None


def _module(importer: str, module: str, scripts: _Scripts) -> str | None:
    """The file among the sources that a relative import names, if any."""
    if not module.startswith("."):
        return None  # a package or a path alias: not resolved
    base = os.path.normpath(os.path.join(os.path.dirname(importer), module))
    stem, suffix = os.path.splitext(base)
    candidates = [base]
    if suffix in {".js", ".mjs", ".cjs", ".jsx"}:  # TypeScript's ESM imports
        candidates += [stem + s for s in (".ts", ".tsx", ".mts", ".cts")]
    candidates += [base + s for s in _IMPORT_SUFFIXES]
    candidates += [os.path.join(base, "index" + s) for s in _IMPORT_SUFFIXES]
    return next((c for c in candidates if c in scripts), None)

"""Where a character of an extracted GraphQL text sits in its file.

A template's GraphQL text is not a slice of its file: interpolations are
blanked and escape sequences cooked. `Origin` keeps, for each run of the text
copied one to one, where the run starts in the file, so that an error's offset
in the GraphQL text becomes the file's own line and column.
"""

from __future__ import annotations

import bisect
from dataclasses import dataclass
from functools import cached_property


@dataclass(frozen=True, slots=True)
class Position:
    """A place in a source file, as editors and CI annotations read it.

    Attributes:
        path: The file.
        line: 1-based line.
        column: 1-based column, or None inside a record (a JSON string).
        detail: Where inside a recorded document, for a record.
    """

    path: str
    line: int
    column: int | None = None
    detail: str = ""

    def __str__(self) -> str:
        place = f"{self.path}:{self.line}"
        return f"{place}:{self.column}" if self.column is not None else place


class FileText:
    """A file's text and its line starts, shared by every document it holds."""

    def __init__(self, path: str, text: str) -> None:
        self.path = path
        self.text = text

    @cached_property
    def line_starts(self) -> list[int]:
        starts = [0]
        starts += [i + 1 for i, char in enumerate(self.text) if char == "\n"]
        return starts

    def position(self, offset: int) -> Position:
        """The line and column of a character offset of the file."""
        line = bisect.bisect_right(self.line_starts, offset)
        return Position(self.path, line, offset - self.line_starts[line - 1] + 1)


@dataclass(frozen=True, slots=True)
class Origin:
    """Maps offsets of one extracted GraphQL text to its file.

    Attributes:
        file: The file the text was read from.
        segments: `(text offset, file offset)` where each run copied one to
            one starts, in order; `((0, start),)` for a plain slice.
        record_line: For a recorded document, the line of its record: its
            positions are that line, with the place inside the document as
            `detail`.
    """

    file: FileText
    segments: tuple[tuple[int, int], ...] = ((0, 0),)
    record_line: int | None = None

    def position(self, text: str, offset: int) -> Position:
        """Where `text[offset]` (the GraphQL text of this origin) is."""
        if self.record_line is not None:
            line = text.count("\n", 0, offset) + 1
            column = offset - (text.rfind("\n", 0, offset) + 1) + 1
            detail = f"line {line}, column {column} of the recorded document"
            return Position(self.file.path, self.record_line, None, detail)
        index = bisect.bisect_right([s[0] for s in self.segments], offset) - 1
        text_start, file_start = self.segments[max(index, 0)]
        return self.file.position(file_start + max(offset - text_start, 0))

"""The `<script>` blocks of Vue and Svelte single-file components.

Read with the standard library's HTML parser, which keeps a script's content
as raw text (a `<` or a `}` in it is JavaScript's), and gives each block's
offset so that positions inside it are the file's own.
"""

from __future__ import annotations

from html.parser import HTMLParser


class _ScriptBlocks(HTMLParser):
    def __init__(self, text: str) -> None:
        super().__init__(convert_charrefs=False)
        self.lines = [0] + [i + 1 for i, c in enumerate(text) if c == "\n"]
        self.blocks: list[tuple[int, int, str]] = []
        self._open: tuple[int, str] | None = None

    def _offset(self) -> int:
        line, column = self.getpos()
        return self.lines[line - 1] + column

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "script":
            start = self._offset() + len(self.get_starttag_text() or "")
            self._open = (start, (dict(attrs).get("lang") or "js").lower())

    def handle_endtag(self, tag: str) -> None:
        if tag == "script" and self._open is not None:
            start, lang = self._open
            self.blocks.append((start, self._offset(), lang))
            self._open = None


def script_blocks(text: str) -> list[tuple[int, str, str]]:
    """`(offset, text, lang)` of each `<script>` block of a Vue/Svelte file."""
    parser = _ScriptBlocks(text)
    parser.feed(text)
    parser.close()
    return [(start, text[start:end], lang) for start, end, lang in parser.blocks]

"""GraphQL templates in JavaScript and TypeScript, found by a real parser.

Files are parsed by tree-sitter with its JavaScript and TypeScript grammars
(the parsers GitHub, Neovim and Zed use; wheels for every platform, so no
Node.js at run time). Only syntax counts: a `gql` in a comment or a string is
text, and a `}` inside a string within `${...}` is the string's. Found:

- templates tagged `gql` or `graphql` (also `gql<T>`, `x.gql`);
- calls `graphql(`...`)` / `gql("...")`, as gql.tada writes them, whose
  second argument (`[Fragment]`) brings fragments like an interpolation does;
- templates right after a `/* GraphQL */` comment (editors, codegen);
- in `.vue` and `.svelte` files, the same inside each `<script>` block.

Interpolations (`${Fragment}`) are blanked, newlines kept, and their names
returned, together with what the file binds, imports and exports, so that
`sources` can resolve each name to the template it stands for.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cache
from typing import TYPE_CHECKING

from contracts.tools.operations._blocks import script_blocks

if TYPE_CHECKING:
    from tree_sitter import Node, Parser

_TAGS = frozenset({"gql", "graphql"})
_MAGIC_COMMENT = re.compile(r"/\*\s*graphql\s*\*/", re.IGNORECASE)
# Wrappers that leave the value a template (`gql`...` as const`, `(gql`...`)`).
_WRAPPERS = frozenset(
    {
        "parenthesized_expression",
        "as_expression",
        "satisfies_expression",
        "non_null_expression",
        "type_assertion",
        "instantiation_expression",
    }
)
_ESCAPES = {"n": "\n", "t": "\t", "r": "\r", "b": "\b", "f": "\f", "v": "\v"}
_GRAMMAR_BY_SUFFIX = {
    ".ts": "typescript",
    ".mts": "typescript",
    ".cts": "typescript",
    ".tsx": "tsx",
}
_GRAMMAR_BY_LANG = {"ts": "typescript", "typescript": "typescript", "tsx": "tsx"}


@dataclass(frozen=True, slots=True)
class Template:
    """One GraphQL text found in a script.

    Attributes:
        text: The GraphQL, interpolations blanked and escapes cooked.
        segments: `(text offset, file offset)` of each run copied one to one.
        names: Expressions interpolated (`${Fragment}`) or passed as gql.tada
            fragments, as written (`Fragment`, `fragments.user`).
    """

    text: str
    segments: tuple[tuple[int, int], ...]
    names: tuple[str, ...]


@dataclass
class Script:
    """What one script file holds, for the templates and their names.

    Attributes:
        templates: Every GraphQL template, in file order.
        bindings: Local name (`default` for `export default`) to template.
        imports: Local name to (module specifier, imported name).
        exports: Exported name to local name.
        reexports: (module, imported, exported) of `export ... from`; `*` for
            `export * from`.
        syntax_error: File offset of the first part the parser could not read.
    """

    templates: list[Template] = field(default_factory=list)
    bindings: dict[str, Template] = field(default_factory=dict)
    imports: dict[str, tuple[str, str]] = field(default_factory=dict)
    exports: dict[str, str] = field(default_factory=dict)
    reexports: list[tuple[str, str, str]] = field(default_factory=list)
    syntax_error: int | None = None


def read_script(text: str, suffix: str) -> Script:
    """The templates and module bindings of a script file's text."""
    script = Script()
    if suffix in {".vue", ".svelte"}:
        for start, body, lang in script_blocks(text):
            _read(script, body, start, _GRAMMAR_BY_LANG.get(lang, "javascript"))
    else:
        _read(script, text, 0, _GRAMMAR_BY_SUFFIX.get(suffix, "javascript"))
    return script


@cache
def _parser(grammar: str) -> Parser:
    from tree_sitter import Language, Parser

    if grammar == "javascript":
        import tree_sitter_javascript

        return Parser(Language(tree_sitter_javascript.language()))
    import tree_sitter_typescript

    language = (
        tree_sitter_typescript.language_tsx()
        if grammar == "tsx"
        else tree_sitter_typescript.language_typescript()
    )
    return Parser(Language(language))


class _Chunk:
    """One parsed text: its bytes, and where its characters sit in the file."""

    def __init__(self, text: str, start: int) -> None:
        self.data = text.encode("utf-8")
        self.start = start
        self.ascii = self.data.isascii()
        self.used: set[int] = set()  # template nodes already read

    def offset(self, byte: int) -> int:
        """The file's character offset of a byte of this chunk."""
        if self.ascii:
            return self.start + byte
        return self.start + len(self.data[:byte].decode("utf-8", errors="replace"))

    def text(self, node: Node) -> str:
        return self.data[node.start_byte : node.end_byte].decode("utf-8", "replace")


def _read(script: Script, text: str, start: int, grammar: str) -> None:
    chunk = _Chunk(text, start)
    tree = _parser(grammar).parse(chunk.data)
    found: dict[tuple[int, int], Template] = {}
    strings: dict[int, Node] = {}
    magic_ends: list[int] = []
    declarators: list[tuple[str, Node]] = []
    stack = [tree.root_node]
    while stack:
        node = stack.pop()
        stack.extend(reversed(node.children))
        kind = node.type
        if node.is_error and script.syntax_error is None:
            script.syntax_error = chunk.offset(node.start_byte)
        elif kind == "template_string":
            strings[node.start_byte] = node
        elif kind == "comment" and _MAGIC_COMMENT.fullmatch(chunk.text(node)):
            magic_ends.append(node.end_byte)
        elif kind in {"call_expression", "binary_expression"}:
            _tagged(chunk, node, found)
        elif kind == "variable_declarator":
            _declarator(chunk, node, declarators)
        elif kind == "import_statement":
            _import(chunk, node, script)
        elif kind == "export_statement":
            _export(chunk, node, script, declarators)
    _after_magic_comments(chunk, magic_ends, strings, found)
    script.templates += [found[key] for key in sorted(found)]
    for bound, value in declarators:
        template = found.get(_span(value))
        if template is not None:
            script.bindings.setdefault(bound, template)


def _after_magic_comments(
    chunk: _Chunk,
    ends: list[int],
    strings: dict[int, Node],
    found: dict[tuple[int, int], Template],
) -> None:
    """The templates right after a `/* GraphQL */` comment, unless read already."""
    for end in ends:
        after = len(chunk.data[end:]) - len(chunk.data[end:].lstrip())
        string = strings.get(end + after)
        if string is not None and string.start_byte not in chunk.used:
            found.setdefault(_span(string), _template(chunk, string, ()))


def _declarator(chunk: _Chunk, node: Node, declarators: list[tuple[str, Node]]) -> None:
    name, value = node.child_by_field_name("name"), _value(node)
    if name is not None and name.type == "identifier" and value is not None:
        declarators.append((chunk.text(name), value))


def _span(node: Node) -> tuple[int, int]:
    return node.start_byte, node.end_byte


def _value(node: Node) -> Node | None:
    value = node.child_by_field_name("value")
    while value is not None and value.type in _WRAPPERS and value.named_children:
        value = value.named_children[0]
    return value


def _tag(chunk: _Chunk, node: Node | None) -> str | None:
    while node is not None and node.type in _WRAPPERS and node.named_children:
        node = node.named_children[0]
    if node is None:
        return None
    if node.type == "member_expression":
        node = node.child_by_field_name("property")
    return chunk.text(node) if node is not None else None


def _tagged(chunk: _Chunk, node: Node, found: dict[tuple[int, int], Template]) -> None:
    if node.type == "binary_expression":
        # tree-sitter-typescript reads `gql<T>`...`` as `(gql < T) > `...``
        # (tree-sitter/tree-sitter-typescript#341): accept that shape only.
        left, right = (
            node.child_by_field_name("left"),
            node.child_by_field_name("right"),
        )
        if (
            left is not None
            and right is not None
            and right.type == "template_string"
            and left.type == "binary_expression"
            and _tag(chunk, left.child_by_field_name("left")) in _TAGS
        ):
            found[_span(node)] = _template(chunk, right, ())
        return
    if _tag(chunk, node.child_by_field_name("function")) not in _TAGS:
        return
    arguments = node.child_by_field_name("arguments")
    if arguments is None:
        return
    if arguments.type == "template_string":
        found[_span(node)] = _template(chunk, arguments, ())
        return
    given = arguments.named_children
    given = [n for n in given if n.type != "comment"]
    if given and given[0].type in {"template_string", "string"}:
        fragments = given[1].named_children if len(given) > 1 else []
        names = tuple(chunk.text(n) for n in fragments if n.type != "comment")
        found[_span(node)] = _template(chunk, given[0], names)


def _template(chunk: _Chunk, node: Node, extra: tuple[str, ...]) -> Template:
    """The cooked text of a template or string node, with its segments."""
    chunk.used.add(node.start_byte)
    pieces: list[str] = []
    segments: list[tuple[int, int]] = []
    names: list[str] = []
    length = 0
    cursor = node.start_byte + 1
    end = node.end_byte - 1

    def copy(upto: int) -> None:
        nonlocal length
        if upto > cursor:
            raw = chunk.data[cursor:upto].decode("utf-8", errors="replace")
            segments.append((length, chunk.offset(cursor)))
            pieces.append(raw)
            length += len(raw)

    for child in node.named_children:
        if child.type not in {"template_substitution", "escape_sequence"}:
            continue
        copy(child.start_byte)
        raw = chunk.text(child)
        if child.type == "escape_sequence":
            cooked = _cook(raw)
        else:
            expression = [n for n in child.named_children if n.type != "comment"]
            names += [chunk.text(n) for n in expression[:1]]
            cooked = "".join("\n" if c == "\n" else " " for c in raw)
        segments.append((length, chunk.offset(child.start_byte)))
        pieces.append(cooked)
        length += len(cooked)
        cursor = child.end_byte
    copy(end)
    return Template("".join(pieces), tuple(segments) or ((0, 0),), (*names, *extra))


def _cook(escape: str) -> str:
    """A JavaScript escape sequence's value (as a tag function receives it)."""
    body = escape[1:]
    if not body or body[0] in "\r\n\u2028\u2029":
        return ""  # a line continuation
    if body in _ESCAPES:
        return _ESCAPES[body]
    if body[0] in "xu" and len(body) > 1:
        try:
            return chr(int(body[1:].strip("{}"), 16))
        except ValueError:
            return body
    return "\0" if body == "0" else body


def _import(chunk: _Chunk, node: Node, script: Script) -> None:
    source = node.child_by_field_name("source")
    clause = next((c for c in node.named_children if c.type == "import_clause"), None)
    if source is None or clause is None:
        return
    module = chunk.text(source)[1:-1]
    for child in clause.named_children:
        if child.type == "identifier":
            script.imports[chunk.text(child)] = (module, "default")
        elif child.type == "named_imports":
            for spec in child.named_children:
                name = spec.child_by_field_name("name")
                alias = spec.child_by_field_name("alias") or name
                if name is not None and alias is not None:
                    script.imports[chunk.text(alias)] = (module, chunk.text(name))


def _export(
    chunk: _Chunk, node: Node, script: Script, declarators: list[tuple[str, Node]]
) -> None:
    source = node.child_by_field_name("source")
    module = chunk.text(source)[1:-1] if source is not None else None
    clause = next((c for c in node.named_children if c.type == "export_clause"), None)
    if clause is None and module is not None:
        script.reexports.append((module, "*", "*"))
    elif clause is not None:
        for spec in clause.named_children:
            name = spec.child_by_field_name("name")
            alias = spec.child_by_field_name("alias") or name
            if name is None or alias is None:
                continue
            if module is not None:
                script.reexports.append((module, chunk.text(name), chunk.text(alias)))
            else:
                script.exports[chunk.text(alias)] = chunk.text(name)
    declaration = node.child_by_field_name("declaration")
    if declaration is not None:
        for declarator in declaration.named_children:
            name = declarator.child_by_field_name("name")
            if declarator.type == "variable_declarator" and name is not None:
                script.exports[chunk.text(name)] = chunk.text(name)
    value = _value(node)
    if value is None and any(c.type == "default" for c in node.children):
        value = node.named_children[-1] if node.named_children else None
    if value is not None and clause is None and declaration is None:
        declarators.append(("default", value))
        script.exports["default"] = "default"

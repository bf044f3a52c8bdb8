"""The frontend's operations, recorded while its developers work.

`smtp-mock serve --record-operations FILE` appends each distinct operation a
client sends to FILE as one JSON line: the normalized document (the operation
and the fragments it uses, printed by graphql-core, every literal masked), its
SHA-256, its name and type, its variables' names and types, the schema
coordinates it selects (`Type.field`), and the client's name.

No value is recorded: variable values are data (addresses, passwords), not the
shape of the contract, and neither are literals written in the document
(`password: "..."` inline). As in Apollo's operation signatures, strings
become `""`, numbers `0` and lists `[]`; an input object keeps its field names
(schema vocabulary) with their values masked, so that the recorded document
stays valid against the schema and can be checked and replayed. Booleans,
enum values and null, which hold no secret, are kept.

`smtp-contract operations check` reads these files back.
"""

from __future__ import annotations

import hashlib
import json
from collections import OrderedDict
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from graphql import (
    DocumentNode,
    FieldNode,
    FragmentDefinitionNode,
    IntValueNode,
    ListValueNode,
    OperationDefinitionNode,
    StringValueNode,
    TypeInfo,
    TypeInfoVisitor,
    Visitor,
    get_named_type,
    print_ast,
    visit,
)

from mock_server.graphql.documents import used_fragments

if TYPE_CHECKING:
    from pathlib import Path

    from graphql import GraphQLSchema

    from mock_server._types import JSONObject

# 2: literals masked (issue #27); 1 kept them.
FORMAT_VERSION = 2
_TEXT_CACHE_SIZE = 4096


@dataclass(frozen=True, slots=True)
class RecordedOperation:
    """One operation as the record file holds it (see the module docstring)."""

    hash: str
    name: str | None
    type: str
    document: str
    variables: tuple[tuple[str, str], ...]
    fields: tuple[str, ...]
    client: str

    def to_json(self) -> JSONObject:
        """The record's JSON line, as a dict."""
        return {
            "version": FORMAT_VERSION,
            "hash": self.hash,
            "operationName": self.name,
            "operationType": self.type,
            "document": self.document,
            "variables": [{"name": n, "type": t} for n, t in self.variables],
            "fields": list(self.fields),
            "client": self.client,
            "recordedAt": datetime.now(UTC).isoformat(timespec="seconds"),
        }


def describe_operation(
    schema: GraphQLSchema,
    document: DocumentNode,
    operation: OperationDefinitionNode,
    client: str,
) -> RecordedOperation:
    """Normalize one operation of a (valid) document for the record."""
    fragments = {
        d.name.value: d
        for d in document.definitions
        if isinstance(d, FragmentDefinitionNode)
    }
    used = sorted(used_fragments(operation, fragments), key=lambda f: f.name.value)
    masked = mask_literals(DocumentNode(definitions=(operation, *used)))
    normalized = print_ast(masked)
    return RecordedOperation(
        hash=hashlib.sha256(normalized.encode()).hexdigest(),
        name=operation.name.value if operation.name else None,
        type=operation.operation.value,
        document=normalized,
        variables=tuple(
            (d.variable.name.value, print_ast(d.type))
            for d in operation.variable_definitions or ()
        ),
        fields=_coordinates(schema, masked),
        client=client,
    )


class _MaskedLiterals(Visitor):
    def enter_string_value(self, *_: Any) -> StringValueNode:
        return StringValueNode(value="")

    def enter_int_value(self, *_: Any) -> IntValueNode:
        return IntValueNode(value="0")

    def enter_float_value(self, *_: Any) -> IntValueNode:
        return IntValueNode(value="0")

    def enter_list_value(self, *_: Any) -> ListValueNode:
        return ListValueNode(values=())


def mask_literals(document: DocumentNode) -> DocumentNode:
    """The document with no literal value left (see the module docstring).

    Example:
        `login(password: "hunter2", retries: 3, tags: ["a"])` is recorded as
        `login(password: "", retries: 0, tags: [])`.
    """
    masked: DocumentNode = visit(document, _MaskedLiterals())
    return masked


def _coordinates(schema: GraphQLSchema, document: DocumentNode) -> tuple[str, ...]:
    type_info = TypeInfo(schema)
    seen: set[str] = set()

    class _Fields(Visitor):
        def enter_field(self, node: FieldNode, *_: Any) -> None:
            parent = type_info.get_parent_type()
            if parent is not None and not node.name.value.startswith("__"):
                seen.add(f"{get_named_type(parent).name}.{node.name.value}")

    visit(document, TypeInfoVisitor(type_info, _Fields()))
    return tuple(sorted(seen))


class OperationRecorder:
    """Appends each distinct (operation, client) pair to a JSON lines file once.

    Lines already in the file count as seen, so a restart adds no duplicates.

    Args:
        path: The file; created with its folder when missing.
        schema: The served schema, to name the coordinates an operation selects.
    """

    def __init__(self, path: Path, schema: GraphQLSchema) -> None:
        self.path = path
        self.schema = schema
        self._seen: set[tuple[str, str]] = set(_recorded_keys(path))
        # Query texts already handled: the request path pays a set lookup, not
        # a print and a hash, for every operation it has met before. Bounded,
        # so that a flood of distinct texts (a fuzzer) cannot grow it forever.
        self._texts: OrderedDict[tuple[str, str | None, str], None] = OrderedDict()
        path.parent.mkdir(parents=True, exist_ok=True)

    def record(
        self,
        query: str,
        document: DocumentNode,
        operation: OperationDefinitionNode,
        client: str,
    ) -> bool:
        """Record one operation of a valid document; return whether it was new.

        Introspection (GraphiQL, codegen) is tooling, not the frontend's
        contract: an operation selecting only `__schema`/`__type` is skipped.
        """
        if _only_introspection(operation):
            return False
        name = operation.name.value if operation.name else None
        text_key = (query, name, client)
        if text_key in self._texts:
            return False
        self._texts[text_key] = None
        if len(self._texts) > _TEXT_CACHE_SIZE:
            self._texts.popitem(last=False)
        described = describe_operation(self.schema, document, operation, client)
        key = (described.hash, client)
        if key in self._seen:
            return False
        self._seen.add(key)
        line = json.dumps(described.to_json(), ensure_ascii=False) + "\n"
        # One write of one line in append mode: processes sharing the file
        # (serve --workers) never interleave inside a line.
        with self.path.open("a", encoding="utf-8") as file:
            file.write(line)
        return True


def _only_introspection(operation: OperationDefinitionNode) -> bool:
    return all(
        isinstance(selection, FieldNode) and selection.name.value.startswith("__")
        for selection in operation.selection_set.selections
    )


def _recorded_keys(path: Path) -> list[tuple[str, str]]:
    if not path.is_file():
        return []
    keys = []
    for line in path.read_text(encoding="utf-8").splitlines():
        try:
            entry = json.loads(line)
            keys.append((str(entry["hash"]), str(entry.get("client", ""))))
        except (ValueError, KeyError, TypeError):
            continue  # a line cut short by a crash; `operations check` reports it
    return keys


def client_name(headers: Any) -> str:
    """Who sent a request: Apollo's client name header, else the User-Agent."""
    name = headers.get("apollographql-client-name")
    if name:
        version = headers.get("apollographql-client-version")
        return f"{name}/{version}" if version else str(name)
    return str(headers.get("user-agent") or "unknown")

"""The upstream API's schema, read by introspection and extended by the local SDL.

`smtp-mock serve --upstream URL` serves one API: the local SDL's types and root
fields (resolved by the mock) on top of everything else the upstream has
(forwarded, see `mock_server.graphql.forwarding`). The merge works on SDL text,
so the result goes through the same loading and checks as any `--schema` file:

- a type only one side has is taken as it is;
- a type both sides have, of the same kind, is the local definition plus the
  upstream's extra fields, input fields, enum values or union members (local
  fields win where both define one);
- a type both sides have with different kinds is a conflict: the two cannot be
  one API, and `serve` stops naming it.

The upstream's root types may have other names (`RootQuery`); their fields
join the local `Query` and `Mutation`. Subscriptions are left out: the mock
serves none.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import httpx
from graphql import (
    DirectiveDefinitionNode,
    DocumentNode,
    EnumTypeDefinitionNode,
    EnumTypeExtensionNode,
    GraphQLError,
    InputObjectTypeDefinitionNode,
    InputObjectTypeExtensionNode,
    InterfaceTypeDefinitionNode,
    InterfaceTypeExtensionNode,
    NamedTypeNode,
    NameNode,
    ObjectTypeDefinitionNode,
    ObjectTypeExtensionNode,
    SchemaDefinitionNode,
    TypeDefinitionNode,
    UnionTypeDefinitionNode,
    UnionTypeExtensionNode,
    Visitor,
    build_client_schema,
    build_schema,
    get_introspection_query,
    parse,
    print_ast,
    print_schema,
    validate_schema,
    visit,
)

from mock_server.errors import ConfigurationError

if TYPE_CHECKING:
    from graphql import GraphQLSchema

_KIND_NAMES = {
    ObjectTypeDefinitionNode: "an object type",
    InterfaceTypeDefinitionNode: "an interface",
    UnionTypeDefinitionNode: "a union",
    EnumTypeDefinitionNode: "an enum",
    InputObjectTypeDefinitionNode: "an input type",
}


class UpstreamError(ConfigurationError):
    """The upstream API's schema cannot be read, or cannot join the local SDL."""


@dataclass(frozen=True, slots=True)
class UpstreamSchema:
    """What `serve --upstream` learned at start.

    Attributes:
        sdl: The merged SDL: local definitions extended by the upstream's.
        local_roots: Root field names per operation type (`query`, `mutation`)
            that the local SDL defines: the ones the mock resolves itself.
    """

    sdl: str
    local_roots: dict[str, frozenset[str]]


def fetch_schema(
    url: str, *, token: str | None = None, timeout: float = 10.0
) -> GraphQLSchema:
    """Read the upstream schema by introspection.

    Raises:
        UpstreamError: the upstream cannot be reached, refuses, or its answer
            is not an introspection result. The token is never in the message.
    """
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    query = get_introspection_query(descriptions=True)
    try:
        response = httpx.post(
            url, json={"query": query}, headers=headers, timeout=timeout
        )
    except httpx.HTTPError as exc:
        raise UpstreamError(
            f"upstream {url} cannot be reached: {type(exc).__name__}"
        ) from exc
    try:
        body = response.json()
        data = body["data"]
        return build_client_schema(data)
    except (ValueError, KeyError, TypeError, GraphQLError) as exc:
        raise UpstreamError(
            f"upstream {url} answered HTTP {response.status_code} without a "
            "usable introspection result (is introspection enabled, and the "
            "token set in SMTP_MOCK_UPSTREAM_TOKEN?)"
        ) from exc


def merge_schemas(local_sdl: str, upstream: GraphQLSchema) -> UpstreamSchema:
    """Extend the local SDL with every upstream definition it lacks.

    Raises:
        UpstreamError: a type is defined with different kinds on each side.
    """
    local = parse(local_sdl)
    local_types = {
        d.name.value: d for d in local.definitions if isinstance(d, TypeDefinitionNode)
    }
    local_directives = {
        d.name.value
        for d in local.definitions
        if isinstance(d, DirectiveDefinitionNode)
    }
    root_names = _local_root_names(local)
    renames = {
        upstream_root.name: root_names[operation]
        for operation, upstream_root in (
            ("query", upstream.query_type),
            ("mutation", upstream.mutation_type),
        )
        if upstream_root is not None
    }
    skipped = {upstream.subscription_type.name} if upstream.subscription_type else set()

    remote = _renamed(parse(print_schema(upstream)), renames)
    additions: list[Any] = []
    for definition in remote.definitions:
        if isinstance(definition, SchemaDefinitionNode):
            continue
        if isinstance(definition, DirectiveDefinitionNode):
            if definition.name.value not in local_directives:
                additions.append(definition)
            continue
        assert isinstance(definition, TypeDefinitionNode)
        name = definition.name.value
        if name in skipped:
            continue
        mine = local_types.get(name)
        if mine is None:
            additions.append(definition)
            continue
        extension = _extension(mine, definition)
        if extension is not None:
            additions.append(extension)
    merged = local_sdl.rstrip() + "\n\n" + "\n\n".join(map(print_ast, additions))
    _check_merged(merged)
    local_roots = {
        operation: _field_names(local_types.get(name))
        for operation, name in root_names.items()
    }
    return UpstreamSchema(merged + "\n", local_roots)


def _check_merged(sdl: str) -> None:
    try:
        problems = validate_schema(build_schema(sdl))
    except (GraphQLError, TypeError) as exc:
        message = f"the upstream schema cannot extend the local SDL: {exc}"
        raise UpstreamError(message) from exc
    if problems:
        raise UpstreamError(
            f"the upstream schema cannot extend the local SDL: {problems[0].message}"
        )


def _local_root_names(local: DocumentNode) -> dict[str, str]:
    names = {"query": "Query", "mutation": "Mutation"}
    for definition in local.definitions:
        if isinstance(definition, SchemaDefinitionNode):
            for operation in definition.operation_types:
                names[operation.operation.value] = operation.type.name.value
    return names


def _field_names(definition: TypeDefinitionNode | None) -> frozenset[str]:
    fields = getattr(definition, "fields", None) or ()
    return frozenset(field.name.value for field in fields)


def _renamed(document: DocumentNode, renames: dict[str, str]) -> DocumentNode:
    """The upstream's SDL with its root types named as the local ones."""
    renames = {old: new for old, new in renames.items() if old != new}
    if not renames:
        return document

    class _Rename(Visitor):
        def enter_named_type(self, node: NamedTypeNode, *_: object) -> Any:
            new = renames.get(node.name.value)
            return None if new is None else NamedTypeNode(name=NameNode(value=new))

        def enter_object_type_definition(
            self, node: ObjectTypeDefinitionNode, *_: object
        ) -> Any:
            new = renames.get(node.name.value)
            if new is None:
                return None
            return ObjectTypeDefinitionNode(
                name=NameNode(value=new),
                description=node.description,
                interfaces=node.interfaces,
                directives=node.directives,
                fields=node.fields,
            )

    renamed = visit(document, _Rename())
    assert isinstance(renamed, DocumentNode)
    return renamed


def _extension(mine: TypeDefinitionNode, theirs: TypeDefinitionNode) -> Any:
    """The part of an upstream type the local one lacks, as an SDL extension."""
    if type(mine) is not type(theirs):
        raise UpstreamError(
            f"type {mine.name.value} is {_kind(mine)} in the local SDL but "
            f"{_kind(theirs)} upstream; rename one of them"
        )
    name = NameNode(value=mine.name.value)
    if isinstance(theirs, UnionTypeDefinitionNode):
        have = {t.name.value for t in getattr(mine, "types", None) or ()}
        members = tuple(t for t in theirs.types or () if t.name.value not in have)
        return UnionTypeExtensionNode(name=name, types=members) if members else None
    if isinstance(theirs, EnumTypeDefinitionNode):
        have = {v.name.value for v in getattr(mine, "values", None) or ()}
        values = tuple(v for v in theirs.values or () if v.name.value not in have)
        return EnumTypeExtensionNode(name=name, values=values) if values else None
    fields_of_theirs = getattr(theirs, "fields", None)
    if fields_of_theirs is None:  # scalars: nothing to add
        return None
    known = _field_names(mine)
    fields = tuple(f for f in fields_of_theirs if f.name.value not in known)
    if not fields:
        return None
    extension_type = {
        ObjectTypeDefinitionNode: ObjectTypeExtensionNode,
        InterfaceTypeDefinitionNode: InterfaceTypeExtensionNode,
        InputObjectTypeDefinitionNode: InputObjectTypeExtensionNode,
    }[type(theirs)]
    return extension_type(name=name, fields=fields)


def _kind(definition: TypeDefinitionNode) -> str:
    return _KIND_NAMES.get(type(definition), "a scalar")

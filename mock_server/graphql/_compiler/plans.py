"""Compiled operations: graphql-core's results without its per-request planning.

On every request graphql-core's `execute` works out again what a validated
document already fixes: which fields run, their definitions, resolvers, return
types and how each value is completed. For an operation whose shape cannot
depend on its variables, `compile_operation` works all of that out once, when
the document enters the executor's cache; a request then only coerces its
variables, calls resolvers and completes values.

A plan follows graphql-core 3.2's algorithm step for step: mutation fields run
one after another, errors are located at the same nodes and paths, nulls
propagate to the nearest nullable parent, and the errors are sorted the same
way. It calls graphql-core's own functions for arguments, scalar serialization
and error locating, and its variable coercion wherever
`mock_server.graphql._compiler.coercion` is unsure. What a plan does per
request (resolving, completing values) is in `completion.py`.
`tests/mock_server/graphql/test_compiled.py` runs generated operations through both and
requires identical results. Whatever a plan could not reproduce exactly is left
to graphql-core: `compile_operation` then returns None.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from graphql import (
    DirectiveNode,
    ExecutionResult,
    FieldNode,
    FragmentDefinitionNode,
    GraphQLBoolean,
    GraphQLError,
    GraphQLID,
    GraphQLList,
    GraphQLNonNull,
    GraphQLObjectType,
    GraphQLString,
    OperationDefinitionNode,
    OperationType,
    TypeNameMetaFieldDef,
    get_variable_values,
    is_leaf_type,
)
from graphql.execution.collect_fields import collect_fields, collect_sub_fields
from graphql.language import Visitor, visit

from mock_server.graphql._compiler.coercion import (
    Unsure,
    VariablesCoercer,
    compile_arguments,
    compile_variables,
)
from mock_server.graphql._compiler.completion import (
    Completer,
    Field,
    Resolver,
    Run,
    leaf,
    list_of,
    non_null,
    nullable,
    object_of,
)

if TYPE_CHECKING:
    from graphql import DocumentNode, GraphQLOutputType, GraphQLSchema

__all__ = ["MAX_COERCION_ERRORS", "CompiledOperation", "Resolver", "compile_operation"]

MAX_COERCION_ERRORS = 50
"""The same limit graphql-core's `execute` applies by default."""

# graphql-core's own serializers return these values unchanged: a str is a
# valid String and ID, a bool a valid Boolean (an int is not: it has a range).
_PASSES_AS_IS = (
    (GraphQLString, GraphQLString.serialize, (str,)),
    (GraphQLID, GraphQLID.serialize, (str,)),
    (GraphQLBoolean, GraphQLBoolean.serialize, (bool,)),
)


class _NotCompilable(Exception):
    """The operation needs something only graphql-core's executor does."""


@dataclass(slots=True)
class CompiledOperation:
    """One operation of a validated document, ready to execute.

    Attributes:
        schema: The executable schema it was compiled against.
        node: The operation's definition in the document.
        fragments: The document's fragments, as resolvers see them in `info`.
    """

    schema: GraphQLSchema
    node: OperationDefinitionNode
    fragments: dict[str, FragmentDefinitionNode]
    _roots: list[Field]
    _variables: VariablesCoercer | None

    def _coerce(self, inputs: dict[str, Any]) -> dict[str, Any] | list[GraphQLError]:
        if self._variables is not None:
            try:
                return self._variables(inputs)
            except (Unsure, RecursionError):
                pass  # graphql-core coerces it, or says precisely what is wrong
        return get_variable_values(
            self.schema,
            self.node.variable_definitions or (),
            inputs,
            max_errors=MAX_COERCION_ERRORS,
        )

    async def execute(
        self, context: object, variables: dict[str, Any] | None
    ) -> ExecutionResult:
        """Execute with the given raw variables, as `graphql.execute` would."""
        coerced = self._coerce(variables or {})
        if isinstance(coerced, list):
            return ExecutionResult(None, coerced)
        run = Run(self, context, coerced)
        data: dict[str, Any] | None
        try:
            data = await run.root_fields(self._roots)
        except GraphQLError as error:
            # A null reached a non-null root field: the whole `data` is null.
            run.errors.append(error)
            data = None
        errors = run.errors
        if not errors:
            return ExecutionResult(data, None)
        errors.sort(
            key=lambda error: (error.locations or [], error.path or [], error.message)
        )
        return ExecutionResult(data, errors)


def compile_operation(
    schema: GraphQLSchema,
    document: DocumentNode,
    operation: OperationDefinitionNode,
    *,
    sync_resolvers: Collection[Resolver],
    dict_readers: Collection[Resolver] = (),
) -> CompiledOperation | None:
    """Compile one operation of a validated document, or return None.

    Args:
        schema: The executable schema the document was validated against.
        document: The document holding `operation` and its fragments.
        operation: The operation to compile.
        sync_resolvers: Resolvers known to return plain values, never awaitables;
            below the root fields, only fields resolved by these are compiled.
        dict_readers: Resolvers known to answer a plain `dict` parent holding
            the field's name with that entry; the plan reads it directly.

    Returns None for what only graphql-core's executor reproduces exactly:
    subscriptions, directives (their effect may depend on variables), abstract
    types, `is_type_of` checks, introspection, several root fields of a query
    (graphql-core runs those concurrently) and unknown resolvers below the root.
    """
    fragments = {
        definition.name.value: definition
        for definition in document.definitions
        if isinstance(definition, FragmentDefinitionNode)
    }
    compiler = _Compiler(schema, fragments, set(sync_resolvers), set(dict_readers))
    try:
        roots = compiler.roots(operation)
    except (_NotCompilable, RecursionError):
        return None
    variables = compile_variables(schema, operation.variable_definitions or ())
    return CompiledOperation(schema, operation, fragments, roots, variables)


class _Compiler:
    def __init__(
        self,
        schema: GraphQLSchema,
        fragments: dict[str, FragmentDefinitionNode],
        sync_resolvers: set[Resolver],
        dict_readers: set[Resolver],
    ) -> None:
        self.schema = schema
        self.fragments = fragments
        self.sync_resolvers = sync_resolvers
        self.dict_readers = dict_readers

    def roots(self, operation: OperationDefinitionNode) -> list[Field]:
        if operation.operation is OperationType.SUBSCRIPTION or _has_directives(
            operation, self.fragments.values()
        ):
            raise _NotCompilable
        root_type = self.schema.get_root_type(operation.operation)
        if root_type is None:
            raise _NotCompilable
        grouped = collect_fields(
            self.schema, self.fragments, {}, root_type, operation.selection_set
        )
        if operation.operation is OperationType.QUERY and len(grouped) > 1:
            raise _NotCompilable
        return self._fields(root_type, grouped, root=True)

    def _fields(
        self,
        parent: GraphQLObjectType,
        grouped: dict[str, list[FieldNode]],
        *,
        root: bool = False,
    ) -> list[Field]:
        return [
            self._field(parent, key, nodes, root=root) for key, nodes in grouped.items()
        ]

    def _field(
        self,
        parent: GraphQLObjectType,
        key: str,
        nodes: list[FieldNode],
        *,
        root: bool,
    ) -> Field:
        name = nodes[0].name.value
        constant = None
        if name == "__typename":
            definition = TypeNameMetaFieldDef
            constant = parent.name
            resolve: Resolver | None = None
        elif name.startswith("__") or name not in parent.fields:
            raise _NotCompilable  # introspection is left to graphql-core
        else:
            definition = parent.fields[name]
            resolve = definition.resolve
            if resolve is None or not (root or resolve in self.sync_resolvers):
                raise _NotCompilable
        complete = self._completer(definition.type, nodes, parent.name, name)
        return Field(
            key=key,
            name=name,
            nodes=nodes,
            definition=definition,
            parent=parent,
            resolve=resolve,
            constant=constant,
            reads_dict=resolve in self.dict_readers,
            passes_as_is=_passes_as_is(definition.type),
            arguments=compile_arguments(definition, nodes[0])
            if definition.args
            else None,
            non_null=isinstance(definition.type, GraphQLNonNull),
            complete=complete,
        )

    def _completer(
        self,
        output_type: GraphQLOutputType,
        nodes: list[FieldNode],
        parent_name: str,
        field_name: str,
    ) -> Completer:
        if isinstance(output_type, GraphQLNonNull):
            inner = self._completer(output_type.of_type, nodes, parent_name, field_name)
            return non_null(inner, parent_name, field_name)
        if isinstance(output_type, GraphQLList):
            item_type = output_type.of_type
            item = self._completer(item_type, nodes, parent_name, field_name)
            return list_of(
                item,
                nodes,
                isinstance(item_type, GraphQLNonNull),
                f"{parent_name}.{field_name}",
            )
        if is_leaf_type(output_type):
            return leaf(output_type)  # type: ignore[arg-type]
        if not isinstance(output_type, GraphQLObjectType) or output_type.is_type_of:
            raise _NotCompilable  # abstract types pick their type per value
        grouped = collect_sub_fields(
            self.schema, self.fragments, {}, output_type, nodes
        )
        return object_of(self._fields(output_type, grouped))


def _passes_as_is(output_type: GraphQLOutputType) -> tuple[type, ...]:
    named = nullable(output_type)
    for scalar, serialize, kinds in _PASSES_AS_IS:
        # The same scalar, with graphql-core's serializer still in place.
        if named is scalar and scalar.serialize is serialize:
            return kinds
    return ()


def _has_directives(
    operation: OperationDefinitionNode,
    fragments: Collection[FragmentDefinitionNode],
) -> bool:
    finder = _DirectiveFinder()
    visit(operation, finder)
    for fragment in fragments:
        visit(fragment, finder)
    return finder.found


class _DirectiveFinder(Visitor):
    def __init__(self) -> None:
        super().__init__()
        self.found = False

    def enter_directive(self, _node: DirectiveNode, *_args: object) -> object:
        self.found = True
        return self.BREAK

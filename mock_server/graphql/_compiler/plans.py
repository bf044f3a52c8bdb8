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
`mock_server.graphql._compiler.coercion` is unsure.
`tests/mock_server/graphql/test_compiled.py` runs generated operations through both and
requires identical results. Whatever a plan could not reproduce exactly is left
to graphql-core: `compile_operation` then returns None.
"""

from __future__ import annotations

from collections.abc import AsyncIterable, Callable, Collection
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
    GraphQLResolveInfo,
    GraphQLString,
    OperationDefinitionNode,
    OperationType,
    TypeNameMetaFieldDef,
    Undefined,
    get_argument_values,
    get_variable_values,
    is_leaf_type,
    located_error,
)
from graphql.execution.collect_fields import collect_fields, collect_sub_fields
from graphql.language import Visitor, visit
from graphql.pyutils import Path, inspect, is_awaitable, is_iterable

from mock_server.graphql._compiler.coercion import (
    ArgumentsBuilder,
    Unsure,
    VariablesCoercer,
    compile_arguments,
    compile_variables,
)

if TYPE_CHECKING:
    from graphql import (
        DocumentNode,
        GraphQLField,
        GraphQLLeafType,
        GraphQLOutputType,
        GraphQLSchema,
    )

MAX_COERCION_ERRORS = 50
"""The same limit graphql-core's `execute` applies by default."""

# graphql-core's own serializers return these values unchanged: a str is a
# valid String and ID, a bool a valid Boolean (an int is not: it has a range).
_PASSES_AS_IS = (
    (GraphQLString, GraphQLString.serialize, (str,)),
    (GraphQLID, GraphQLID.serialize, (str,)),
    (GraphQLBoolean, GraphQLBoolean.serialize, (bool,)),
)
_ABSENT = object()

Resolver = Callable[..., Any]
_Completer = Callable[["_Run", Any, Path], Any]


class _NotCompilable(Exception):
    """The operation needs something only graphql-core's executor does."""


@dataclass(slots=True)
class _Field:
    """One field of a selection set, with everything a request needs fixed."""

    key: str
    name: str
    nodes: list[FieldNode]
    definition: GraphQLField
    parent: GraphQLObjectType
    resolve: Resolver | None  # None: `__typename`, answered by `constant`
    constant: str | None
    reads_dict: bool  # the resolver answers a plain dict's own key with it
    # Python types the field's scalar serializes unchanged (String: str).
    passes_as_is: tuple[type, ...]
    arguments: ArgumentsBuilder | None  # None: the field takes none
    non_null: bool
    complete: _Completer


class _Run:
    """The state of one request: its variables, context and errors."""

    __slots__ = ("context", "errors", "operation", "variables")

    def __init__(
        self, operation: CompiledOperation, context: object, variables: dict[str, Any]
    ) -> None:
        self.operation = operation
        self.context = context
        self.variables = variables
        # Plain appends: fields run one after another, so no error can arrive
        # under a position already nulled (graphql-core must filter those).
        self.errors: list[GraphQLError] = []

    def resolve(self, field: _Field, source: Any, path: Path) -> Any:
        if field.reads_dict and type(source) is dict and field.name in source:
            return source[field.name]
        if field.resolve is None:
            return field.constant
        plan = self.operation
        info = GraphQLResolveInfo(
            field.name,
            field.nodes,
            field.definition.type,
            field.parent,
            path,
            plan.schema,
            plan.fragments,
            None,
            plan.node,
            self.variables,
            self.context,
            is_awaitable,
        )
        if field.arguments is None:
            return field.resolve(source, info)
        try:
            arguments = field.arguments(self.variables)
        except Unsure:
            # graphql-core builds them, or raises the error it always raises.
            arguments = get_argument_values(
                field.definition, field.nodes[0], self.variables
            )
        return field.resolve(source, info, **arguments)

    def fail(self, raw: Exception, field: _Field, path: Path) -> None:
        error = located_error(raw, field.nodes, path.as_list())
        if field.non_null:
            raise error
        self.errors.append(error)

    def fields(self, fields: list[_Field], source: Any, path: Path | None) -> Any:
        results: dict[str, Any] = {}
        plain = type(source) is dict
        for field in fields:
            if plain and field.reads_dict:
                # Most fields: a value its scalar would serialize to itself.
                value = source.get(field.name, _ABSENT)
                if type(value) in field.passes_as_is:
                    results[field.key] = value
                    continue
            field_path = Path(path, field.key, field.parent.name)
            try:
                value = self.resolve(field, source, field_path)
                results[field.key] = field.complete(self, value, field_path)
            except Exception as raw:
                self.fail(raw, field, field_path)
                results[field.key] = None
        return results

    async def root_fields(self, fields: list[_Field]) -> dict[str, Any]:
        # One after another: the order mutations must run in; a compiled query
        # has a single root field, so nothing is lost by not running them at once.
        results: dict[str, Any] = {}
        for field in fields:
            path = Path(None, field.key, field.parent.name)
            results[field.key] = await self.root_field(field, path)
        return results

    async def root_field(self, field: _Field, path: Path) -> Any:
        try:
            value = self.resolve(field, None, path)
            if is_awaitable(value):
                value = await value
            if (
                isinstance(value, AsyncIterable)
                and not is_iterable(value)
                and isinstance(_nullable(field.definition.type), GraphQLList)
            ):
                value = [item async for item in value]
            return field.complete(self, value, path)
        except Exception as raw:
            self.fail(raw, field, path)
            return None


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
    _roots: list[_Field]
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
        run = _Run(self, context, coerced)
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

    def roots(self, operation: OperationDefinitionNode) -> list[_Field]:
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
    ) -> list[_Field]:
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
    ) -> _Field:
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
        return _Field(
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
    ) -> _Completer:
        if isinstance(output_type, GraphQLNonNull):
            inner = self._completer(output_type.of_type, nodes, parent_name, field_name)
            return _non_null(inner, parent_name, field_name)
        if isinstance(output_type, GraphQLList):
            item_type = output_type.of_type
            item = self._completer(item_type, nodes, parent_name, field_name)
            return _list(
                item,
                nodes,
                isinstance(item_type, GraphQLNonNull),
                f"{parent_name}.{field_name}",
            )
        if is_leaf_type(output_type):
            return _leaf(output_type)  # type: ignore[arg-type]
        if not isinstance(output_type, GraphQLObjectType) or output_type.is_type_of:
            raise _NotCompilable  # abstract types pick their type per value
        grouped = collect_sub_fields(
            self.schema, self.fragments, {}, output_type, nodes
        )
        return _object(self._fields(output_type, grouped))


def _passes_as_is(output_type: GraphQLOutputType) -> tuple[type, ...]:
    nullable = _nullable(output_type)
    for scalar, serialize, kinds in _PASSES_AS_IS:
        # The same scalar, with graphql-core's serializer still in place.
        if nullable is scalar and scalar.serialize is serialize:
            return kinds
    return ()


def _nullable(output_type: GraphQLOutputType) -> GraphQLOutputType:
    if isinstance(output_type, GraphQLNonNull):
        return output_type.of_type  # type: ignore[no-any-return]
    return output_type


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


def _non_null(inner: _Completer, parent_name: str, field_name: str) -> _Completer:
    message = f"Cannot return null for non-nullable field {parent_name}.{field_name}."

    def complete(run: _Run, value: Any, path: Path) -> Any:
        if isinstance(value, Exception):
            raise value
        completed = inner(run, value, path)
        if completed is None:
            raise TypeError(message)
        return completed

    return complete


def _list(
    item: _Completer, nodes: list[FieldNode], items_non_null: bool, field: str
) -> _Completer:
    message = f"Expected Iterable, but did not find one for field '{field}'."

    def complete(run: _Run, value: Any, path: Path) -> Any:
        if isinstance(value, Exception):
            raise value
        if value is None or value is Undefined:
            return None
        if not is_iterable(value):
            raise GraphQLError(message)
        completed = []
        for index, entry in enumerate(value):
            item_path = path.add_key(index, None)
            try:
                completed.append(item(run, entry, item_path))
            except Exception as raw:
                error = located_error(raw, nodes, item_path.as_list())
                if items_non_null:
                    raise error from raw
                run.errors.append(error)
                completed.append(None)
        return completed

    return complete


def _leaf(leaf_type: GraphQLLeafType) -> _Completer:
    serialize = leaf_type.serialize

    def complete(_run: _Run, value: Any, _path: Path) -> Any:
        if isinstance(value, Exception):
            raise value
        if value is None or value is Undefined:
            return None
        serialized = serialize(value)
        if serialized is Undefined or serialized is None:
            raise TypeError(
                f"Expected `{inspect(leaf_type)}.serialize({inspect(value)})`"
                f" to return non-nullable value, returned: {inspect(serialized)}"
            )
        return serialized

    return complete


def _object(fields: list[_Field]) -> _Completer:
    def complete(run: _Run, value: Any, path: Path) -> Any:
        if isinstance(value, Exception):
            raise value
        if value is None or value is Undefined:
            return None
        return run.fields(fields, value, path)

    return complete

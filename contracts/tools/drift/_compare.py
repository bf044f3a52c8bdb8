from __future__ import annotations

from dataclasses import replace
from typing import TYPE_CHECKING, Any

from graphql import (
    GraphQLInputObjectType,
    GraphQLInterfaceType,
    GraphQLObjectType,
    build_client_schema,
    get_introspection_query,
    get_named_type,
    specified_directives,
    specified_scalar_types,
)

from contracts.clause_coordinates import CLAIMS_BY_COORDINATE
from contracts.documented import MUTATION_FIELD
from contracts.errors import ContractError
from contracts.tools.drift._changes import Change, Severity
from contracts.tools.drift._core import core_changes, keep_core_grades
from contracts.tools.drift._walk import PLAIN_INTROSPECTION, walk

if TYPE_CHECKING:
    from graphql import GraphQLNamedType, GraphQLSchema

    from contracts.client.target import Target


def introspect(target: Target) -> GraphQLSchema:
    """Fetch and build the target's schema.

    Raises:
        ContractError: introspection is disabled or the answer is unusable.
    """
    data, plain = _introspection(target)
    try:
        schema = build_client_schema(data)  # type: ignore[arg-type]
    except (KeyError, TypeError, ValueError) as exc:
        # An answer missing a key raises KeyError inside graphql-core.
        raise ContractError(f"the target's introspection is not usable: {exc}") from exc
    if plain:
        schema.extensions = {**schema.extensions, PLAIN_INTROSPECTION: True}
    return schema


def _introspection(target: Target) -> tuple[dict[str, Any], bool]:
    """The target's introspection data, and whether only the plain query worked."""
    # Deprecated arguments and input fields, the schema's description, specifiedBy
    # and repeatable are answered only when asked for; a server too old to take
    # these questions gets the plain query.
    newer = get_introspection_query(
        specified_by_url=True,
        directive_is_repeatable=True,
        schema_description=True,
        input_value_deprecation=True,
    )
    for query in (newer, get_introspection_query()):
        exchange = target.post({"query": query})
        body = exchange.body
        data = body.get("data") if isinstance(body, dict) else None
        if isinstance(data, dict) and isinstance(data.get("__schema"), dict):
            return data, query != newer
    raise ContractError(
        f"{target.url} did not answer the introspection query (HTTP "
        f"{exchange.status}); introspection may be disabled there: compare "
        "against an SDL file with --against instead"
    )


def contract_types(schema: GraphQLSchema) -> set[str]:
    """Names of the types the documented mutation reaches, inputs and outputs."""
    mutation = schema.mutation_type
    field = mutation.fields.get(MUTATION_FIELD) if mutation else None
    names = {mutation.name} if mutation else set()
    if field is None:
        return names
    pending: list[GraphQLNamedType] = [get_named_type(field.type)]
    pending += [get_named_type(arg.type) for arg in field.args.values()]
    while pending:
        named = pending.pop()
        if named.name in names:
            continue
        names.add(named.name)
        if isinstance(
            named, GraphQLObjectType | GraphQLInterfaceType | GraphQLInputObjectType
        ):
            pending += [get_named_type(f.type) for f in named.fields.values()]
    return names


def compare(contract: GraphQLSchema, target: GraphQLSchema) -> list[Change]:
    """Every change from the contract's schema to the target's, most severe first.

    Each change keeps graphql-core's grade where graphql-core grades it; a
    change to an element the guide documents is raised to breaking and names
    the clause it contradicts (`contracts.clause_coordinates`).
    """
    focus = contract_types(contract)
    changes = [
        _library_difference(change) if _is_built_in(change) else _graded(change, focus)
        for change in keep_core_grades(
            walk(contract, target), core_changes(contract, target)
        )
    ]
    return sorted(
        changes, key=lambda c: (-c.severity.rank, not c.in_contract, c.coordinate)
    )


_BUILT_INS = frozenset(
    {
        *(f"@{directive.name}" for directive in specified_directives),
        *specified_scalar_types,
    }
)
"""The spec's own directives and scalars, which GraphQL libraries define a
little differently (graphql-js gives `@deprecated` more locations than
graphql-core does): a target's library is not its contract (#26)."""


def _is_built_in(change: Change) -> bool:
    return change.coordinate.split("(")[0].split(".")[0] in _BUILT_INS


def _library_difference(change: Change) -> Change:
    return replace(
        change,
        severity=Severity.INFO,
        in_contract=False,
        message=f"{change.message} (a GraphQL built-in: libraries define these "
        "differently; shown, never graded)",
    )


def _graded(change: Change, focus: set[str]) -> Change:
    owner = change.coordinate.split(".")[0].split("(")[0]
    in_contract = owner in focus or (
        owner == "schema" and bool({change.old, change.new} & focus)
    )
    claim = CLAIMS_BY_COORDINATE.get(change.coordinate)
    clause = (
        claim.contradicted_by(change.kind, change.old, change.new) if claim else None
    )
    graded = replace(change, in_contract=in_contract, clause=clause)
    return graded.raised_to(Severity.BREAKING) if clause else graded

"""Schema drift: the contract's SDL against a target's schema.

graphql-core's breaking- and dangerous-change detection does the comparison;
this module focuses it on the types the documented mutation uses (other types
are listed, never fatal) and adds the safe changes (new fields, new types) it
does not report.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from graphql import (
    GraphQLInputField,
    GraphQLInputObjectType,
    GraphQLInterfaceType,
    GraphQLObjectType,
    build_client_schema,
    find_breaking_changes,
    find_dangerous_changes,
    get_introspection_query,
    get_named_type,
    is_required_input_field,
)

from contracts.documented import MUTATION_FIELD
from contracts.errors import ContractError

if TYPE_CHECKING:
    from graphql import GraphQLNamedType, GraphQLSchema

    from contracts.client.target import Target

BREAKING = "breaking"
DANGEROUS = "dangerous"
SAFE = "safe"
_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")


@dataclass(frozen=True, slots=True)
class Change:
    """One difference between the contract and the target's schema.

    Attributes:
        severity: breaking, dangerous or safe (for clients of the contract).
        description: What changed, as graphql-core words it.
        in_contract: Whether it touches a type the documented mutation uses.
    """

    severity: str
    description: str
    in_contract: bool

    @property
    def fails(self) -> bool:
        """A breaking change in the contract's types fails the check."""
        return self.severity == BREAKING and self.in_contract


def introspect(target: Target) -> GraphQLSchema:
    """Fetch and build the target's schema.

    Raises:
        ContractError: introspection is disabled or the answer is unusable.
    """
    exchange = target.post({"query": get_introspection_query()})
    data = exchange.body.get("data") if isinstance(exchange.body, dict) else None
    if not isinstance(data, dict) or not isinstance(data.get("__schema"), dict):
        raise ContractError(
            f"{target.url} did not answer the introspection query (HTTP "
            f"{exchange.status}); introspection may be disabled there: compare "
            "against an SDL file with --against instead"
        )
    try:
        return build_client_schema(data)  # type: ignore[arg-type]
    except (TypeError, ValueError) as exc:
        raise ContractError(f"the target's introspection is not usable: {exc}") from exc


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
    """Every change from the contract's schema to the target's, most severe first."""
    focus = contract_types(contract)

    def touches(description: str) -> bool:
        return bool(focus.intersection(_NAME.findall(description)))

    changes = [
        Change(BREAKING, change.description, touches(change.description))
        for change in find_breaking_changes(contract, target)
    ]
    changes += [
        Change(DANGEROUS, change.description, touches(change.description))
        for change in find_dangerous_changes(contract, target)
    ]
    changes += [
        Change(SAFE, description, touches(description))
        for description in _additions(contract, target)
    ]
    order = {BREAKING: 0, DANGEROUS: 1, SAFE: 2}
    return sorted(changes, key=lambda c: (order[c.severity], not c.in_contract))


def _additions(contract: GraphQLSchema, target: GraphQLSchema) -> list[str]:
    """New types, and new fields nobody has to send (graphql-core skips these)."""
    found = []
    for name, named in target.type_map.items():
        if name.startswith("__"):
            continue
        old = contract.type_map.get(name)
        if old is None:
            found.append(f"{name} was added.")
            continue
        if not isinstance(named, GraphQLObjectType | GraphQLInterfaceType) and not (
            isinstance(named, GraphQLInputObjectType)
        ):
            continue
        old_fields: Any = getattr(old, "fields", {})
        for field_name, field in named.fields.items():
            # A new required input field is breaking: graphql-core reports it.
            required = isinstance(field, GraphQLInputField) and (
                is_required_input_field(field)
            )
            if field_name not in old_fields and not required:
                found.append(f"{name}.{field_name} was added.")
    return found


def table(changes: list[Change]) -> list[str]:
    """The changes as aligned lines: severity, where, what."""
    if not changes:
        return ["no drift: the schemas are the same"]
    lines = [f"{'severity':9}  {'where':8}  change"]
    for change in changes:
        where = "contract" if change.in_contract else "other"
        lines.append(f"{change.severity:9}  {where:8}  {change.description}")
    failing = sum(change.fails for change in changes)
    lines.append(f"{failing} breaking change(s) in the contract's types")
    return lines


def junit_xml(changes: list[Change]) -> str:
    """A JUnit XML report: one test case per change, failing when it breaks."""
    suite = ET.Element(
        "testsuite",
        name="smtp-contract drift",
        tests=str(max(len(changes), 1)),
        failures=str(sum(change.fails for change in changes)),
    )
    if not changes:
        ET.SubElement(suite, "testcase", classname="drift", name="no drift")
    for change in changes:
        case = ET.SubElement(
            suite,
            "testcase",
            classname=f"drift.{change.severity}",
            name=change.description,
        )
        if change.fails:
            failure = ET.SubElement(case, "failure", message=change.description)
            failure.text = "breaking change in a type the documented mutation uses"
    return ET.tostring(suite, encoding="unicode")

"""Steering generated GraphQL documents so their writes stay in the run."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from graphql import (
    GraphQLError,
    ObjectFieldNode,
    StringValueNode,
    Visitor,
    parse,
    print_ast,
    visit,
)

if TYPE_CHECKING:
    from contracts.client.ledger import Namespace


class Steering:
    """Rewrites generated literals so writes stay inside the run's namespace.

    Every `emailAddress` becomes a fresh namespaced address, every
    `organizationId` the run's organization, every `password` a marked one
    (so a leak is recognisable and never a coincidence).
    """

    def __init__(self, namespace: Namespace, organization: str) -> None:
        self.namespace = namespace
        self.organization = organization
        self.marker = namespace.password_marker
        self._count = 0

    def steer(self, query: str) -> str:
        """The query with its writes steered (unchanged when unparsable)."""
        try:
            document = parse(query)
        except GraphQLError:
            return query  # negative generation may send unparsable documents
        steering = self

        class Rewrite(Visitor):
            def enter_object_field(self, node: ObjectFieldNode, *_: Any) -> Any:
                value = steering.value_for(node.name.value)
                if value is None:
                    return None
                return ObjectFieldNode(
                    name=node.name, value=StringValueNode(value=value)
                )

        return print_ast(visit(document, Rewrite()))

    def value_for(self, name: str) -> str | None:
        """The steered value of a field, or None to keep the generated one."""
        if name == "emailAddress":
            return self.namespace.fresh_address()
        if name == "organizationId":
            return self.organization
        if name == "password":
            self._count += 1
            return f"{self.marker}-{self._count}"
        return None

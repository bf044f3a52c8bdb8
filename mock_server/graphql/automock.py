"""Schema-typed, deterministic data for fields the behaviour does not implement.

A user may grow their copy of the SDL (a new query, a new field on a sender).
Instead of answering null, such fields get plausible values of their declared
type. Values depend only on the seed, the parent record and the field, so the
same query gives the same answer on every run.
"""

from __future__ import annotations

import hashlib
import uuid
from typing import TYPE_CHECKING, Any

from graphql import (
    GraphQLEnumType,
    GraphQLList,
    GraphQLNonNull,
    GraphQLObjectType,
    GraphQLScalarType,
    is_abstract_type,
)

if TYPE_CHECKING:
    from graphql import GraphQLOutputType, GraphQLResolveInfo, GraphQLSchema

LIST_LENGTH = 2
"""How many items a mocked list holds."""


class MockObject(dict[str, Any]):
    """A generated object: its fields are generated on demand from `key`.

    It is a dict holding `__typename` so that graphql-core's default type
    resolver picks the generated member of an interface or union.
    """

    def __init__(self, type_name: str, key: tuple[object, ...]) -> None:
        super().__init__(__typename=type_name)
        self.key = key


class AutoMocker:
    """Fills unimplemented fields of a schema with generated values.

    Args:
        seed: Changes every generated value; `None` behaves as 0.
    """

    def __init__(self, seed: int | None = None) -> None:
        self._seed = seed or 0
        self._schema: GraphQLSchema | None = None

    def install(self, schema: GraphQLSchema) -> None:
        """Give every object field that has no resolver the mocking resolver."""
        self._schema = schema
        for named_type in schema.type_map.values():
            if isinstance(named_type, GraphQLObjectType) and not (
                named_type.name.startswith("__")
            ):
                for field in named_type.fields.values():
                    if field.resolve is None:
                        field.resolve = self.resolve

    def resolve(self, parent: object, info: GraphQLResolveInfo, **args: Any) -> Any:
        """Return the real value when the parent has one, else a generated one."""
        name = info.field_name
        if isinstance(parent, dict) and not isinstance(parent, MockObject):
            if name in parent:
                return parent[name]
            owner: object = parent.get("id", tuple(info.path.as_list()[:-1]))
        elif isinstance(parent, MockObject):
            owner = parent.key
        elif parent is not None and hasattr(parent, name):
            return getattr(parent, name)
        else:
            owner = tuple(sorted(args.items()))
        key = (info.parent_type.name, owner, name)
        return self.value_for(info.return_type, key)

    def value_for(self, output_type: GraphQLOutputType, key: tuple[object, ...]) -> Any:
        """Generate a value of `output_type`, the same for the same key and seed."""
        if isinstance(output_type, GraphQLNonNull):
            return self.value_for(output_type.of_type, key)
        if isinstance(output_type, GraphQLList):
            return [
                self.value_for(output_type.of_type, (*key, index))
                for index in range(LIST_LENGTH)
            ]
        number = self._number(key)
        if isinstance(output_type, GraphQLScalarType):
            return _scalar(output_type.name, str(key[-1]), number)
        if isinstance(output_type, GraphQLEnumType):
            names = list(output_type.values)
            return names[number % len(names)]
        if is_abstract_type(output_type):
            assert self._schema is not None, "install() runs before any request"
            members = self._schema.get_possible_types(output_type)  # type: ignore[arg-type]
            if not members:
                return None
            return MockObject(members[number % len(members)].name, key)
        assert isinstance(output_type, GraphQLObjectType)
        return MockObject(output_type.name, key)

    def _number(self, key: tuple[object, ...]) -> int:
        digest = hashlib.blake2b(repr((self._seed, key)).encode(), digest_size=16)
        return int.from_bytes(digest.digest(), "big")


def _scalar(type_name: str, field_name: str, number: int) -> Any:
    if type_name == "ID":
        return str(uuid.UUID(int=number, version=4))
    if type_name == "Int":
        return number % 1000
    if type_name == "Float":
        return (number % 100000) / 100
    if type_name == "Boolean":
        return number % 2 == 0
    return f"{field_name} {number % 10000}"

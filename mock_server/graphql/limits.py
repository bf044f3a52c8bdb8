"""The mock's own limits on one request, where the API's documented ones stop.

The reference documents depth 15 and complexity 50,000 (`depth.py`,
`complexity.py`). Neither bounds the work of reading a document: parsing and
graphql-core's validation rules take time per token, and the rule
`OverlappingFieldsCanBeMerged` compares every pair of selections answering
one place of the result, and every pair of fragments spread there (issue #28:
13,000 repeats of one field, or 60,000 directives, kept a worker busy for
seconds, and every other client waited). These limits bound that work. They
are checked while parsing (tokens) or in one walk (`shapes.py`) before the
validation rules start, after depth and complexity:

- `tokens` (4,000): lexical tokens, comments too, of the request's
  documents; `MAX_TOKENS_EXCEEDED`.
- `directives` (10): directives on one field, fragment, operation or
  variable; `MAX_DIRECTIVES_EXCEEDED`.
- `repeats` (20): selections answering one place of the result (one response
  path: `{ a { id } a { id } }` selects `a` and `a.id` twice, and inline
  fragments count with their selection set); `MAX_REPEATS_EXCEEDED`.
- `spreads` (30): fragment spreads in the request's documents;
  `MAX_SPREADS_EXCEEDED`.
- `operations` (50): operations in the request's documents (validation and
  compilation work per operation); `MAX_OPERATIONS_EXCEEDED`.
- `mutations` (50): root fields of the mutations a request runs (creates,
  updates, deletes); `MAX_MUTATIONS_EXCEEDED`.
- `introspection` (5,000, or twice what the full introspection query resolves
  on the served schema if that is more): fields the introspection of the
  request's operations resolves (`introspection.py`);
  `MAX_INTROSPECTION_EXCEEDED`.

A batch (a JSON array body) is one request: its documents share `tokens`,
`spreads`, `operations`, `mutations` and `introspection`, spent by every
document, cached or not, so that an answer never depends on what the mock read
before.

GraphQL Armor is the anchor (`maxTokens` 1,000, `maxDirectives` 50 per
document, `maxAliases` 15). These defaults are looser, as the mock must not
refuse what the real API's documented rules accept at sizes a client sends:
200 aliased list selections (3,800 tokens) still reach the complexity rule,
the full introspection query is 183 tokens and spreads 8 fragments, and a
field rarely carries more than 3 directives (`@include`, `@skip`, a client's
own). The reference names none of these limits: they are the mock's, and
`smtp-mock serve --limit NAME=N` changes them. `bench/hostile.py` measures the
worst request each allows.
"""

from __future__ import annotations

from dataclasses import dataclass, fields, replace
from typing import TYPE_CHECKING

from graphql import GraphQLError, TokenKind

from mock_server.errors import ConfigurationError

if TYPE_CHECKING:
    from collections.abc import Iterable, Sequence

    from graphql import DocumentNode, Node

__all__ = [
    "INTROSPECTION_CODE",
    "MUTATIONS_CODE",
    "OPERATIONS_CODE",
    "TOKENS_CODE",
    "Allowance",
    "RequestLimits",
    "count_tokens",
    "introspection_refusal",
    "is_token_limit",
    "mutations_refusal",
    "operations_refusal",
    "spreads_refusal",
    "tokens_refusal",
]

TOKENS_CODE = "MAX_TOKENS_EXCEEDED"
DIRECTIVES_CODE = "MAX_DIRECTIVES_EXCEEDED"
REPEATS_CODE = "MAX_REPEATS_EXCEEDED"
SPREADS_CODE = "MAX_SPREADS_EXCEEDED"
OPERATIONS_CODE = "MAX_OPERATIONS_EXCEEDED"
MUTATIONS_CODE = "MAX_MUTATIONS_EXCEEDED"
INTROSPECTION_CODE = "MAX_INTROSPECTION_EXCEEDED"
LIMIT_OPTION = "--limit"


@dataclass(slots=True)
class Allowance:
    """What one request may still spend: the documents of a batch share it."""

    tokens: int
    spreads: int
    operations: int
    mutations: int
    introspection: int


@dataclass(frozen=True, slots=True)
class RequestLimits:
    """The mock's own limits on one request (see the module docstring).

    Raises:
        ConfigurationError: a limit is not a positive integer.
    """

    tokens: int = 4_000
    directives: int = 10
    repeats: int = 20
    spreads: int = 30
    operations: int = 50
    mutations: int = 50
    introspection: int = 5_000

    def __post_init__(self) -> None:
        for name, value in self.items():
            if isinstance(value, bool) or not isinstance(value, int) or value < 1:
                raise ConfigurationError(
                    f"{LIMIT_OPTION} {name}={value!r}: expected a positive integer"
                )

    @classmethod
    def from_options(cls, options: Iterable[str]) -> RequestLimits:
        """The defaults, changed by `NAME=N` settings (`serve --limit`).

        Raises:
            ConfigurationError: naming the setting that is not `NAME=N` with a
                known name and a positive integer.
        """
        names = [item.name for item in fields(cls)]
        changes: dict[str, int] = {}
        for option in options:
            name, _, value = option.partition("=")
            name = name.strip()
            if name not in names or not value.strip().isdigit():
                raise ConfigurationError(
                    f"{LIMIT_OPTION} {option!r}: expected NAME=N with a name of "
                    f"{', '.join(names)} and a positive integer"
                )
            changes[name] = int(value)
        return replace(cls(), **changes)

    def items(self) -> list[tuple[str, int]]:
        """Each limit's name and value."""
        return [(item.name, getattr(self, item.name)) for item in fields(self)]

    def options(self) -> tuple[str, ...]:
        """The `NAME=N` settings that give these limits (the changed ones)."""
        default = RequestLimits()
        return tuple(
            f"{name}={value}"
            for name, value in self.items()
            if value != getattr(default, name)
        )

    def allowance(self, introspection: int | None = None) -> Allowance:
        """A fresh allowance for one request.

        Args:
            introspection: The introspection limit in force, when more than
                `introspection` (see `Preparer.introspection_limit`).
        """
        return Allowance(
            self.tokens,
            self.spreads,
            self.operations,
            self.mutations,
            max(introspection or 0, self.introspection),
        )


def refusal(
    message: str, name: str, code: str, nodes: Node | Sequence[Node] | None
) -> GraphQLError:
    """The error refusing a request over one of these limits, with its hint."""
    return GraphQLError(
        f"{message} (start the mock with {LIMIT_OPTION} {name}=N to change it)",
        nodes,
        extensions={"code": code},
    )


def introspection_refusal(limit: int, nodes: Node | None = None) -> GraphQLError:
    """The error refusing a request whose introspection resolves over `limit`."""
    message = (
        f"The request's introspection resolves more than {limit} fields, the "
        "mock's limit"
    )
    return refusal(message, "introspection", INTROSPECTION_CODE, nodes)


def mutations_refusal(limit: int, nodes: Node | None = None) -> GraphQLError:
    """The error refusing a request that runs over `limit` mutation fields."""
    message = f"The request runs more than {limit} mutation fields, the mock's limit"
    return refusal(message, "mutations", MUTATIONS_CODE, nodes)


def is_token_limit(error: GraphQLError, max_tokens: int) -> bool:
    """Whether a syntax error is graphql-core's stop at `parse(max_tokens=...)`."""
    return f"more than {max_tokens} tokens" in error.message


def tokens_refusal(limit: int) -> GraphQLError:
    """The error refusing a request whose documents hold over `limit` tokens."""
    message = f"The request's documents hold more than {limit} tokens, the mock's limit"
    return refusal(message, "tokens", TOKENS_CODE, None)


def count_tokens(document: DocumentNode) -> int:
    """The tokens of a parsed document (with locations), as `max_tokens` counts.

    The parser keeps them as a linked list: walking it is cheaper than lexing
    the text again.
    """
    loc = document.loc
    token = loc.start_token if loc is not None else None
    count = 0
    while token is not None and token.kind is not TokenKind.EOF:
        if token.kind is not TokenKind.SOF:
            count += 1
        token = token.next
    return count


def operations_refusal(limit: int, nodes: Node | None = None) -> GraphQLError:
    """The error refusing a request whose documents hold over `limit` operations."""
    message = (
        f"The request's documents hold more than {limit} operations, the mock's limit"
    )
    return refusal(message, "operations", OPERATIONS_CODE, nodes)


def spreads_refusal(limit: int, nodes: Node | None = None) -> GraphQLError:
    """The error refusing a request whose documents spread over `limit` fragments."""
    message = (
        f"The request's documents spread more than {limit} fragments, the mock's limit"
    )
    return refusal(message, "spreads", SPREADS_CODE, nodes)

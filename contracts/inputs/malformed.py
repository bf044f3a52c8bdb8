"""Request bodies that are not strict JSON, to check they are refused cleanly.

RFC 8259 leaves parsers free to accept some of these (a byte order mark,
duplicate names); either way the answer must be a well-formed GraphQL answer,
never a 5xx or a traceback. Python's own `json` module, for one, accepts `NaN`
and unpaired surrogate escapes, and a server that decodes with it can store a
string it then fails to encode into the response.

Every body is the documented create with the run's namespaced address, so a
target that accepts one anyway creates nothing outside the run.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from collections.abc import Callable, Iterable

from contracts.documented import create_payload

_NAME = "contract-malformed-name"
_PORT = "contract-malformed-port"
NESTING = 100_000
"""Depth of the deeply nested body (about 200 KB)."""


@dataclass(frozen=True, slots=True)
class MalformedBody:
    """One body, what is wrong with it, and the request it stands for.

    Attributes:
        label: What is wrong with the body.
        content: The bytes sent.
        request: The GraphQL request the body carries, as a payload: an answer
            is judged against this document, never against one not sent.
    """

    label: str
    content: bytes
    request: dict[str, Any]


@dataclass(frozen=True, slots=True)
class _Templates:
    """A valid create's body, with placeholders for the broken parts."""

    valid: str
    text: str

    def with_name(self, raw: str) -> str:
        return self.valid.replace(f'"{_NAME}"', raw)

    def with_port(self, raw: str) -> str:
        named = self.text.replace(f'"{_NAME}"', '"Malformed"')
        return named.replace(f'"{_PORT}"', raw)


_NESTED_DOCUMENT = "{ __typename }"


def _deeply_nested(_: _Templates) -> bytes:
    deep = "[" * NESTING + "]" * NESTING
    return f'{{"query": "{_NESTED_DOCUMENT}", "variables": {{"v": {deep}}}}}'.encode()


# Built on demand, never at import: the nested body alone is about 200 KB.
_BUILDERS: dict[str, Callable[[_Templates], bytes]] = {
    "unpaired surrogate escape": lambda t: t.with_name('"a\\ud800b"').encode(),
    "NaN": lambda t: t.with_port("NaN").encode(),
    "Infinity": lambda t: t.with_port("Infinity").encode(),
    "invalid UTF-8": lambda t: t.with_name('"a\xffb"').encode("latin-1"),
    "byte order mark": lambda t: b"\xef\xbb\xbf" + t.with_name('"bom"').encode(),
    "truncated": lambda t: t.with_name('"cut"').encode()[:-9],
    "deeply nested": _deeply_nested,
    "not an object": lambda _: b'"a string"',
    "empty": lambda _: b"",
}

LABELS = tuple(_BUILDERS)
"""What is wrong with each body, in order."""


def malformed_bodies(
    variables: dict[str, Any], labels: Iterable[str] = LABELS
) -> list[MalformedBody]:
    """The bodies, built around a valid create's variables.

    Args:
        variables: A valid create's variables (the run's namespaced address).
        labels: Which bodies to build (all by default).

    Raises:
        KeyError: a label is not one of `LABELS`.
    """
    marked = {
        **variables,
        "senderName": _NAME,
        "smtpConfiguration": {**variables["smtpConfiguration"], "port": _PORT},
    }
    text = json.dumps(create_payload(marked))
    templates = _Templates(valid=text.replace(f'"{_PORT}"', "25"), text=text)
    create = create_payload(variables)
    nested = {"query": _NESTED_DOCUMENT}
    return [
        MalformedBody(
            label,
            _BUILDERS[label](templates),
            nested if _BUILDERS[label] is _deeply_nested else create,
        )
        for label in labels
    ]

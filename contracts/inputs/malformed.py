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
from typing import Any

from contracts.documented import (
    DOCUMENTED_OPERATION,
    OPERATION_NAME,
    SCENARIO_B_VARIABLES,
)

_NAME = "contract-malformed-name"
_PORT = "contract-malformed-port"
NESTING = 100_000
"""Depth of the deeply nested body (about 200 KB)."""


@dataclass(frozen=True, slots=True)
class MalformedBody:
    """One body and what is wrong with it."""

    label: str
    content: bytes


def malformed_bodies(variables: dict[str, Any]) -> list[MalformedBody]:
    """The bodies, built around a valid create's variables."""
    marked = {
        **variables,
        "senderName": _NAME,
        "smtpConfiguration": {**variables["smtpConfiguration"], "port": _PORT},
    }
    text = json.dumps(
        {"query": DOCUMENTED_OPERATION, "operationName": OPERATION_NAME,
         "variables": marked}
    )  # fmt: skip
    valid = text.replace(f'"{_PORT}"', "25")

    def with_name(raw: str) -> str:
        return valid.replace(f'"{_NAME}"', raw)

    def with_port(raw: str) -> str:
        return text.replace(f'"{_NAME}"', '"Malformed"').replace(f'"{_PORT}"', raw)

    deep = "[" * NESTING + "]" * NESTING
    return [
        MalformedBody("unpaired surrogate escape", with_name('"a\\ud800b"').encode()),
        MalformedBody("NaN", with_port("NaN").encode()),
        MalformedBody("Infinity", with_port("Infinity").encode()),
        MalformedBody("invalid UTF-8", with_name('"a\xffb"').encode("latin-1")),
        MalformedBody("byte order mark", b"\xef\xbb\xbf" + with_name('"bom"').encode()),
        MalformedBody("truncated", with_name('"cut"').encode()[:-9]),
        MalformedBody(
            "deeply nested",
            f'{{"query": "{{ __typename }}", "variables": {{"v": {deep}}}}}'.encode(),
        ),
        MalformedBody("not an object", b'"a string"'),
        MalformedBody("empty", b""),
    ]


LABELS = tuple(body.label for body in malformed_bodies(SCENARIO_B_VARIABLES))
"""What is wrong with each body, in order."""

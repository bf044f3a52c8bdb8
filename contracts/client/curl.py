"""Reproductions: a request as a ready-to-run `curl`, the token left out."""

from __future__ import annotations

import json
import shlex
from typing import TYPE_CHECKING, Any

from contracts.config import TOKEN_ENV

if TYPE_CHECKING:
    from collections.abc import Mapping


def curl_command(
    url: str,
    payload: Any,
    *,
    with_token: bool,
    headers: Mapping[str, str] | None = None,
) -> str:
    """A `curl` command sending `payload`; the token stays an env variable.

    `payload` is sent as JSON, or as is when it is bytes (bash's $'...' quoting
    spells out each byte that is not printable ASCII).
    """
    parts = ["curl", "-sS", "-X", "POST", url, "-H", "content-type: application/json"]
    command = " ".join(shlex.quote(part) for part in parts)
    if with_token:
        command += f' -H "Authorization: Bearer ${TOKEN_ENV}"'
    for name, value in (headers or {}).items():
        command += " -H " + shlex.quote(f"{name}: {value}")
    if isinstance(payload, bytes):
        return command + " --data-binary " + _bash_bytes(payload)
    return command + " --data " + shlex.quote(json.dumps(payload))


def _bash_bytes(content: bytes) -> str:
    # bash's $'...' quoting: printable ASCII as it is, every other byte as \xHH
    # (NUL cannot be passed: no body here holds one).
    spelled = []
    for byte in content:
        if byte in (0x5C, 0x27):  # backslash and quote: escaped
            spelled.append("\\" + chr(byte))
        elif 0x20 <= byte < 0x7F:
            spelled.append(chr(byte))
        else:
            spelled.append(f"\\x{byte:02x}")
    return "$'" + "".join(spelled) + "'"

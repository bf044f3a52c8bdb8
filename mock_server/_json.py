"""Decoding untrusted JSON: every failure is a ValueError, never a crash."""

from __future__ import annotations

import json
from typing import Any


def loads(raw: str | bytes) -> Any:
    """Decode JSON; too deep a nesting is a ValueError like any other bad input.

    Raises:
        ValueError: the text is not JSON, not UTF-8, or nested too deeply.
    """
    try:
        return json.loads(raw)
    except RecursionError as exc:
        raise ValueError("JSON is nested too deeply") from exc

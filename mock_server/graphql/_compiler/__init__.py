"""Private: compiled execution plans and variable coercion (a reader may skip it)."""

from __future__ import annotations

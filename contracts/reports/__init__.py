"""contracts.reports."""

from __future__ import annotations

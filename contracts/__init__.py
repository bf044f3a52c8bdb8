"""Contract suite for the `createSmtpCustomEmailWithConfiguration` GraphQL API."""

from __future__ import annotations

from contracts.documented import (
    DOCUMENTED_OPERATION,
    SCENARIO_A_VARIABLES,
    SCENARIO_B_VARIABLES,
)
from contracts.profiles import register_profiles

__all__ = [
    "DOCUMENTED_OPERATION",
    "SCENARIO_A_VARIABLES",
    "SCENARIO_B_VARIABLES",
    "register_profiles",
]

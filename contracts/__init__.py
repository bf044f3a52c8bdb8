"""Contract suite for the `createSmtpCustomEmailWithConfiguration` GraphQL API."""

from __future__ import annotations

from contracts.clauses import CLAUSES, Clause, ClauseId, Tier
from contracts.config import ContractConfig, make_config
from contracts.documented import (
    DOCUMENTED_OPERATION,
    SCENARIO_A_VARIABLES,
    SCENARIO_B_VARIABLES,
)
from contracts.errors import (
    BudgetExhausted,
    ConfigError,
    ContractError,
    ContractViolation,
    TargetUnreachable,
    TokenRejected,
    TokenUnavailable,
)
from contracts.profiles import register_profiles

__all__ = [
    "CLAUSES",
    "DOCUMENTED_OPERATION",
    "SCENARIO_A_VARIABLES",
    "SCENARIO_B_VARIABLES",
    "BudgetExhausted",
    "Clause",
    "ClauseId",
    "ConfigError",
    "ContractConfig",
    "ContractError",
    "ContractViolation",
    "TargetUnreachable",
    "Tier",
    "TokenRejected",
    "TokenUnavailable",
    "make_config",
    "register_profiles",
]

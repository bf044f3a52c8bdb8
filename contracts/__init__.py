"""Contract suite for the `createSmtpCustomEmailWithConfiguration` GraphQL API.

The public names below are imported on first use (PEP 562): a process that
needs one module of the package, such as a self-test mutant's server, does
not pay for Hypothesis and pytest, which `register_profiles` and the
configuration bring in.
"""

from __future__ import annotations

import typing

from contracts import _lazy

if typing.TYPE_CHECKING:
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

_HOMES = {
    **dict.fromkeys(("CLAUSES", "Clause", "ClauseId", "Tier"), "contracts.clauses"),
    **dict.fromkeys(("ContractConfig", "make_config"), "contracts.config"),
    **dict.fromkeys(
        ("DOCUMENTED_OPERATION", "SCENARIO_A_VARIABLES", "SCENARIO_B_VARIABLES"),
        "contracts.documented",
    ),
    **dict.fromkeys(
        (
            "BudgetExhausted",
            "ConfigError",
            "ContractError",
            "ContractViolation",
            "TargetUnreachable",
            "TokenRejected",
            "TokenUnavailable",
        ),
        "contracts.errors",
    ),
    "register_profiles": "contracts.profiles",
}


__getattr__, __dir__ = _lazy.lazy_names(__name__, _HOMES)

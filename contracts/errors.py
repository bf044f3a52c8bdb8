"""Errors of the contract suite.

    ContractError                      the suite could not check the target
    ├── ConfigError (ValueError)       an option is wrong (bad URL, no --org, ...)
    ├── TargetUnreachable              the endpoint does not answer
    ├── TokenRejected                  the endpoint refused the token
    └── BudgetExhausted                --max-requests were all sent

    ContractViolation (AssertionError) the target broke a clause

A violation is a finding about the target; a ContractError is a problem with
the run itself (exit code 2), never reported as a failed clause.
"""

from __future__ import annotations


class ContractError(Exception):
    """Base class of problems that stop the suite from checking a target."""


class ConfigError(ContractError, ValueError):
    """An option given to the suite is invalid; the message says what to fix."""


class TargetUnreachable(ContractError):
    """The endpoint did not answer (connection refused, timeout, DNS...)."""


class TokenRejected(ContractError):
    """The endpoint answered 401 or 403 to a request carrying the token."""


class BudgetExhausted(ContractError):
    """The run sent its `--max-requests`; nothing more is sent."""

    def __init__(self, budget: int) -> None:
        super().__init__(budget)
        self.budget = budget

    def __str__(self) -> str:
        return f"request budget of {self.budget} exhausted (raise --max-requests)"


class ContractViolation(AssertionError):
    """The target broke a clause of the contract.

    Args:
        clause: The clause's id, e.g. `create.port-string`.
        operation: The GraphQL operation that showed it.
        title: One line naming what broke.
        message: Expected versus observed, and how to reproduce it.
    """

    def __init__(
        self, *, clause: str, operation: str, title: str, message: str
    ) -> None:
        super().__init__(title)
        self.clause = clause
        self.operation = operation
        self.title = title
        self.message = message

    def __str__(self) -> str:
        return f"{self.title}\n\n{self.message}"

    def __repr__(self) -> str:
        return (
            f"ContractViolation(clause={self.clause!r}, operation={self.operation!r}, "
            f"title={self.title!r})"
        )

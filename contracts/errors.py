"""Errors of the contract suite.

    ContractError                      the suite could not check the target
    ├── ConfigError (ValueError)       an option is wrong (bad URL, no --org, ...)
    ├── TargetUnreachable              the endpoint does not answer
    ├── TokenRejected                  the endpoint refused the token
    ├── TokenUnavailable               the token endpoint gave no token
    ├── BudgetExhausted                --max-requests were all sent
    ├── Throttled                      the target kept throttling past the caps
    ├── DeadlineReached                the run lasted --deadline seconds
    ├── OutcomeUnknown (SkipTest)      a create's answer was lost: not judged
    └── ShrinkBudgetSpent              --shrink-budget spent on one failure

    ContractViolation (AssertionError) the target broke a clause

A violation is a finding about the target; a ContractError is a problem with
the run itself (exit code 2), never reported as a failed clause.
"""

from __future__ import annotations

import unittest


class ContractError(Exception):
    """Base class of problems that stop the suite from checking a target."""


class ConfigError(ContractError, ValueError):
    """An option given to the suite is invalid; the message says what to fix."""


class TargetUnreachable(ContractError):
    """The endpoint did not answer (connection refused, timeout, DNS...)."""


class TokenRejected(ContractError):
    """The endpoint answered 401 or 403 to a request carrying the token."""


class TokenUnavailable(ContractError):
    """The token endpoint (`--token-url`) refused the client or did not answer.

    The message names the endpoint, the client id and the OAuth error; never
    the secret.
    """


class BudgetExhausted(ContractError):
    """The run sent its `--max-requests`; nothing more is sent."""

    def __init__(self, budget: int) -> None:
        super().__init__(budget)
        self.budget = budget

    def __str__(self) -> str:
        return f"request budget of {self.budget} exhausted (raise --max-requests)"


class Throttled(ContractError):
    """The target kept answering 429/503 past `--max-retries` or `--max-wait`.

    Not a finding about the contract: the run stops (exit 2) and what it did
    not reach is reported as not run.
    """

    def __init__(self, status: int, reason: str) -> None:
        super().__init__(status, reason)
        self.status = status
        self.reason = reason

    def __str__(self) -> str:
        return (
            f"the target throttled the run (HTTP {self.status}): {self.reason}; "
            "raise --max-retries or --max-wait, or lower --rps"
        )


class DeadlineReached(ContractError):
    """The run lasted `--deadline` seconds: it stops, reporting what it reached."""

    def __init__(self, deadline: float) -> None:
        super().__init__(deadline)
        self.deadline = deadline

    def __str__(self) -> str:
        return f"the run reached its --deadline of {self.deadline:g} s"


class OutcomeUnknown(ContractError, unittest.SkipTest):
    """A request that may have created a sender got no response.

    Sending it again could create a second sender, so the step is reported as
    "unknown outcome", neither held nor failed. It is a `SkipTest`, so pytest
    and Hypothesis skip the step at once instead of shrinking it.
    """

    def __init__(self, detail: str) -> None:
        super().__init__(detail)
        self.detail = detail

    def __str__(self) -> str:
        return f"unknown outcome: {self.detail}"


class ShrinkBudgetSpent(ContractError):
    """A failing test sent its `--shrink-budget` while Hypothesis shrank it.

    The suite then reports the first failing example as it was found.
    """

    def __init__(self, budget: int) -> None:
        super().__init__(budget)
        self.budget = budget

    def __str__(self) -> str:
        return (
            f"shrinking stopped after {self.budget} requests (--shrink-budget); "
            "the failing example is reported unshrunk"
        )


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

"""The rules every answer keeps, judged once per side over a whole diff."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from contracts.clauses import ClauseId
from contracts.invariants import error_shape_problem, password_leak
from contracts.tools.diff._observe import Observation
from contracts.tools.diff._rows import Row

if TYPE_CHECKING:
    from contracts.client.exchanges import Exchange


@dataclass
class Flags:
    """One side's verdict on the rules every answer keeps, over a whole diff.

    Attributes:
        leaked: A submitted password appeared in data, a domain error or a
            success.
        quoted: A request-level error quoted a submitted password (a
            security warning).
        shaped: Every domain error had the real API's shape.
    """

    leaked: bool = False
    quoted: bool = False
    shaped: bool = True

    def add(self, exchange: Exchange, passwords: set[str]) -> None:
        """Judge one more answer (`contracts.invariants`)."""
        leak = password_leak(exchange, passwords)
        self.leaked |= leak is ClauseId.SECRETS_PASSWORD
        self.quoted |= leak is ClauseId.SECRETS_PASSWORD_IN_REQUEST_ERRORS
        self.shaped &= error_shape_problem(exchange) is None


def flag_rows(mock: Flags, target: Flags) -> list[Row]:
    """The rows comparing both sides' `Flags`."""

    def row(clause_id: ClauseId, label: str, mine: bool, theirs: bool) -> Row:
        def as_observation(flag: bool) -> tuple[Observation, ...]:
            return (Observation(0, "yes" if flag else "no", (), None),)

        return Row(clause_id, label, as_observation(mine), as_observation(theirs))

    return [
        row(
            ClauseId.SECRETS_PASSWORD,
            "any password echoed",
            mock.leaked,
            target.leaked,
        ),
        row(
            ClauseId.SECRETS_PASSWORD_IN_REQUEST_ERRORS,
            "a request-level error quotes a password",
            mock.quoted,
            target.quoted,
        ),
        row(
            ClauseId.ERRORS_SHAPE,
            "every error in the API's shape",
            mock.shaped,
            target.shaped,
        ),
    ]

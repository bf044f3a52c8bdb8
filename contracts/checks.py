"""Checks of responses against clauses; each failure names its clause.

A check that fails raises `ContractViolation` when the run enforces the
clause's tier, and is only recorded otherwise.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from contracts.clauses import ClauseId, clause
from contracts.documented import MUTATION_FIELD
from contracts.errors import ContractViolation
from contracts.invariants import (
    error_shape_problem,
    is_uuid,
    password_leak,
    port_as_string,
    refusal_observation,
    refusal_problem,
    successful_sender,
)

if TYPE_CHECKING:
    from collections.abc import Callable, Iterable

    from contracts.client.exchanges import Exchange
    from contracts.config import ContractConfig
    from contracts.reports.results import Results

ECHOED_FIELDS = ("senderName", "emailAddress")
ECHOED_CONFIGURATION_FIELDS = ("host", "organizationId")


class Checker:
    """Raises or records clause failures with everything needed to act on them.

    Args:
        config: The run's options (which tiers fail the run, the seed).
        results: Where checks and unenforced failures are recorded.
        url: The endpoint, for reproduction commands.
        on_failure: Called before a violation is raised (starts the target's
            shrink budget).
    """

    def __init__(
        self,
        config: ContractConfig,
        results: Results,
        url: str,
        *,
        on_failure: Callable[[], None] | None = None,
    ) -> None:
        self.config = config
        self.results = results
        self.url = url
        self.on_failure = on_failure
        self.first_failure: ContractViolation | None = None
        """The current test's first violation, as found (before shrinking)."""

    def next_test(self) -> None:
        """Forget the previous test's first violation."""
        self.first_failure = None

    def holds(self, clause_id: ClauseId) -> None:
        """Count one successful check of a clause."""
        self.results.checked(clause_id)

    def violation(
        self,
        clause_id: ClauseId,
        exchange: Exchange | None,
        title: str,
        *,
        expected: str,
        observed: str,
    ) -> None:
        """Report that a clause failed.

        Raises:
            ContractViolation: when the run enforces the clause's tier.
        """
        item = clause(clause_id)
        full_title = f"[{item.tier}] {item.id}: {title}"
        self.results.checked(clause_id)
        if not self.config.enforces(item.tier):
            self.results.not_enforced(clause_id, title)
            return
        seed = self.config.seed if self.config.seed is not None else "see Hypothesis"
        lines = [
            f"Clause:   {item.statement} ({item.source})",
            f"Expected: {expected}",
            f"Observed: {observed}",
            f"Seed:     {seed}",
        ]
        if exchange is not None:
            token_set = self.config.has_credentials
            lines.append(f"Reproduce: {exchange.curl(self.url, token_set=token_set)}")
        error = ContractViolation(
            clause=item.id.value,
            operation=MUTATION_FIELD,
            title=full_title,
            message="\n".join(lines),
        )
        if self.first_failure is None:
            self.first_failure = error
        if self.on_failure is not None:
            self.on_failure()
        raise error

    def created_sender(
        self, exchange: Exchange, clause_id: ClauseId
    ) -> dict[str, Any] | None:
        """Return the sender of a create expected to succeed, or report it."""
        sender = successful_sender(exchange)
        if sender is not None:
            self.holds(clause_id)
        else:
            self.violation(
                clause_id,
                exchange,
                "a valid create did not succeed",
                expected=f"HTTP 200 with data.{MUTATION_FIELD}.smtpCustomEmail "
                "and no errors",
                observed=describe(exchange),
            )
        return sender

    def rejected(self, exchange: Exchange, clause_id: ClauseId, title: str) -> None:
        """Check that a create was refused cleanly, not accepted and not a crash.

        A request-level refusal (any 4xx, JSON or not) holds, and how it was
        answered is recorded as an observation (`invariants.refusal_problem`).
        """
        if refusal_problem(exchange) is not None:
            self.violation(
                clause_id,
                exchange,
                title,
                expected="a refusal: HTTP 4xx, or a GraphQL error; nothing created",
                observed=describe(exchange),
            )
            return
        self.holds(clause_id)
        self.observe_refusal(exchange, clause_id)

    def observe_refusal(self, exchange: Exchange, clause_id: ClauseId) -> None:
        """Record how a request-level error was answered (status, content type)."""
        seen = refusal_observation(exchange, exchange.content_type)
        if seen is not None:
            self.results.note(clause_id, seen)

    def ids(self, exchange: Exchange, sender: dict[str, Any], seen: set[str]) -> None:
        """Both ids are UUID-formatted, distinct, and never seen before."""
        configuration = sender.get("smtpConfiguration") or {}
        ids: list[Any] = [sender.get("id"), configuration.get("id")]
        problem = None
        if not all(is_uuid(value) for value in ids):
            problem = "ids are not UUID-formatted (8-4-4-4-12 hex)"
        elif ids[0] == ids[1]:
            problem = "the sender and its configuration share one id"
        elif seen.intersection(ids):
            problem = "an id of an earlier create was returned again"
        if problem is not None:
            self.violation(
                ClauseId.CREATE_BOTH_OBJECTS,
                exchange,
                problem,
                expected="two distinct, fresh UUIDs",
                observed=f"sender id {ids[0]!r}, configuration id {ids[1]!r}",
            )
            return
        seen.update(ids)
        self.holds(ClauseId.CREATE_BOTH_OBJECTS)

    def echoed(
        self, exchange: Exchange, sender: dict[str, Any], variables: dict[str, Any]
    ) -> None:
        """The documented fields come back exactly as sent."""
        sent_configuration = variables["smtpConfiguration"]
        configuration = sender.get("smtpConfiguration") or {}
        pairs = [(name, variables[name], sender.get(name)) for name in ECHOED_FIELDS]
        pairs += [
            (
                f"smtpConfiguration.{name}",
                sent_configuration[name],
                configuration.get(name),
            )
            for name in ECHOED_CONFIGURATION_FIELDS
        ]
        for name, sent, returned in pairs:
            if returned != sent:
                self.violation(
                    ClauseId.CREATE_ECHO,
                    exchange,
                    f"{name} is not returned as sent",
                    expected=repr(sent),
                    observed=repr(returned),
                )
                return
        self.holds(ClauseId.CREATE_ECHO)

    def port(
        self, exchange: Exchange, sender: dict[str, Any], variables: dict[str, Any]
    ) -> None:
        """`port` comes back as the decimal string of the Int sent."""
        sent = variables["smtpConfiguration"]["port"]
        returned = (sender.get("smtpConfiguration") or {}).get("port")
        if not port_as_string(returned, sent):
            self.violation(
                ClauseId.CREATE_PORT_STRING,
                exchange,
                "port is not returned as the decimal string of the input",
                expected=f"{str(sent)!r} (a String)",
                observed=f"{returned!r} ({type(returned).__name__})",
            )
            return
        self.holds(ClauseId.CREATE_PORT_STRING)

    def relay_flag(
        self,
        exchange: Exchange,
        sender: dict[str, Any],
        expected: bool,
        clause_id: ClauseId,
    ) -> None:
        """`ipRelayAuth` in the response has the expected value."""
        returned = (sender.get("smtpConfiguration") or {}).get("ipRelayAuth")
        if returned is not expected:
            self.violation(
                clause_id,
                exchange,
                "ipRelayAuth does not have the expected value",
                expected=repr(expected),
                observed=repr(returned),
            )
            return
        self.holds(clause_id)

    def error_shape(self, exchange: Exchange, field: str = MUTATION_FIELD) -> None:
        """A domain error (HTTP 200 with errors) has the real API's error shape.

        Args:
            exchange: The answer.
            field: The root field the request selected (null beside errors).
        """
        body = exchange.body
        if not isinstance(body, dict):
            return
        if "errors" not in body and not ("data" in body and body["data"] is None):
            return
        problem = error_shape_problem(exchange, field=field)
        if problem is not None:
            self.violation(
                ClauseId.ERRORS_SHAPE,
                exchange,
                problem,
                expected=f"data.{field}: null and errors[] entries with "
                "message and extensions.code",
                observed=_shorten(exchange.text),
            )
            return
        self.holds(ClauseId.ERRORS_SHAPE)

    def retry_after(self, exchange: Exchange) -> None:
        """A 503 or 429 answer carries `Retry-After`: a client must know when."""
        if exchange.status not in (429, 503):
            return
        if not (exchange.retry_after or "").strip():
            self.violation(
                ClauseId.ERRORS_RETRY_AFTER,
                exchange,
                f"HTTP {exchange.status} without Retry-After",
                expected="a Retry-After header (seconds or an HTTP date)",
                observed=describe(exchange),
            )
            return
        self.holds(ClauseId.ERRORS_RETRY_AFTER)

    def no_password(
        self, exchange: Exchange, passwords: Iterable[str], marker: str = ""
    ) -> None:
        """No password submitted so far appears in this response.

        Args:
            exchange: The response to search.
            passwords: Every password submitted so far.
            marker: A prefix all generated passwords share; when it is absent
                from the response, no generated password can be in it, which
                keeps this check linear in the response's size.
        """
        leak = password_leak(exchange, passwords, marker=marker)
        if leak is None:
            self.holds(ClauseId.SECRETS_PASSWORD)
            self.holds(ClauseId.SECRETS_PASSWORD_IN_REQUEST_ERRORS)
        elif leak is ClauseId.SECRETS_PASSWORD:
            self.violation(
                leak,
                exchange,
                "a submitted password appears in a response",
                expected="no password in data, a domain error or a success",
                observed=f"HTTP {exchange.status} contains a submitted password "
                "(not shown)",
            )
        else:
            # graphql-js and graphql-ruby quote the variable that failed to
            # coerce: a real leak, but outside the guide (issue #18).
            self.holds(ClauseId.SECRETS_PASSWORD)
            self.violation(
                leak,
                exchange,
                "a request-level error quotes a submitted password",
                expected="coercion messages without the submitted value",
                observed=f"HTTP {exchange.status} quotes a submitted password "
                "(not shown)",
            )


def describe(exchange: Exchange) -> str:
    """A short, token-free account of a response."""
    return f"HTTP {exchange.status}: {_shorten(exchange.text)}"


def _shorten(text: str, limit: int = 400) -> str:
    return text if len(text) <= limit else text[:limit] + "…"

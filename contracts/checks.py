"""Checks of responses against clauses; each failure names its clause.

A check that fails raises `ContractViolation` when the run enforces the
clause's tier, and is only recorded otherwise.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any

from contracts.clauses import clause
from contracts.documented import MUTATION_FIELD
from contracts.errors import ContractViolation

if TYPE_CHECKING:
    from collections.abc import Iterable

    from contracts.client.target import Exchange
    from contracts.config import ContractConfig
    from contracts.reports.results import Results

# The 8-4-4-4-12 text form only: the guide's own example ids are not all v4.
UUID_TEXT = re.compile(
    r"^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$"
)
ECHOED_FIELDS = ("senderName", "emailAddress")
ECHOED_CONFIGURATION_FIELDS = ("host", "organizationId")


class Checker:
    """Raises or records clause failures with everything needed to act on them.

    Args:
        config: The run's options (which tiers fail the run, the seed).
        results: Where checks and unenforced failures are recorded.
        url: The endpoint, for reproduction commands.
    """

    def __init__(self, config: ContractConfig, results: Results, url: str) -> None:
        self.config = config
        self.results = results
        self.url = url

    def holds(self, clause_id: str) -> None:
        """Count one successful check of a clause."""
        self.results.checked(clause_id)

    def violation(
        self,
        clause_id: str,
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
            token_set = bool(self.config.token)
            lines.append(f"Reproduce: {exchange.curl(self.url, token_set=token_set)}")
        raise ContractViolation(
            clause=item.id,
            operation=MUTATION_FIELD,
            title=full_title,
            message="\n".join(lines),
        )

    def created_sender(
        self, exchange: Exchange, clause_id: str
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
                expected="HTTP 200 with data.createSmtpCustomEmailWithConfiguration"
                ".smtpCustomEmail and no errors",
                observed=describe(exchange),
            )
        return sender

    def rejected(self, exchange: Exchange, clause_id: str, title: str) -> None:
        """Check that a create was refused with a GraphQL error, not a crash."""
        body = exchange.body
        errors = body.get("errors") if isinstance(body, dict) else None
        created = successful_sender(exchange) is not None
        if exchange.status >= 500 or not errors or created:
            self.violation(
                clause_id,
                exchange,
                title,
                expected="a GraphQL error response (errors[], nothing created)",
                observed=describe(exchange),
            )
            return
        self.holds(clause_id)

    def ids(self, exchange: Exchange, sender: dict[str, Any], seen: set[str]) -> None:
        """Both ids are UUID-formatted, distinct, and never seen before."""
        configuration = sender.get("smtpConfiguration") or {}
        ids: list[Any] = [sender.get("id"), configuration.get("id")]
        problem = None
        if not all(isinstance(value, str) and UUID_TEXT.match(value) for value in ids):
            problem = "ids are not UUID-formatted (8-4-4-4-12 hex)"
        elif ids[0] == ids[1]:
            problem = "the sender and its configuration share one id"
        elif seen.intersection(ids):
            problem = "an id of an earlier create was returned again"
        if problem is not None:
            self.violation(
                "create.both-objects",
                exchange,
                problem,
                expected="two distinct, fresh UUIDs",
                observed=f"sender id {ids[0]!r}, configuration id {ids[1]!r}",
            )
            return
        seen.update(ids)
        self.holds("create.both-objects")

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
                    "create.echo",
                    exchange,
                    f"{name} is not returned as sent",
                    expected=repr(sent),
                    observed=repr(returned),
                )
                return
        self.holds("create.echo")

    def port(
        self, exchange: Exchange, sender: dict[str, Any], variables: dict[str, Any]
    ) -> None:
        """`port` comes back as the decimal string of the Int sent."""
        sent = variables["smtpConfiguration"]["port"]
        returned = (sender.get("smtpConfiguration") or {}).get("port")
        if returned != str(sent):
            self.violation(
                "create.port-string",
                exchange,
                "port is not returned as the decimal string of the input",
                expected=f"{str(sent)!r} (a String)",
                observed=f"{returned!r} ({type(returned).__name__})",
            )
            return
        self.holds("create.port-string")

    def relay_flag(
        self, exchange: Exchange, sender: dict[str, Any], expected: bool, clause_id: str
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

    def error_shape(self, exchange: Exchange) -> None:
        """A response with errors has the real API's error shape."""
        body = exchange.body
        if not isinstance(body, dict) or "errors" not in body:
            return
        errors = body["errors"]
        problem = None
        if not isinstance(errors, list) or not errors:
            problem = "errors is not a non-empty list"
        elif not all(
            isinstance(entry, dict)
            and isinstance(entry.get("message"), str)
            and entry["message"].strip()
            for entry in errors
        ):
            problem = "an error entry has no message"
        elif exchange.status == 200:
            if body.get("data") != {MUTATION_FIELD: None}:
                problem = f"data.{MUTATION_FIELD} is not null beside errors"
            elif not all(_has_code(entry) for entry in errors):
                problem = "an error entry has no extensions.code"
        if problem is not None:
            self.violation(
                "errors.shape",
                exchange,
                problem,
                expected=f"data.{MUTATION_FIELD}: null and errors[] entries with "
                "message and extensions.code",
                observed=_shorten(exchange.text),
            )
            return
        self.holds("errors.shape")

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
        text = exchange.text
        candidates = passwords if not marker or marker in text else ()
        leaked = [secret for secret in candidates if secret and secret in text]
        if leaked:
            self.violation(
                "secrets.password",
                exchange,
                "a submitted password appears in a response",
                expected="no password in any response",
                observed=f"HTTP {exchange.status} contains a submitted password "
                "(not shown)",
            )
            return
        self.holds("secrets.password")


def successful_sender(exchange: Exchange) -> dict[str, Any] | None:
    """The created sender when the exchange is a clean success, else None."""
    body = exchange.body
    if exchange.status != 200 or not isinstance(body, dict) or body.get("errors"):
        return None
    payload = (body.get("data") or {}).get(MUTATION_FIELD)
    sender = payload.get("smtpCustomEmail") if isinstance(payload, dict) else None
    return sender if isinstance(sender, dict) else None


def describe(exchange: Exchange) -> str:
    """A short, token-free account of a response."""
    return f"HTTP {exchange.status}: {_shorten(exchange.text)}"


def _has_code(entry: dict[str, Any]) -> bool:
    extensions = entry.get("extensions")
    return isinstance(extensions, dict) and bool(extensions.get("code"))


def _shorten(text: str, limit: int = 400) -> str:
    return text if len(text) <= limit else text[:limit] + "…"

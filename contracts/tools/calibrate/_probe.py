"""Sending calibration probes and keeping what each one showed."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from contracts.client.curl import curl_command
from contracts.inputs.steps import Request
from contracts.invariants import successful_sender

if TYPE_CHECKING:
    from contracts.client.exchanges import Exchange
    from contracts.client.ledger import Ledger
    from contracts.client.target import Target
    from contracts.inputs.steps import Context


@dataclass(frozen=True, slots=True)
class Answer:
    """One probe and the target's answer.

    Attributes:
        exchange: What was sent and what came back.
        curl: The request as a `curl`, the token left as `$SMTP_CONTRACT_TOKEN`.
    """

    exchange: Exchange
    curl: str

    @property
    def sender(self) -> dict[str, Any] | None:
        """The created sender, when the probe was accepted."""
        return successful_sender(self.exchange)

    @property
    def accepted(self) -> bool:
        """Whether a sender was created."""
        return self.sender is not None

    @property
    def entries(self) -> tuple[tuple[str, str], ...]:
        """`(code, message)` of each error entry."""
        return tuple((code, message) for code, _, message in self.errors)

    @property
    def errors(self) -> tuple[tuple[str, tuple[str, ...], str], ...]:
        """`(code, fields, message)` of each error entry (`error_parts`)."""
        return error_parts(self.exchange.body)

    @property
    def extensions(self) -> dict[str, Any]:
        """The first error entry's `extensions` (empty without one)."""
        body = self.exchange.body
        errors = body.get("errors") if isinstance(body, dict) else None
        first = errors[0] if isinstance(errors, list) and errors else None
        found = first.get("extensions") if isinstance(first, dict) else None
        return found if isinstance(found, dict) else {}

    @property
    def refused(self) -> bool:
        """A domain refusal: HTTP 200 with error entries, no sender.

        A request-level answer (HTTP 400: the schema refused the variables)
        is the schema's doing, not a behaviour a profile can set.
        """
        return self.exchange.status == 200 and bool(self.entries) and not self.accepted

    def summary(self) -> str:
        """What was observed, in one line."""
        status = f"HTTP {self.exchange.status}"
        if self.accepted:
            return f"{status} accepted"
        if not self.entries:
            return f"{status} {self.exchange.text[:200]!r}"
        errors = "; ".join(f"{code} {message!r}" for code, message in self.entries)
        return f"{status} rejected: {errors}"


@dataclass
class Prober:
    """Sends probes through the target (its budget and rate limit apply).

    Args:
        target: Where probes go.
        context: The run's namespace, organizations and password marker.
        ledger: Records every sender a probe created.
        curl_url: The URL shown in evidence.
    """

    target: Target
    context: Context
    ledger: Ledger
    curl_url: str
    answers: list[Answer] = field(default_factory=list)

    def send(self, variables: dict[str, Any]) -> Answer:
        """Send one create.

        Raises:
            BudgetExhausted: the request budget is spent.
            TargetUnreachable: the endpoint did not answer.
        """
        return self.send_request(Request(variables))

    def send_request(self, request: Request) -> Answer:
        """Send one request (a create, or another document).

        Raises:
            BudgetExhausted: the request budget is spent.
            TargetUnreachable: the endpoint did not answer.
        """
        payload = request.payload()
        exchange = self.target.post(payload, authenticated=request.authenticated)
        with_token = self.target.has_credentials and request.authenticated
        answer = Answer(
            exchange, curl_command(self.curl_url, payload, with_token=with_token)
        )
        if answer.sender is not None:
            self.ledger.record_answer(answer.sender, request.variables)
        self.answers.append(answer)
        return answer


def error_parts(body: Any) -> tuple[tuple[str, tuple[str, ...], str], ...]:
    """`(code, fields, message)` of each error entry of a response body.

    The fields are what `extensions` names: `field` (one) or `fields` (a list).
    """
    errors = body.get("errors") if isinstance(body, dict) else None
    parts = []
    for entry in errors if isinstance(errors, list) else []:
        if not isinstance(entry, dict) or "message" not in entry:
            continue
        extensions = entry.get("extensions")
        extensions = extensions if isinstance(extensions, dict) else {}
        named = extensions.get("fields", extensions.get("field", ()))
        fields = (
            tuple(map(str, named))
            if isinstance(named, list)
            else ((str(named),) if named else ())
        )
        parts.append((str(extensions.get("code", "")), fields, str(entry["message"])))
    return tuple(parts)

"""One exchange, with what may legitimately differ between sides taken out."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from contracts.invariants import is_request_level, is_uuid, successful_sender

if TYPE_CHECKING:
    from contracts.client.exchanges import Exchange

_VOLATILE_KEYS = frozenset({"correlation_id", "locations"})


@dataclass(frozen=True, slots=True)
class Observation:
    """A response with what may legitimately differ taken out."""

    status: int
    outcome: str
    codes: tuple[str, ...]
    data: Any
    messages: tuple[str, ...] = ()

    def summary(self) -> str:
        """A short, one-line account."""
        codes = f" {', '.join(self.codes)}" if self.codes else ""
        status = f"HTTP {self.status} " if self.status else ""
        return f"{status}{self.outcome}{codes}"


def observe(exchange: Exchange, *, wording: bool = False) -> Observation:
    """Normalize one response; keep the error messages when `wording`."""
    body = exchange.body if isinstance(exchange.body, dict) else {}
    raw_errors = body.get("errors")
    errors: list[Any] = raw_errors if isinstance(raw_errors, list) else []
    codes = tuple(
        sorted(
            {
                str((entry.get("extensions") or {}).get("code", "none"))
                for entry in errors
                if isinstance(entry, dict)
            }
        )
    )
    if is_request_level(exchange):
        # A refusal, JSON or not: its body is the target's choice.
        return Observation(exchange.status, "rejected", codes, None)
    if exchange.status >= 500:
        # A crash, whatever the body says: never the same as a refusal.
        return Observation(exchange.status, "server error", codes, None)
    if exchange.body is None:
        outcome = "not JSON"
    elif successful_sender(exchange) is not None or (not errors and "data" in body):
        outcome = "accepted"
    else:
        outcome = "rejected"
    messages = sorted(
        str(entry.get("message")) for entry in errors if isinstance(entry, dict)
    )
    return Observation(
        exchange.status,
        outcome,
        codes,
        _normalize(body.get("data")),
        tuple(messages) if wording else (),
    )


def _normalize(value: Any) -> Any:
    if isinstance(value, dict):
        return {
            key: _normalize(item)
            for key, item in value.items()
            if key not in _VOLATILE_KEYS
        }
    if isinstance(value, list):
        return [_normalize(item) for item in value]
    if is_uuid(value):
        return "<uuid>"
    return value

"""Boundaries found by bisection: the port range and each maximum length."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from contracts.inputs.steps import credentials, relay
from contracts.tools.calibrate._addresses import long_address
from contracts.tools.calibrate._mockside import (
    DEFAULT_PROFILE,
    EmailSyntax,
    Failure,
    family_accepts,
)

if TYPE_CHECKING:
    from contracts.tools.calibrate._findings import Findings
    from contracts.tools.calibrate._probe import Answer, Prober

INT_MIN, INT_MAX = -(2**31), 2**31 - 1
LONGEST = 5000
"""Longest value probed: accepted at this length counts as no limit."""

LENGTH_FIELDS = ("senderName", "emailAddress", "host", "username", "password")
"""Fields whose maximum length is bisected (an address: a plain one, padded)."""
_USUAL_EMAIL = 254
"""The longest address email-validator (the mock's `strict`) accepts."""


class _Probe:
    """Accepts(value) over one input, remembering the decisive answers."""

    def __init__(self, send: Callable[[int], Answer]) -> None:
        self._send = send
        self.accepted: dict[int, Answer] = {}
        self.refused: dict[int, Answer] = {}

    def __call__(self, value: int) -> bool:
        answer = self._send(value)
        (self.accepted if answer.accepted else self.refused)[value] = answer
        return answer.accepted


def _bisect(accepts: _Probe, good: int, bad: int) -> int:
    """The accepted value next to the refused ones, between `good` and `bad`.

    Either end may be the larger: it finds the upper or the lower limit.
    """
    while abs(bad - good) > 1:
        middle = (good + bad) // 2
        if accepts(middle):
            good = middle
        else:
            bad = middle
    return good


def learn_ports(prober: Prober, findings: Findings) -> None:
    """The accepted port range: both ends, by bisection where needed."""
    ctx = prober.context
    accepts = _Probe(lambda port: prober.send(relay(ctx, port=port)))
    known = int(relay(ctx)["smtpConfiguration"]["port"])
    if not accepts(known):
        findings.skip("port.min", f"port {known} (the guide's) was refused")
        findings.skip("port.max", f"port {known} (the guide's) was refused")
        return
    high = _upper_end(accepts, known)
    low = _lower_end(accepts, known)
    for key, value in (("port.max", high), ("port.min", low)):
        beyond = value + 1 if key == "port.max" else value - 1
        decisive = accepts.refused.get(beyond) or accepts.accepted[value]
        findings.pin(key, value, decisive, f"port {value} accepted")
    for answer in accepts.refused.values():
        findings.refusal(Failure.PORT_RANGE, "port", answer)


def _upper_end(accepts: _Probe, known: int) -> int:
    usual = DEFAULT_PROFILE.port_max
    if not accepts(usual + 1):
        return usual if accepts(usual) else _bisect(accepts, known, usual)
    return _gallop(accepts, usual + 1, INT_MAX)


def _lower_end(accepts: _Probe, known: int) -> int:
    usual = DEFAULT_PROFILE.port_min
    if not accepts(usual - 1):
        return usual if accepts(usual) else _bisect(accepts, known, usual)
    return _gallop(accepts, usual - 1, INT_MIN)


def _gallop(accepts: _Probe, good: int, end: int) -> int:
    """The last accepted value from `good` (accepted) towards `end`.

    Steps of 1, 2, 4... until one is refused, then bisection: a limit just
    past the usual one (a port 0) costs two requests, not thirty.
    """
    step = 1 if end > good else -1
    while good != end:
        further = max(min(good + step, INT_MAX), INT_MIN)
        further = min(further, end) if step > 0 else max(further, end)
        if not accepts(further):
            return _bisect(accepts, good, further)
        good, step = further, step * 2
    return end


def long_value(name: str, length: int, marker: str) -> str:
    """A value of exactly `length` characters for one text input."""
    if name == "host" and length > len(".example"):
        return "h" * (length - len(".example")) + ".example"
    if name == "password":
        return (marker + "p" * length)[:length]
    return {"senderName": "N", "host": "h", "username": "u"}[name] * length


def _variables(prober: Prober, name: str, length: int) -> dict[str, Any]:
    ctx = prober.context
    if name == "emailAddress":
        local, _, domain = ctx.namespace.fresh_address().partition("@")
        return relay(ctx, emailAddress=long_address(local, domain, length))
    value = long_value(name, length, ctx.password_marker)
    if name in ("username", "password"):
        return credentials(ctx, **{name: value})
    if name == "host":
        return relay(ctx, host=value)
    return relay(ctx, senderName=value)


def learn_max_length(prober: Prober, findings: Findings, name: str) -> None:
    """The longest accepted value of one text input, or none up to `LONGEST`."""
    accepts = _Probe(lambda n: prober.send(_variables(prober, name, n)))
    key = f"fields.{name}.max_length"
    usual = DEFAULT_PROFILE.rule(name).max_length or 255
    if name == "emailAddress":
        usual = _USUAL_EMAIL
    if accepts(usual + 1):
        if accepts(LONGEST):
            observed = f"{LONGEST} characters accepted: no limit up to there"
            findings.pin(key, "none", accepts.accepted[LONGEST], observed)
            return
        limit = _bisect(accepts, usual + 1, LONGEST)
    elif accepts(usual):
        limit = usual
    elif accepts(shortest := _shortest(prober, name)):
        limit = _bisect(accepts, shortest, usual)
    else:
        findings.skip(key, f"even {shortest} character(s) were refused")
        return
    decisive = accepts.refused[limit + 1]
    if name == "emailAddress" and _syntax_limit(decisive, findings):
        observed = f"{limit} characters accepted, more refused as an invalid address"
        findings.pin(key, "none", decisive, f"{observed}: the syntax family's own")
        return
    findings.pin(key, limit, decisive, f"{limit} characters accepted")
    findings.refusal(Failure.TOO_LONG, name, decisive)


def _shortest(prober: Prober, name: str) -> int:
    # An address cannot be one character long: a plain one is the floor.
    if name == "emailAddress":
        return len(prober.context.namespace.fresh_address())
    return 1


def _syntax_limit(refused: Answer, findings: Findings) -> bool:
    """Whether an address too long was refused by the family's own length rule."""
    message = refused.entries[0][1] if refused.refused else None
    if message not in findings.messages(Failure.INVALID_EMAIL, "emailAddress"):
        return False
    family = EmailSyntax(findings.values.get("email.syntax", "strict"))
    sent = refused.exchange.payload or {}
    address = str((sent.get("variables") or {}).get("emailAddress", ""))
    return not family_accepts(address, family)

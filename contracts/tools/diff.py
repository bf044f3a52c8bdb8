"""How faithful is the mock? The same requests against both, side by side.

Every step of `contracts.inputs.steps` is built once and sent unchanged to the
mock (in-process) and to the target. What may legitimately differ is
normalized away: ids, correlation ids and error wording. What remains
(accepted, rejected or crashed, and the returned data) must match for
documented and inferred clauses; probes only show what each side chose. How a
request is refused is the target's choice where the guide is silent: the
guide documents no error codes, and any 4xx is a clean refusal
(`contracts.invariants`), so codes and statuses of refusals are shown, never
compared (the auth clause's 401 aside). Whether every error has the API's
shape is judged by the invariant, once per side. A password quoted by a
request-level error is a security warning row, never a failure.

Against a mock running a calibrated profile (`diff --profile`), error wording
is compared too: the profile set it, so it should match. A difference in
wording is shown, and never fails the diff (the guide documents no message).
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from contracts.clauses import ClauseId, Tier, clause
from contracts.documented import MUTATION_FIELD
from contracts.errors import BudgetExhausted, ContractError, OutcomeUnknown, Throttled
from contracts.inputs.steps import DOCUMENTED_STEPS, PROBE_STEPS, Context, Request, Step
from contracts.invariants import (
    error_shape_problem,
    is_request_level,
    is_uuid,
    password_leak,
    submitted_passwords,
    successful_sender,
)

if TYPE_CHECKING:
    from collections.abc import Mapping

    from contracts.client.ledger import Ledger
    from contracts.client.target import Exchange, Target

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


# Which clause a difference in a returned field speaks to.
_FIELD_CLAUSES = {
    "port": ClauseId.CREATE_PORT_STRING,
    "id": ClauseId.CREATE_BOTH_OBJECTS,
    "emailAddress": ClauseId.CREATE_ECHO,
    "senderName": ClauseId.CREATE_ECHO,
    "host": ClauseId.CREATE_ECHO,
    "organizationId": ClauseId.CREATE_ECHO,
    "clientMutationId": ClauseId.RELAY_CLIENT_MUTATION_ID,
}
_PAYLOAD_PATH = f"{MUTATION_FIELD}.smtpCustomEmail."
# In a probe, only differences the probe's input cannot explain leave the probe.
_FORMAT_FIELDS = frozenset({"port", "id"})


@dataclass(frozen=True, slots=True)
class Difference:
    """One way the two sides differ, and the clause it speaks to."""

    clause: ClauseId
    detail: str
    binding: bool = True  # False: shown, never failing (error wording)

    @property
    def fails(self) -> bool:
        """A binding difference in a documented or inferred clause fails the diff."""
        return self.binding and clause(self.clause).tier in _FAILING_TIERS


# Probes show the target's choices; a security warning fails only
# `run --strict-secrets`.
_FAILING_TIERS = frozenset({Tier.DOCUMENTED, Tier.INFERRED})


@dataclass(frozen=True, slots=True)
class Row:
    """One step compared."""

    clause: ClauseId
    label: str
    mock: tuple[Observation, ...]
    target: tuple[Observation, ...]
    unknown: bool = False
    """The target's answer to a write was lost: the step is not compared."""

    @property
    def same(self) -> bool:
        """Whether both sides behaved alike (what the guide leaves open aside)."""
        return not self.unknown and not self.differences

    @property
    def differences(self) -> list[Difference]:
        """What differs, attributed to clauses."""
        if self.unknown:
            return []
        if len(self.mock) != len(self.target):
            return [Difference(self.clause, "a different number of responses")]
        found: list[Difference] = []
        for mine, theirs in zip(self.mock, self.target, strict=True):
            found += _differences(self.clause, mine, theirs)
        return found

    @property
    def fails(self) -> bool:
        """A documented or inferred clause that differs fails the diff."""
        return any(difference.fails for difference in self.differences)


def _differences(
    step: ClauseId, mine: Observation, theirs: Observation
) -> list[Difference]:
    probe = clause(step).tier is Tier.PROBE
    both = f"mock {mine.summary()}, target {theirs.summary()}"
    if mine.outcome != theirs.outcome:
        return [Difference(step, both)]
    found = []
    if mine.messages != theirs.messages:
        wording = (
            f"messages: mock {list(mine.messages)}, target {list(theirs.messages)}"
        )
        found.append(Difference(step, wording, binding=False))
    if mine.outcome == "rejected":
        return found + _refusal_differences(step, probe, mine, theirs, both)
    for path, ours, other in _data_differences(mine.data, theirs.data, ()):
        name = str(path[-1]) if path else ""
        attributed = _FIELD_CLAUSES.get(name, step)
        if name == "ipRelayAuth":
            attributed = (
                step if step.startswith("relay.") else ClauseId.RELAY_DEFAULT_FALSE
            )
        if probe and name not in _FORMAT_FIELDS:
            attributed = step
        where = ".".join(map(str, path)).removeprefix(_PAYLOAD_PATH)
        found.append(
            Difference(attributed, f"{where}: mock {ours!r}, target {other!r}")
        )
    return found


def _refusal_differences(
    step: ClauseId, probe: bool, mine: Observation, theirs: Observation, both: str
) -> list[Difference]:
    # Both refused. The guide documents no error codes, and any 4xx is a clean
    # refusal (contracts.invariants): codes and a 200-or-4xx choice are
    # observations, and the error shape is judged once, by the Flags row. Only
    # the auth clause is about the status itself; a probe shows every choice.
    if step is ClauseId.AUTH_TOKEN and mine.status != theirs.status:
        return [Difference(step, both)]
    if probe and (mine.status, mine.codes) != (theirs.status, theirs.codes):
        return [Difference(step, both)]
    return []


def _data_differences(
    ours: Any, other: Any, path: tuple[object, ...]
) -> list[tuple[tuple[object, ...], Any, Any]]:
    if isinstance(ours, dict) and isinstance(other, dict):
        return [
            difference
            for key in sorted(set(ours) | set(other))
            for difference in _data_differences(
                ours.get(key), other.get(key), (*path, key)
            )
        ]
    if isinstance(ours, list) and isinstance(other, list) and len(ours) == len(other):
        return [
            difference
            for index, pair in enumerate(zip(ours, other, strict=True))
            for difference in _data_differences(*pair, (*path, index))
        ]
    return [] if ours == other else [(path, ours, other)]


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


def _send(target: Target, request: Request) -> Exchange:
    return target.post(request.payload(), authenticated=request.authenticated)


class DiffStopped(ContractError):
    """The target stopped the diff (budget spent, kept throttling) part way.

    Args:
        rows: The steps compared before it stopped.
        not_run: Clauses of the steps not reached.
        cause: Why it stopped.
    """

    def __init__(
        self, rows: list[Row], not_run: list[ClauseId], cause: ContractError
    ) -> None:
        super().__init__(rows, not_run, cause)
        self.rows = rows
        self.not_run = not_run
        self.cause = cause

    def __str__(self) -> str:
        return f"{self.cause}; not run: {', '.join(self.not_run) or 'nothing'}"


def planned_steps(other_org: str | None) -> list[Step]:
    """The steps a diff sends (cross-organization only with a second one)."""
    steps: list[Step] = [*DOCUMENTED_STEPS, *PROBE_STEPS]
    if not other_org:
        steps = [step for step in steps if step.clause != ClauseId.EMAIL_OTHER_ORG]
    return steps


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


def compare(
    mock: Target,
    target: Target,
    context: Context,
    *,
    ledger: Ledger | None = None,
    wording: bool = False,
) -> list[Row]:
    """Send every step to both sides and pair up what they did.

    Args:
        mock: The packaged mock, in-process.
        target: The implementation compared with it.
        context: Addresses, organizations and the password marker.
        ledger: Records what the target created, for clean-up.
        wording: Compare error messages too (the mock runs a calibrated profile).

    Raises:
        DiffStopped: the budget was spent or the target kept throttling.
    """
    rows: list[Row] = []
    steps = planned_steps(context.other_org)
    passwords: set[str] = set()
    flags = {"mock": Flags(), "target": Flags()}
    for index, step in enumerate(steps):
        observed: dict[str, list[Observation]] = {"mock": [], "target": []}
        unknown = False
        try:
            for request in step.build(context):
                passwords.update(submitted_passwords(request.payload()))
                for side, where in (("mock", mock), ("target", target)):
                    exchange = _send(where, request)
                    observed[side].append(observe(exchange, wording=wording))
                    flags[side].add(exchange, passwords)
                    sender = successful_sender(exchange)
                    if where is target and ledger is not None and sender:
                        ledger.record_answer(sender, request.variables)
        except OutcomeUnknown:
            # The step's later requests depend on a write whose fate is unknown.
            target.retries.unknown_outcome()
            unknown = True
        except (BudgetExhausted, Throttled) as exc:
            not_run = sorted({s.clause for s in steps[index:]})
            raise DiffStopped(rows, not_run, exc) from exc
        mine, theirs = tuple(observed["mock"]), tuple(observed["target"])
        rows.append(Row(step.clause, step.label, mine, theirs, unknown))
    rows += flag_rows(flags["mock"], flags["target"])
    if target.token:
        unauthenticated = Request({}, "{ __typename }", None, authenticated=False)
        statuses = [(observe(_send(side, unauthenticated)),) for side in (mock, target)]
        rows.append(Row(ClauseId.AUTH_TOKEN, "no token", statuses[0], statuses[1]))
    return rows


def table(rows: list[Row]) -> list[str]:
    """Aligned lines: clause, step, same or DIFFERENT, and what differs."""
    lines = []
    width = max((len(row.clause) for row in rows), default=0)
    label_width = max((len(row.label) for row in rows), default=0)
    for row in rows:
        head = f"{row.clause:{width}}  {row.label:{label_width}}"
        if row.unknown:
            lines.append(f"{head}  unknown    the target's answer to a write was lost")
            continue
        if row.same:
            mock = "; ".join(o.summary() for o in row.mock)
            target = "; ".join(o.summary() for o in row.target)
            seen = mock if mock == target else f"mock {mock}; target {target}"
            lines.append(f"{head}  same       {seen}")
            continue
        differences = row.differences
        clauses = ", ".join(dict.fromkeys(d.clause for d in differences))
        kind = "WARNING" if clause(row.clause).tier is Tier.WARNING else "DIFFERENT"
        lines.append(f"{head}  {kind:9}  {clauses}: {differences[0].detail}")
    failing = sorted(
        {
            difference.clause
            for row in rows
            for difference in row.differences
            if difference.fails
        }
    )
    lines.append(
        f"{sum(row.same for row in rows)} of {len(rows)} steps alike; "
        f"clauses that differ: {', '.join(failing) or 'none'}"
    )
    return lines


def junit_xml(rows: list[Row], properties: Mapping[str, str]) -> str:
    """JUnit XML: one test case per step, failing when a clause differs."""
    suite = ET.Element(
        "testsuite",
        name="smtp-contract diff",
        tests=str(len(rows)),
        failures=str(sum(row.fails for row in rows)),
        skipped=str(sum(row.unknown for row in rows)),
    )
    listed = ET.SubElement(suite, "properties")
    for name, value in properties.items():
        ET.SubElement(listed, "property", name=name, value=value)
    for row in rows:
        case = ET.SubElement(suite, "testcase", classname=row.clause, name=row.label)
        if row.unknown:
            ET.SubElement(case, "skipped", message="unknown outcome")
        elif row.fails:
            ET.SubElement(case, "failure", message=row.differences[0].detail)
    return ET.tostring(suite, encoding="unicode")

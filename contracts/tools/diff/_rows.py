"""Two sides' observations of one step, paired into a row and its differences."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from contracts.clauses import ClauseId, Tier, clause
from contracts.documented import MUTATION_FIELD

if TYPE_CHECKING:
    from contracts.tools.diff._observe import Observation

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

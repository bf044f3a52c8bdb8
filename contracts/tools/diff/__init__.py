"""How faithful is the mock? The same requests against both, side by side.

Every step of `contracts.inputs.steps` is built once and sent unchanged to the
mock (in-process) and to the target. What may legitimately differ is
normalized away: ids, correlation ids and error wording. What remains
(accepted, rejected or crashed, and the returned data) must match for
documented and inferred clauses; probes only show what each side chose. How a
request is refused is the target's choice where the guide is silent: the
guide documents no error codes, and any 4xx is a clean refusal
(`contracts.invariants`), so in the guide's own steps codes and statuses of
refusals are shown, not compared (the auth clause's 401 aside). A probe row
compares them, since they are what the probe shows (and what calibration
sets), and a probe row never fails. Whether every error has the API's shape
is judged by the invariant, once per side. A password quoted by a
request-level error is a security warning row, never a failure.

Against a mock running a calibrated profile (`diff --profile`), error wording
is compared too: the profile set it, so it should match. A difference in
wording is shown, and never fails the diff (the guide documents no message).
The held-out agreement `diff` prints after its rows is calibration's
(`contracts.tools.calibrate.held_out_lines`): fresh inputs, never these steps.

The data path, one module each: `_observe` normalizes one exchange into an
`Observation`; `_rows` pairs both sides' observations of a step into a `Row`
and its `Difference`s; `_flags` judges the rules every answer keeps, once per
side; `_compare` sends the steps and builds the rows; `reports` renders them
as a table or JUnit XML.
"""

from __future__ import annotations

from contracts.tools.diff._compare import DiffStopped, compare, planned_steps
from contracts.tools.diff._flags import Flags, flag_rows
from contracts.tools.diff._observe import Observation, observe
from contracts.tools.diff._rows import Difference, Row
from contracts.tools.diff.reports import junit_xml, table

__all__ = [
    "DiffStopped",
    "Difference",
    "Flags",
    "Observation",
    "Row",
    "compare",
    "flag_rows",
    "junit_xml",
    "observe",
    "planned_steps",
    "table",
]

"""The drift as text, JUnit XML and JSON."""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from contracts.tools.drift._changes import Change

JSON_VERSION = 1
"""The shape of `drift --format json`; bumped when a key changes meaning."""


def table(changes: list[Change]) -> list[str]:
    """The changes as aligned lines: severity, where, coordinate, what, clause."""
    if not changes:
        return ["no drift: the schemas are the same"]
    width = max(len(change.coordinate) for change in changes)
    lines = [f"{'severity':9}  {'where':8}  {'coordinate':{width}}  change"]
    for change in changes:
        where = "contract" if change.in_contract else "other"
        clause = f" [contradicts {change.clause}]" if change.clause else ""
        lines.append(
            f"{change.severity:9}  {where:8}  {change.coordinate:{width}}  "
            f"{change.message}{clause}"
        )
    failing = sum(change.fails for change in changes)
    lines.append(
        f"{len(changes)} change(s); {failing} breaking change(s) in the "
        "contract's types"
    )
    return lines


def as_json(changes: list[Change]) -> str:
    """The changes as a JSON document (shape in the drift guide; `JSON_VERSION`)."""
    document: dict[str, Any] = {
        "version": JSON_VERSION,
        "same": not changes,
        "failing": sum(change.fails for change in changes),
        "changes": [
            {
                "coordinate": change.coordinate,
                "kind": change.kind,
                "severity": str(change.severity),
                "in_contract": change.in_contract,
                "clause": change.clause,
                "message": change.message,
                "old": change.old,
                "new": change.new,
            }
            for change in changes
        ],
    }
    return json.dumps(document, indent=2)


def junit_xml(changes: list[Change]) -> str:
    """A JUnit XML report: one test case per change, failing when it breaks."""
    suite = ET.Element(
        "testsuite",
        name="smtp-contract drift",
        tests=str(max(len(changes), 1)),
        failures=str(sum(change.fails for change in changes)),
    )
    if not changes:
        ET.SubElement(suite, "testcase", classname="drift", name="no drift")
    for change in changes:
        case = ET.SubElement(
            suite,
            "testcase",
            classname=f"drift.{change.severity}",
            name=f"{change.coordinate}: {change.message}",
        )
        if change.fails:
            failure = ET.SubElement(case, "failure", message=change.message)
            failure.text = (
                f"contradicts clause {change.clause}"
                if change.clause
                else "breaking change in a type the documented mutation uses"
            )
    return ET.tostring(suite, encoding="unicode")

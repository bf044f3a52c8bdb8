"""A diff's rows as an aligned table or as JUnit XML."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from typing import TYPE_CHECKING

from contracts.clauses import Tier, clause

if TYPE_CHECKING:
    from collections.abc import Mapping

    from contracts.tools.diff._rows import Row


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

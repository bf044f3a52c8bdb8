"""The ids' form: UUID version and the case of their hexadecimal digits."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from contracts.tools.calibrate._findings import Findings
    from contracts.tools.calibrate._probe import Answer

_UUID = re.compile(r"^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-([0-9a-fA-F])[0-9a-fA-F]{3}-")


def learn_ids(created: Answer, findings: Findings) -> None:
    """The UUID version and the case of a created sender's ids."""
    sender = created.sender or {}
    ids = [
        str(sender.get("id")),
        str((sender.get("smtpConfiguration") or {}).get("id")),
    ]
    matches = [_UUID.match(value) for value in ids]
    if not all(matches):
        findings.skip("ids.version", f"ids are not UUIDs: {ids}")
        findings.skip("ids.case", f"ids are not UUIDs: {ids}")
        return
    versions = {int(match.group(1), 16) for match in matches if match}
    observed = f"ids {', '.join(ids)}"
    version = versions.pop() if len(versions) == 1 else None
    if version in (4, 7):
        findings.pin("ids.version", version, created, observed)
    else:
        findings.skip("ids.version", f"{observed}: the mock makes versions 4 and 7")
    text = "".join(ids)
    upper, lower = any(c in "ABCDEF" for c in text), any(c in "abcdef" for c in text)
    if upper != lower:
        findings.pin("ids.case", "upper" if upper else "lower", created, observed)
    else:
        findings.skip("ids.case", f"{observed}: mixed or no letters")

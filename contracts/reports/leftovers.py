"""What a run will leave on a live target, said before it starts and after it ends.

No page of the API documents a way to delete a sender: with only the
documented `deleteSmtpConfiguration`, clean-up removes each sender's
configuration and every sender stays. A live run with clean-up on (the
default) refuses to start there unless told it may leave them
(`--allow-leftovers`); it says before its first create what it may leave, and
at the end writes what is left, and why, to a file and the JSON report. Only
what the user allowed may be left: anything else makes the exit status
non-zero (#26).
"""

from __future__ import annotations

import json
import tempfile
from dataclasses import asdict
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from contracts.client.capabilities import Capabilities
    from contracts.client.ledger import Created, Ledger
    from contracts.config import ContractConfig

NO_SENDER_DELETE = "the API documents no way to delete a sender"


def cleanup_notice(
    capabilities: Capabilities | None, *, cleanup: bool, most: int | None
) -> str:
    """One line, before the first create: what the run will leave behind.

    Args:
        capabilities: What the target offers; None when not asked (dry run).
        cleanup: Whether the run deletes what it created (`--cleanup`).
        most: The most senders the run may create (its request budget).
    """
    bound = f"at most {most}" if most is not None else "every"
    if not cleanup:
        return (
            f"clean-up: off (--keep); {bound} object(s) this run creates stay "
            "on the target"
        )
    if capabilities is None:
        return (
            "clean-up: senders are deleted where the target has "
            "deleteSmtpCustomEmail (not documented); with the documented "
            f"deleteSmtpConfiguration only their configurations are, and {bound} "
            f"sender(s) stay ({NO_SENDER_DELETE})"
        )
    if capabilities.cleanup == "sender":
        return "clean-up: on; senders deleted with deleteSmtpCustomEmail"
    if capabilities.cleanup == "configuration":
        return (
            "clean-up: on; configurations deleted with deleteSmtpConfiguration; "
            f"{bound} sender(s) stay on the target ({NO_SENDER_DELETE})"
        )
    return (
        f"clean-up: impossible, the target has no delete operation; {bound} "
        "sender(s) stay on the target"
    )


def cleanup_summary(ledger: Ledger, created: int) -> str:
    """One line after a clean-up of `created` entries: what went, what stays."""
    left = ledger.entries
    halves = sum(1 for entry in left if entry.configuration_deleted)
    refused = sum(1 for entry in left if entry.refused)
    line = f"deleted {created - len(left)} of {created} created"
    if halves:
        line += (
            f"; deleted the configurations of {halves} sender(s), which stay "
            f"({NO_SENDER_DELETE})"
        )
    if refused:
        line += f"; {refused} delete(s) refused by the target"
    return line


def _why(entry: Created, cleanup: bool) -> str:
    if not cleanup:
        return "kept on purpose (--keep)"
    if entry.refused:
        return f"the target refused the delete: {entry.refused}"
    if entry.configuration_deleted:
        return f"its configuration was deleted; {NO_SENDER_DELETE}"
    if entry.undeletable and not entry.configuration_id:
        return "the create's answer did not name its configuration"
    if entry.undeletable:
        return "the target has no operation that deletes it"
    return "not deleted: no delete operation, or the run stopped first"


def start_refusal(capabilities: Capabilities, config: ContractConfig) -> str | None:
    """Why a live run must not start, or None: it would leave what is not allowed.

    Only with clean-up on (the default): `--keep` leaves everything on purpose.
    """
    if not (config.is_live and config.cleanup) or config.allow_leftovers:
        return None
    if capabilities.cleanup == "sender":
        return None
    most = config.max_requests or "every"
    what = (
        f"{NO_SENDER_DELETE}, so each sender this run creates stays (at most "
        f"{most}; their configurations are deleted)"
        if capabilities.cleanup == "configuration"
        else f"the target has no delete operation, so all the run creates stays "
        f"(at most {most} objects)"
    )
    return (
        f"not started: {what} in organization {config.org}; pass "
        "--allow-leftovers to accept that, --keep to leave everything on "
        "purpose, or --dry-run to see the plan (as pytest options: "
        "--contract-allow-leftovers, --contract-keep)"
    )


def allowed(entry: Created, config: ContractConfig) -> bool:
    """Whether the user allowed this object to stay on the target."""
    if not config.cleanup:
        return True  # --keep
    # Allowed: what the target has no operation to delete. A refused delete,
    # or one the run never got to, is not.
    return config.allow_leftovers and (entry.configuration_deleted or entry.undeletable)


def left_on_target(ledger: Ledger, config: ContractConfig) -> list[dict[str, Any]]:
    """Every object left, with why and whether it was allowed (JSON-ready)."""
    return [
        {
            **asdict(entry),
            "reason": _why(entry, config.cleanup),
            "allowed": allowed(entry, config),
        }
        for entry in ledger.entries
    ]


def leftovers_path(config: ContractConfig) -> Path:
    """Where the list of what was left goes (the terminal shows the path).

    Beside the ledger, or in the system's temporary folder.
    """
    if config.ledger is not None:
        return config.ledger.with_name(config.ledger.stem + ".left.json")
    return Path(tempfile.gettempdir()) / f"smtp-contract-left-{config.run_id}.json"


def report_leftovers(ledger: Ledger, config: ContractConfig) -> list[str]:
    """After a live run: write the list when something is left; the lines to show.

    The terminal gets the count and the file's path, never the whole list.
    """
    left = left_on_target(ledger, config)
    if not left:
        return ["left on the target: 0"]
    path = leftovers_path(config)
    path.write_text(json.dumps(left, indent=2) + "\n", encoding="utf-8")
    refused = sum(1 for entry in left if not entry["allowed"])
    line = f"left on the target: {len(left)}"
    if refused:
        line += f", {refused} of them not allowed (the exit status says so)"
    return [line, f"  the list, with why each stays: {path}"]


def unallowed_leftovers(ledger: Ledger, config: ContractConfig) -> int:
    """How many objects stay that the user did not allow."""
    return sum(1 for entry in ledger.entries if not allowed(entry, config))

"""What a run will leave on a live target, said before it starts and after it ends.

No page of the API documents a way to delete a sender: with only the
documented `deleteSmtpConfiguration`, clean-up removes each sender's
configuration and every sender stays. A run says so before its first create
and, at the end, names what is left and why.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from contracts.client.capabilities import Capabilities
    from contracts.client.ledger import Created, Ledger

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
            f"clean-up: off; {bound} sender(s) this run creates stay on the "
            "target (pass --cleanup to delete what can be deleted)"
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


def leftover_lines(ledger: Ledger, *, cleanup: bool) -> list[str]:
    """After a run: what is still on the target, one line each, and why."""
    left = ledger.entries
    if not left:
        return ["created objects: none left on the target"]
    lines = [f"created objects left on the target: {len(left)}"]
    lines += [f"  {_describe(entry)}  ({_why(entry, cleanup)})" for entry in left]
    return lines


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


def _describe(entry: Created) -> str:
    if entry.kind == "configuration":
        return f"configuration {entry.id}  organization {entry.organization_id}"
    return (
        f"sender {entry.id}  {entry.email_address}  organization "
        f"{entry.organization_id}"
    )


def _why(entry: Created, cleanup: bool) -> str:
    if not cleanup:
        return "clean-up off: pass --cleanup"
    if entry.refused:
        return f"the target refused the delete: {entry.refused}"
    if entry.configuration_deleted:
        return f"its configuration was deleted; {NO_SENDER_DELETE}"
    if not entry.configuration_id:
        return "the create's answer did not name its configuration"
    return "not deleted: no delete operation, or the run stopped first"

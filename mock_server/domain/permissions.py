"""Who may manage an organization's SMTP configurations.

From the reference: without manage (admin) access, an update or a delete is a
permission error and the list is empty; the help pages add that only
organization admins manage custom email settings. What a member's create
gets is the profile's choice (`member_create`).
"""

from __future__ import annotations

from enum import StrEnum
from typing import TYPE_CHECKING

from mock_server.domain._text_rules import problem
from mock_server.domain.profile import Failure, MemberCreate
from mock_server.errors import PermissionDenied

if TYPE_CHECKING:
    from mock_server.domain.profile import BehaviourProfile


class Role(StrEnum):
    """The kind of token a request came with."""

    ADMIN = "admin"
    """Manage access: the `--token`, a service account's, or no auth at all."""
    MEMBER = "member"
    """A member of the organization without manage access (`--member-token`)."""


def require_manage(
    role: Role, profile: BehaviourProfile, *, field: str, creating: bool = False
) -> None:
    """Refuse a write the caller's role may not make.

    Args:
        role: The caller's role.
        profile: Says what a member's create gets.
        field: The input the refusal names (the operation's `input`).
        creating: Whether the write is a create.

    Raises:
        PermissionDenied: the caller is a member (and, for a create, the
            profile refuses members' creates).
    """
    if role is Role.ADMIN:
        return
    if creating and profile.member_create is MemberCreate.ALLOW:
        return
    raise PermissionDenied((problem(profile, Failure.PERMISSION, field),))


def may_list(role: Role) -> bool:
    """Whether the caller sees the organization's configurations."""
    return role is Role.ADMIN

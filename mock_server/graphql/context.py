"""What resolvers receive as `info.context`: the caller's session store and ids."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from mock_server.domain.ids import IdFactory
from mock_server.domain.permissions import Role
from mock_server.domain.profile import DEFAULT_PROFILE, BehaviourProfile

if TYPE_CHECKING:
    from mock_server.stores import Store


@dataclass(frozen=True, slots=True)
class MockContext:
    """What one request's resolvers work with.

    Attributes:
        store: The store of the request's session.
        ids: Source of record ids (seeded under `--seed`), shared by the app.
        profile: The choices the rules make where the guide is silent.
        secrets: Source of `encryptedPassword` tokens (a stream of its own,
            so that storing a password never shifts the ids under a seed).
        role: The caller's role (manage access or a member's).
    """

    store: Store
    ids: IdFactory
    profile: BehaviourProfile = DEFAULT_PROFILE
    secrets: IdFactory = field(default_factory=lambda: IdFactory(stream="secrets"))
    role: Role = Role.ADMIN


@dataclass(frozen=True, slots=True)
class Caller:
    """Who sent a request, as far as forwarding and recording need to know.

    Attributes:
        authorization: The request's `Authorization` header, passed to the
            upstream when no upstream token is configured; never logged.
        client: The client's name (`apollographql-client-name`, else the
            `User-Agent`), recorded with its operations.
    """

    authorization: str | None = field(default=None, repr=False)
    client: str = "unknown"

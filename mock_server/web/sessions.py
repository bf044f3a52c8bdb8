"""Per-caller isolated state, chosen by a request header.

Requests with `X-Mock-Session: <name>` (the header is configurable) see only
that session's senders: uniqueness, read-back, state and reset are all per
session. Requests without it share the default session.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from mock_server.domain.ids import IdFactory
from mock_server.domain.permissions import Role
from mock_server.domain.profile import DEFAULT_PROFILE, BehaviourProfile
from mock_server.graphql.context import MockContext

if TYPE_CHECKING:
    from starlette.datastructures import Headers

    from mock_server.stores import StoreBackend

DEFAULT_SESSION = "default"
DEFAULT_SESSION_HEADER = "X-Mock-Session"
_NAME = re.compile(r"^[A-Za-z0-9._-]{1,64}$")


class InvalidSession(ValueError):
    """The session header's value is not a usable name."""


class Sessions:
    """Turns a request's headers into the context its resolvers run with.

    Args:
        backend: Keeps one store per session.
        ids: Source of record ids.
        header: The header naming the session.
        profile: The behaviour profile every session's rules follow.
        secrets: Source of `encryptedPassword` tokens; unseeded by default.
    """

    def __init__(
        self,
        backend: StoreBackend,
        ids: IdFactory,
        header: str = DEFAULT_SESSION_HEADER,
        profile: BehaviourProfile = DEFAULT_PROFILE,
        secrets: IdFactory | None = None,
    ) -> None:
        self.backend = backend
        self.ids = ids
        self.header = header
        # The header's name as ASGI scopes carry it.
        self.header_key = header.lower().encode("latin-1")
        self.profile = profile
        self.secrets = secrets or IdFactory(stream="secrets")

    def name(self, headers: Headers) -> str:
        """The session a request belongs to.

        Raises:
            InvalidSession: the header holds something other than 1 to 64
                letters, digits, dots, dashes or underscores.
        """
        return self.named(headers.get(self.header))

    def named(self, value: str | None) -> str:
        """The session a request whose session header is `value` belongs to.

        Raises:
            InvalidSession: as `name`.
        """
        if value is None:
            return DEFAULT_SESSION
        if not _NAME.match(value):
            raise InvalidSession(
                f"{self.header} must be 1 to 64 letters, digits, '.', '_' or '-'"
            )
        return value

    def context(self, headers: Headers, *, role: Role = Role.ADMIN) -> MockContext:
        """The context for a request's resolvers, acting with `role`."""
        return self.for_session(self.name(headers), role=role)

    def for_session(self, name: str, *, role: Role = Role.ADMIN) -> MockContext:
        """The context of a named session, acting with `role`."""
        return MockContext(
            self.backend.session(name), self.ids, self.profile, self.secrets, role
        )

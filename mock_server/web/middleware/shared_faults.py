"""Fault rules that every worker applies (#14), kept in a shared store.

With `smtp-mock serve --workers N` each worker process has its own
`FaultInjector`; rules posted to `/__mock/faults` reach one of them. When the
store is shared (SQLite, Redis), `SharedFaults` writes the rules there and
every worker reloads them before each GraphQL request (one read: a mock
favours exactness over the fraction of a millisecond). Counters and random
choices stay per worker. The memory store keeps rules in the injector only.
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING

from mock_server.web.middleware.faults import parse_faults

if TYPE_CHECKING:
    from mock_server.stores.base import SharedSettings
    from mock_server.web.middleware.faults import Fault, FaultInjector

FAULTS_SETTING = "faults"


class SharedFaults:
    """Keeps an injector's rules in step with the shared store.

    Args:
        injector: This worker's rules.
        settings: The shared store.
    """

    def __init__(self, injector: FaultInjector, settings: SharedSettings) -> None:
        self._injector = injector
        self._settings = settings
        self._seen: str | None = None

    async def publish(self, faults: list[Fault]) -> None:
        """Install rules here and in the store, for every worker."""
        text = json.dumps([fault.as_json() for fault in faults])
        await self._settings.put_setting(FAULTS_SETTING, text)
        self._seen = text
        self._injector.replace(faults)

    async def refresh(self) -> None:
        """Take the rules another worker published, if they changed."""
        text = await self._settings.get_setting(FAULTS_SETTING)
        if text is None or text == self._seen:
            return
        self._seen = text
        # Only `publish` writes the setting, from rules already checked.
        self._injector.replace(parse_faults(json.loads(text)))

"""mock_server.domain.senders."""

from __future__ import annotations

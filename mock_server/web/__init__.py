"""mock_server.web."""

from __future__ import annotations

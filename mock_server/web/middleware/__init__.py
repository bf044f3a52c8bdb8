"""mock_server.web.middleware."""

from __future__ import annotations

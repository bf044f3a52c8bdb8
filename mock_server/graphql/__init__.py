"""mock_server.graphql."""

from __future__ import annotations

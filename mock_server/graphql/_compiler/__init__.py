"""mock_server.graphql._compiler."""

from __future__ import annotations

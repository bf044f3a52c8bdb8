"""contracts.inputs."""

from __future__ import annotations

from __future__ import annotations

from contracts.profiles import register_profiles

register_profiles()

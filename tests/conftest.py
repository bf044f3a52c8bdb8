from __future__ import annotations

from contracts.profiles import register_profiles

pytest_plugins = ["pytester"]

register_profiles()

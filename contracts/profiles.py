"""Hypothesis settings profiles.

`dev` is a fast loop, `ci` is bounded and derandomized, `fuzz` runs thousands of
examples.
"""

from __future__ import annotations

import os
from pathlib import Path

from hypothesis import HealthCheck, Phase, settings

DEV = "dev"
CI = "ci"
FUZZ = "fuzz"
SELFTEST = "selftest"
PROFILES = (DEV, CI, FUZZ)
"""The profiles users choose from (`selftest` is the suite's own)."""
LIVE_MAX_EXAMPLES = 5
"""Examples per property (and per fuzzed operation) on a live target, so the
request budget lasts."""


def register_profiles() -> None:
    """Register the project's profiles with Hypothesis (safe to call twice).

    `ci` keeps Hypothesis's own `ci` profile as its parent (derandomized, no
    example database) and adds more examples; Hypothesis loads it by itself
    when the `CI` environment variable is set.
    """
    # Requests dominate an example's time, so per-example deadlines and the
    # too-slow health check only add noise.
    relaxed = [HealthCheck.too_slow]
    settings.register_profile(
        DEV,
        max_examples=15,
        stateful_step_count=10,
        deadline=None,
        suppress_health_check=relaxed,
    )
    # Inherits derandomize=True, database=None and 100 examples from Hypothesis.
    settings.register_profile(
        CI,
        parent=settings.get_profile(CI),
        stateful_step_count=20,
        deadline=None,
        suppress_health_check=relaxed,
    )
    # Deterministic and without shrinking: `selftest` wants to know *whether*
    # a mutant is caught, quickly, and the same way on every run.
    settings.register_profile(
        SELFTEST,
        max_examples=30,
        stateful_step_count=10,
        derandomize=True,
        database=None,
        phases=[Phase.explicit, Phase.reuse, Phase.generate],
        deadline=None,
        suppress_health_check=relaxed,
    )
    settings.register_profile(
        FUZZ,
        max_examples=2000,
        database=None,
        deadline=None,
        suppress_health_check=relaxed,
    )


def hypothesis_home() -> Path:
    """Where `smtp-contract` keeps Hypothesis's files (its example database).

    The user's cache folder (`$XDG_CACHE_HOME`, else `~/.cache`), so a `dev`
    run still replays the last failing examples first, without writing
    `.hypothesis/` into whichever directory the command ran in.
    """
    cache = os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache"
    return Path(cache) / "smtp-contract" / "hypothesis"

"""Figures the pages quote, computed from the code when the site is built.

A page writes `{{ budget.least }}` where a figure goes and `{{ include
bench/results/latest.md }}` where a file the tools write goes; `render`
replaces both, and an unknown name stops the build. The tests run the
recipes of the rendered page, so what they check is what the site shows.
The README, which GitHub renders as it is, keeps literal figures instead:
`tests/docs/test_pages.py` computes each one and compares.
"""

from __future__ import annotations

import inspect
import re
from functools import cache
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
# Not `${{ … }}`: that is a GitHub Actions expression in a workflow sample.
_TOKEN = re.compile(
    r"(?<!\$)\{\{\s*(?:include\s+(?P<path>[\w./-]+)|(?P<name>[\w.]+))\s*\}\}"
)
INCLUDABLE = ("bench/results/",)
"""Folders whose files a page may include: what `make bench` writes."""


def render(markdown: str) -> str:
    """The page with its figures and includes filled in.

    Raises:
        KeyError: a figure no code computes (a typo, or a figure removed).
        ValueError: an include outside `INCLUDABLE`.
    """
    return _TOKEN.sub(_replacement, markdown)


def _replacement(match: re.Match[str]) -> str:
    path = match["path"]
    if path is None:
        return figures()[match["name"]]
    if not path.startswith(INCLUDABLE) or ".." in path:
        raise ValueError(f"{{{{ include {path} }}}}: only {INCLUDABLE} may be included")
    return (ROOT / path).read_text(encoding="utf-8").strip()


@cache
def figures() -> dict[str, str]:
    """Every figure a page may quote, by name, as the page shows it."""
    return budget_figures() | mock_figures() | contract_figures()


def budget_figures() -> dict[str, str]:
    """What a live `smtp-contract run` spends (`contracts/budgets.py`)."""
    from hypothesis import settings

    from contracts import budgets
    from contracts.config import (
        LIVE_CONCURRENCY,
        LIVE_MAX_REQUESTS,
        LIVE_RPS,
        SHRINK_SHARE,
    )
    from contracts.profiles import CI, register_profiles
    from contracts.tools import plan

    register_profiles()
    most = settings.get_profile(CI).max_examples
    cleanup = budgets.run_spending(LIVE_CONCURRENCY, cleanup=True)
    keep = budgets.run_spending(LIVE_CONCURRENCY)
    return {
        "budget.default": f"{LIVE_MAX_REQUESTS:,}",
        "budget.rps": f"{LIVE_RPS:g}",
        "budget.reserve": f"{budgets.RESERVED_SHARE:.0%}",
        "budget.shrink": str(LIVE_MAX_REQUESTS // SHRINK_SHARE),
        "budget.least": f"{cleanup.least_budget():,}",
        "budget.least_keep": f"{keep.least_budget():,}",
        "budget.examples_300": str(cleanup.examples(300, most)),
        "budget.examples_1000": str(cleanup.examples(1000, most)),
        "budget.examples_300_keep": str(keep.examples(300, most)),
        "budget.examples_1000_keep": str(keep.examples(1000, most)),
        "budget.ci_examples": str(most),
        "plan.fixed": f"{plan.fixed_requests(LIVE_CONCURRENCY):,}",
        "plan.explicit": str(plan.explicit_requests()),
        "plan.family": str(plan.family_requests()),
        "plan.bursts": str(plan.burst_requests(LIVE_CONCURRENCY)),
        "plan.properties": str(plan.properties()),
    }


def mock_figures() -> dict[str, str]:
    """The mock's limits and defaults."""
    from docs._reference import limits_table
    from mock_server.domain.profile import DEFAULT_PROFILE, MAX_COMPLEXITY, MAX_DEPTH
    from mock_server.graphql.complexity import PAGE_SIZE
    from mock_server.web import MAX_BATCH_SIZE, MAX_BODY_BYTES
    from mock_server.web.service_accounts import TOKEN_LIFETIME_S

    lengths = {
        f"profile.{name}.max_length": str(rule.max_length)
        for name, rule in DEFAULT_PROFILE.fields.items()
        if rule.max_length is not None
    }
    return lengths | {
        "profile.port_min": str(DEFAULT_PROFILE.port_min),
        "profile.port_max": str(DEFAULT_PROFILE.port_max),
        "limits.depth": str(MAX_DEPTH),
        "limits.complexity": f"{MAX_COMPLEXITY:,}",
        "limits.complexity_plain": str(MAX_COMPLEXITY),
        "limits.list_items": str(PAGE_SIZE),
        # `smtpConfigurations(organizationId: $o) { nodes { id host } }`
        "limits.example_cost": str(1 + 1 + PAGE_SIZE * 2),
        "limits.body": f"{MAX_BODY_BYTES // 2**20} MiB",
        "limits.batch": str(MAX_BATCH_SIZE),
        "limits.table": limits_table(),
        "oauth.lifetime": str(TOKEN_LIFETIME_S),
    }


def contract_figures() -> dict[str, str]:
    """Defaults and counts of the contract tools."""
    from contracts.clauses import CLAUSES, Tier
    from contracts.client import retries
    from contracts.config import IN_PROCESS_CONCURRENCY, LIVE_CONCURRENCY
    from contracts.inputs.malformed import LABELS
    from contracts.reports.progress import Progress
    from contracts.tools.calibrate import HELD_OUT
    from docs._reference import mutants_table, pytest_options_table

    tiers = {tier.value: sum(c.tier is tier for c in CLAUSES) for tier in Tier}
    return {
        "clauses.count": str(len(CLAUSES)),
        **{f"clauses.{tier}": str(count) for tier, count in tiers.items()},
        "concurrency.live": str(LIVE_CONCURRENCY),
        "concurrency.in_process": str(IN_PROCESS_CONCURRENCY),
        "retries.max_retries": str(retries.DEFAULT_MAX_RETRIES),
        "retries.max_wait": f"{retries.DEFAULT_MAX_WAIT:g}",
        "retries.deadline": f"{retries.DEFAULT_DEADLINE:g}",
        "retries.base": f"{retries.DEFAULT_RETRY_BASE:g}",
        "calibrate.held_out": str(HELD_OUT),
        "fuzz.malformed": str(len(LABELS)),
        "fuzz.malformed_kinds": ", ".join(LABELS),
        "progress.interval": f"{_default(Progress, 'interval'):g}",
        "plugin.table": pytest_options_table(),
        "selftest.table": mutants_table(),
    }


def _default(cls: type, name: str) -> Any:
    return inspect.signature(cls).parameters[name].default

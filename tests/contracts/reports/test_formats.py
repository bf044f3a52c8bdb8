from __future__ import annotations

from contracts.clauses import CLAUSES, ClauseId
from contracts.config import make_config
from contracts.reports.formats import clause_table, markdown_report
from contracts.reports.results import OBSERVED, Results


def test_reports_list_every_clause_with_probe_observations():
    results = Results()
    results.checked(ClauseId.CREATE_ECHO)
    results.outcome(ClauseId.CREATE_ECHO, "passed")
    results.observe(ClauseId.PROBE_PORT_RANGE, "port 0: rejected")
    results.observe(ClauseId.PROBE_PORT_RANGE, "port 0: rejected")
    results.outcome(ClauseId.EMAIL_OTHER_ORG, "skipped", "needs --other-org")

    table = clause_table(results)
    markdown = markdown_report(results, make_config(tier="documented"))

    assert table[0].split() == ["clause", "tier", "result", "checks", "notes"]
    assert len(table) == len(CLAUSES) + 1
    assert results.status(ClauseId.PROBE_PORT_RANGE) == OBSERVED
    assert "port 0: rejected (x2)" in markdown
    assert "needs --other-org" in markdown
    assert "enforced tiers: documented\n" in markdown
    assert markdown.count("\n| `") == len(CLAUSES)

"""What `smtp-contract fuzz` found: one finding per kind of failure, and reports."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from collections import Counter
from dataclasses import dataclass, field

from contracts.client.retries import RetryStats
from contracts.tools.conformance import CHECKS, WARNINGS

STATEFUL = "stateful"
"""The check name of the stateful phase's findings."""

SCHEMATHESIS = "schemathesis"
"""The check name under which Schemathesis's own failures are reported."""


@dataclass(frozen=True, slots=True)
class Finding:
    """One kind of failure, with the first request that showed it."""

    check: str
    title: str
    operation: str
    detail: str
    curl: str


@dataclass
class FuzzReport:
    """What a fuzz run sent and found."""

    requests: int = 0
    seconds: float = 0.0
    findings: dict[tuple[str, str], Finding] = field(default_factory=dict)
    counts: Counter[str] = field(default_factory=Counter)
    by_operation: Counter[str] = field(default_factory=Counter)
    budget_exhausted: bool = False
    retries: RetryStats = field(default_factory=RetryStats)
    stopped: str | None = None
    """Why the run stopped early (a target that kept throttling): exit 2."""
    strict_secrets: bool = False
    warnings: dict[tuple[str, str], Finding] = field(default_factory=dict)
    warning_counts: Counter[str] = field(default_factory=Counter)

    @property
    def failed(self) -> bool:
        """Whether any check failed."""
        return bool(self.findings)

    def record(self, finding: Finding) -> None:
        """Count a failure; keep the first request of each kind.

        A security warning (`conformance.WARNINGS`) is kept apart, and is a
        failure only with `strict_secrets`.
        """
        if finding.check in WARNINGS and not self.strict_secrets:
            self.warning_counts[finding.check] += 1
            self.warnings.setdefault((finding.check, finding.title), finding)
            return
        self.counts[finding.check] += 1
        self.findings.setdefault((finding.check, finding.title), finding)

    def summary(self) -> list[str]:
        """Human-readable lines: requests, failures by check, time."""
        lines = [
            f"requests sent: {self.requests} in {self.seconds:.1f} s"
            + (" (budget exhausted)" if self.budget_exhausted else "")
            + f"; {self.retries.summary()}",
            "by operation: "
            + ", ".join(f"{name} {n}" for name, n in sorted(self.by_operation.items())),
            *([f"stopped: {self.stopped}"] if self.stopped else []),
        ]
        if self.findings:
            lines.append(
                "failures by check: "
                + ", ".join(f"{check} {n}" for check, n in sorted(self.counts.items()))
            )
        else:
            lines.append("failures: none")
        for check, count in sorted(self.warning_counts.items()):
            lines.append(
                f"security warning: {WARNINGS[check]} in {count} response(s) "
                "(fails only with --strict-secrets)"
            )
        for finding in [*self.findings.values(), *self.warnings.values()]:
            lines += [
                "",
                f"[{finding.check}] {finding.title} ({finding.operation})",
                *([f"  {finding.detail}"] if finding.detail else []),
                f"  reproduce: {finding.curl}",
            ]
        return lines

    def junit_xml(self) -> str:
        """JUnit XML: one test case per check, failing with its findings."""
        names = [*CHECKS, *WARNINGS, SCHEMATHESIS, STATEFUL]
        suite = ET.Element(
            "testsuite",
            name="smtp-contract fuzz",
            tests=str(len(names)),
            failures=str(sum(1 for name in names if self.counts[name])),
            time=f"{self.seconds:.3f}",
        )
        properties = ET.SubElement(suite, "properties")
        figures = {"requests_sent": str(self.requests), **self.retries.as_properties()}
        for name, value in figures.items():
            ET.SubElement(properties, "property", name=name, value=value)
        for check in sorted(self.warning_counts):
            ET.SubElement(
                properties, "property", name="security-warning", value=WARNINGS[check]
            )
        for name in names:
            case = ET.SubElement(suite, "testcase", classname="fuzz", name=name)
            found = [f for f in self.findings.values() if f.check == name]
            if found:
                failure = ET.SubElement(
                    case, "failure", message=f"{self.counts[name]} failing request(s)"
                )
                failure.text = "\n".join(f"{f.title}: {f.curl}" for f in found)
        return ET.tostring(suite, encoding="unicode")

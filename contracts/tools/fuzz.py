"""`smtp-contract fuzz`: Schemathesis's GraphQL generation, plus our checks.

Three phases share one request budget and rate limit:

1. Schemathesis (hypothesis-graphql) generates positive and negative documents
   for every operation; literals are steered so writes stay in the run's
   namespace and organization. On a live target only queries and the
   documented mutation are sent.
2. hypothesis-graphql inlines literals, so the documented operation is also
   driven with variables, as real clients send them, from `contracts.inputs.strategies`
   (valid inputs, missing credentials, `ipRelayAuth` explicitly null, and
   omitted).
3. Bodies that are not strict JSON (`contracts.inputs.malformed`): NaN, an unpaired
   surrogate escape, invalid UTF-8, deep nesting, ... must get a well-formed
   answer, never a 5xx.

4. The stateful phase (`contracts.tools.stateful`), when given the run's
   `ContractApi`: the suite's state machine across two organizations.

Schemathesis's `not_a_server_error` is replaced: it reports every error entry
with a `path` and no Apollo-style code as a server error, which flags the real
API's RECORD_INVALID validation errors. `conformance.no_server_error` knows
the documented codes and still catches 5xx, tracebacks and
INTERNAL_SERVER_ERROR.
"""

from __future__ import annotations

import time
import xml.etree.ElementTree as ET
from collections import Counter
from dataclasses import dataclass, field
from functools import partial
from typing import TYPE_CHECKING, Any

from graphql import (
    GraphQLError,
    ObjectFieldNode,
    StringValueNode,
    Visitor,
    parse,
    print_ast,
    visit,
)
from hypothesis import HealthCheck, Phase, given, seed, settings, strategies as st

from contracts.client.retries import RetryStats
from contracts.client.target import curl_command
from contracts.documented import DOCUMENTED_OPERATION, MUTATION_FIELD, OPERATION_NAME
from contracts.errors import (
    BudgetExhausted,
    ContractViolation,
    OutcomeUnknown,
    Throttled,
)
from contracts.inputs import strategies
from contracts.inputs.malformed import malformed_bodies
from contracts.tools.conformance import CHECKS, check_response
from contracts.tools.stateful import STATEFUL, finding_parts, run_machine

if TYPE_CHECKING:
    from collections.abc import Callable

    from graphql import GraphQLSchema

    from contracts.client.api import ContractApi
    from contracts.client.ledger import Ledger, Namespace
    from contracts.client.target import Exchange, Target

SCHEMATHESIS = "schemathesis"
_FINDINGS_PER_TITLE = 1


@dataclass(frozen=True, slots=True)
class FuzzOptions:
    """How much to send and how.

    The request budget, rate limit and retry caps are the target's own.

    Attributes:
        examples: Generated examples per operation and mode.
        seed: Hypothesis seed, or None for a derandomized run.
        live: Whether the target is a live endpoint (limits what is sent).
    """

    examples: int
    seed: int | None = None
    live: bool = False


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

    @property
    def failed(self) -> bool:
        """Whether any check failed."""
        return bool(self.findings)

    def record(self, finding: Finding) -> None:
        """Count a failure; keep the first request of each kind."""
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
        if not self.findings:
            lines.append("failures: none")
            return lines
        lines.append(
            "failures by check: "
            + ", ".join(f"{check} {n}" for check, n in sorted(self.counts.items()))
        )
        for finding in self.findings.values():
            lines += [
                "",
                f"[{finding.check}] {finding.title} ({finding.operation})",
                *([f"  {finding.detail}"] if finding.detail else []),
                f"  reproduce: {finding.curl}",
            ]
        return lines

    def junit_xml(self) -> str:
        """JUnit XML: one test case per check, failing with its findings."""
        names = [*CHECKS, SCHEMATHESIS, STATEFUL]
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
        for name in names:
            case = ET.SubElement(suite, "testcase", classname="fuzz", name=name)
            found = [f for f in self.findings.values() if f.check == name]
            if found:
                failure = ET.SubElement(
                    case, "failure", message=f"{self.counts[name]} failing request(s)"
                )
                failure.text = "\n".join(f"{f.title}: {f.curl}" for f in found)
        return ET.tostring(suite, encoding="unicode")


class Steering:
    """Rewrites generated literals so writes stay inside the run's namespace.

    Every `emailAddress` becomes a fresh namespaced address, every
    `organizationId` the run's organization, every `password` a marked one
    (so a leak is recognisable and never a coincidence).
    """

    def __init__(self, namespace: Namespace, organization: str) -> None:
        self.namespace = namespace
        self.organization = organization
        self.marker = f"pw{namespace.run_id}"
        self._count = 0

    def steer(self, query: str) -> str:
        """The query with its writes steered (unchanged when unparsable)."""
        try:
            document = parse(query)
        except GraphQLError:
            return query  # negative generation may send unparsable documents
        steering = self

        class Rewrite(Visitor):
            def enter_object_field(self, node: ObjectFieldNode, *_: Any) -> Any:
                value = steering.value_for(node.name.value)
                if value is None:
                    return None
                return ObjectFieldNode(
                    name=node.name, value=StringValueNode(value=value)
                )

        return print_ast(visit(document, Rewrite()))

    def value_for(self, name: str) -> str | None:
        """The steered value of a field, or None to keep the generated one."""
        if name == "emailAddress":
            return self.namespace.fresh_address()
        if name == "organizationId":
            return self.organization
        if name == "password":
            self._count += 1
            return f"{self.marker}-{self._count}"
        return None


class Fuzzer:
    """Runs both phases against one target.

    Args:
        st_schema: The Schemathesis schema (from the app or the URL).
        schema: The GraphQL schema, for the strict conformance check.
        target: Sends phase 2's requests.
        steering: Keeps writes in the namespace.
        options: Examples, seed, budget, rate.
        ledger: Records created senders.
        api: The suite's client over the same target, for the stateful phase.
    """

    def __init__(
        self,
        st_schema: Any,
        schema: GraphQLSchema,
        target: Target,
        steering: Steering,
        options: FuzzOptions,
        ledger: Ledger,
        api: ContractApi | None = None,
    ) -> None:
        self.st_schema = st_schema
        self.schema = schema
        self.target = target
        self.steering = steering
        self.options = options
        self.ledger = ledger
        self.api = api
        self.report = FuzzReport()

    def run(self) -> FuzzReport:
        """Fuzz until done, the budget is spent or the target throttled too much."""
        started = time.monotonic()
        try:
            self._generated_documents()
            self._documented_operation()
            self._malformed_bodies()
            self._stateful()
        except BudgetExhausted:
            self.report.budget_exhausted = True
        except Throttled as exc:
            self.report.stopped = str(exc)
        self.report.seconds = time.monotonic() - started
        self.report.requests = self.target.sent
        self.report.retries = self.target.retries.stats
        return self.report

    def _settings(self) -> settings:
        return settings(
            max_examples=self.options.examples,
            database=None,
            derandomize=self.options.seed is None,
            deadline=None,
            # Failures are recorded, never raised, so there is nothing to shrink.
            phases=[Phase.explicit, Phase.generate],
            suppress_health_check=list(HealthCheck),
        )

    def _run_property(self, test: Any) -> None:
        wrapped = self._settings()(test)
        if self.options.seed is not None:
            wrapped = seed(self.options.seed)(wrapped)
        wrapped()

    def _generated_documents(self) -> None:
        from schemathesis import GenerationMode

        for result in self.st_schema.get_all_operations():
            operation = result.ok()
            if self.options.live and not _safe_on_live(operation.label):
                continue
            for mode in (GenerationMode.POSITIVE, GenerationMode.NEGATIVE):

                @given(case=operation.as_strategy(mode))
                def send_case(case: Any) -> None:
                    self._send_case(case)

                self._run_property(send_case)

    def _send_case(self, case: Any) -> None:
        from schemathesis.checks import not_a_server_error
        from schemathesis.core.failures import Failure, FailureGroup

        case.body = self.steering.steer(case.body)
        payload = {"query": case.body}
        # Sent through the target, not `case.call`, so the budget, the rate
        # limit and the handling of throttling are the same as everywhere.
        exchange = self._post(case.operation.label, lambda: self.target.post(payload))
        if exchange is None:
            return
        self._check(case.operation.label, payload, exchange.status, exchange.text)
        self._remember_created(exchange.body)
        try:
            case.validate_response(
                exchange.response, excluded_checks=[not_a_server_error]
            )
        except (Failure, FailureGroup) as exc:
            failures = exc.exceptions if isinstance(exc, FailureGroup) else [exc]
            for failure in failures:
                self._record(
                    SCHEMATHESIS,
                    failure.title or "",
                    case.operation.label,
                    payload,
                    failure.message,
                )

    def _documented_operation(self) -> None:
        organization = self.steering.organization
        addresses = st.builds(self.steering.namespace.fresh_address)
        marker = self.steering.marker
        valid = strategies.create_variables(
            organization, addresses, password_marker=marker
        )
        # One property per input class, so each gets the profile's examples.
        for inputs in (
            valid,
            strategies.missing_credentials(
                organization, addresses, password_marker=marker
            ),
            valid.map(_with_null_relay),
            valid.map(_without_relay_flag),
        ):

            @given(variables=inputs)
            def send_variables(variables: dict[str, Any]) -> None:
                self._send_variables(variables)

            self._run_property(send_variables)

    def _send_variables(self, variables: dict[str, Any]) -> None:
        payload = {
            "query": DOCUMENTED_OPERATION,
            "variables": variables,
            "operationName": OPERATION_NAME,
        }
        label = f"Mutation.{MUTATION_FIELD} (variables)"
        exchange = self._post(label, lambda: self.target.post(payload))
        if exchange is None:
            return
        self._check(label, payload, exchange.status, exchange.text)
        self._remember_created(exchange.body)

    def _malformed_bodies(self) -> None:
        variables = {
            "senderName": "Malformed",
            "emailAddress": self.steering.namespace.fresh_address(),
            "smtpConfiguration": {
                "host": "relay.example.com",
                "port": 25,
                "organizationId": self.steering.organization,
                "ipRelayAuth": True,
            },
        }
        checked = {"query": DOCUMENTED_OPERATION, "operationName": OPERATION_NAME}
        for body in malformed_bodies(variables):
            label = f"malformed JSON: {body.label}"
            exchange = self._post(label, partial(self.target.post_raw, body.content))
            if exchange is None:
                continue
            self._check(
                label, checked, exchange.status, exchange.text, sent=body.content
            )
            self._remember_created(exchange.body)

    def _stateful(self) -> None:
        if self.api is None:
            return
        sent = self.target.sent
        run_machine(
            self.api,
            examples=self.options.examples,
            seed=self.options.seed,
            live=self.options.live,
            record=self._record_violation,
        )
        self.report.by_operation[STATEFUL] += self.target.sent - sent

    def _record_violation(self, violation: ContractViolation) -> None:
        self.report.record(Finding(STATEFUL, *finding_parts(violation)))

    def _post(self, label: str, send: Callable[[], Exchange]) -> Exchange | None:
        """Send one example; None when a write's answer was lost (not judged)."""
        self.report.by_operation[label] += 1
        try:
            return send()
        except OutcomeUnknown:
            self.target.retries.unknown_outcome()
            return None

    def _check(
        self,
        label: str,
        payload: dict[str, Any],
        status: int,
        text: str,
        *,
        sent: bytes | None = None,
    ) -> None:
        """Record every problem; `sent` is the raw body when it was not `payload`."""
        for problem in check_response(self.schema, payload, status, text):
            reproduce = payload if sent is None else sent
            self._record(problem.check, problem.title, label, reproduce, problem.detail)

    def _record(
        self, check: str, title: str, label: str, sent: Any, detail: str
    ) -> None:
        curl = curl_command(self.target.url, sent, with_token=bool(self.target.token))
        self.report.record(Finding(check, title, label, detail.strip()[:300], curl))

    def _remember_created(self, body: Any) -> None:
        data = body.get("data") if isinstance(body, dict) else None
        payload = (data or {}).get(MUTATION_FIELD) if isinstance(data, dict) else None
        sender = payload.get("smtpCustomEmail") if isinstance(payload, dict) else None
        if isinstance(sender, dict):
            self.ledger.record_answer(sender, {})


def _safe_on_live(label: str) -> bool:
    return label.startswith("Query.") or label == f"Mutation.{MUTATION_FIELD}"


def _without_relay_flag(variables: dict[str, Any]) -> dict[str, Any]:
    configuration = dict(variables["smtpConfiguration"])
    configuration.pop("ipRelayAuth", None)
    return {**variables, "smtpConfiguration": configuration}


def _with_null_relay(variables: dict[str, Any]) -> dict[str, Any]:
    configuration = {**variables["smtpConfiguration"], "ipRelayAuth": None}
    return {**variables, "smtpConfiguration": configuration}

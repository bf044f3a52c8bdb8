"""`smtp-contract fuzz`: Schemathesis's GraphQL generation, plus our checks.

Four phases share one request budget, rate limit and retry layer:

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
INTERNAL_SERVER_ERROR. Its `positive_data_acceptance` is kept for request-level
refusals only: a resolver refusing schema-valid input (Apollo's
`BAD_USER_INPUT` for missing credentials) is the guide's rules at work.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from functools import partial
from typing import TYPE_CHECKING, Any

from hypothesis import HealthCheck, Phase, given, seed, settings, strategies as st

from contracts.client.curl import curl_command
from contracts.documented import MUTATION_FIELD, create_payload
from contracts.errors import (
    BudgetExhausted,
    ContractViolation,
    OutcomeUnknown,
    Throttled,
)
from contracts.inputs import strategies
from contracts.inputs.malformed import malformed_bodies
from contracts.invariants import is_request_level, successful_sender
from contracts.reports.findings import SCHEMATHESIS, STATEFUL, Finding, FuzzReport
from contracts.tools.conformance import check_response
from contracts.tools.stateful import finding_parts, run_machine

if TYPE_CHECKING:
    from collections.abc import Callable

    from graphql import GraphQLSchema

    from contracts.client.api import ContractApi
    from contracts.client.exchanges import Exchange
    from contracts.client.ledger import Ledger
    from contracts.client.target import Target
    from contracts.inputs.steering import Steering


@dataclass(frozen=True, slots=True)
class FuzzOptions:
    """How much to send and how.

    The request budget, rate limit and retry caps are the target's own.

    Attributes:
        examples: Generated examples per operation and mode.
        seed: Hypothesis seed, or None for a derandomized run.
        live: Whether the target is a live endpoint (limits what is sent).
        strict_secrets: A password quoted by a request-level error fails the
            run instead of being a security warning.
    """

    examples: int
    seed: int | None = None
    live: bool = False
    strict_secrets: bool = False


class Fuzzer:
    """Runs the four phases against one target, within one budget.

    Args:
        st_schema: The Schemathesis schema (from the app or the URL).
        schema: The GraphQL schema, for the strict conformance check.
        target: Sends phases 2 and 3, and keeps the budget and rate limit of
            all three (Schemathesis's requests are counted against it).
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
        self.report = FuzzReport(strict_secrets=options.strict_secrets)

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

        for operation in self._operations():
            for mode in (GenerationMode.POSITIVE, GenerationMode.NEGATIVE):

                @given(case=operation.as_strategy(mode))
                def send_case(case: Any) -> None:
                    self._send_case(case)

                self._run_property(send_case)

    def _operations(self) -> list[Any]:
        """The operations phase 1 fuzzes: on a live target, never a delete."""
        operations = [result.ok() for result in self.st_schema.get_all_operations()]
        if self.options.live:
            return [op for op in operations if _safe_on_live(op.label)]
        return operations

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
        self._remember_created(exchange)
        try:
            case.validate_response(
                exchange.response, excluded_checks=[not_a_server_error]
            )
        except (Failure, FailureGroup) as exc:
            failures = exc.exceptions if isinstance(exc, FailureGroup) else [exc]
            for failure in failures:
                if _domain_refusal(failure, exchange):
                    continue
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
        classes = (
            valid,
            strategies.missing_credentials(
                organization, addresses, password_marker=marker
            ),
            valid.map(_with_null_relay),
            valid.map(_without_relay_flag),
        )
        for inputs in classes:

            @given(variables=inputs)
            def send_variables(variables: dict[str, Any]) -> None:
                self._send_variables(variables)

            self._run_property(send_variables)

    def _send_variables(self, variables: dict[str, Any]) -> None:
        payload = create_payload(variables)
        label = f"Mutation.{MUTATION_FIELD} (variables)"
        exchange = self._post(label, lambda: self.target.post(payload))
        if exchange is None:
            return
        self._check(
            label, payload, exchange.status, exchange.text, field=MUTATION_FIELD
        )
        self._remember_created(exchange)

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
        for body in malformed_bodies(variables):
            label = f"malformed JSON: {body.label}"
            exchange = self._post(label, partial(self.target.post_raw, body.content))
            if exchange is None:
                continue
            # Judged against the document the body carries (#18).
            self._check(
                label, body.request, exchange.status, exchange.text, sent=body.content
            )
            self._remember_created(exchange)

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
        field: str | None = None,
    ) -> None:
        """Record every problem; `sent` is the raw body when it was not `payload`."""
        problems = check_response(self.schema, payload, status, text, field=field)
        for problem in problems:
            reproduce = payload if sent is None else sent
            self._record(problem.check, problem.title, label, reproduce, problem.detail)

    def _record(
        self, check: str, title: str, label: str, sent: Any, detail: str
    ) -> None:
        curl = curl_command(
            self.target.url, sent, with_token=self.target.has_credentials
        )
        self.report.record(Finding(check, title, label, detail.strip()[:300], curl))

    def _remember_created(self, answer: Exchange) -> None:
        sender = successful_sender(answer)
        if sender is not None:
            self.ledger.record_answer(sender, {})


def _domain_refusal(failure: Any, answer: Exchange) -> bool:
    """Whether Schemathesis flags a schema-valid document a resolver refused.

    Its `positive_data_acceptance` check reads Apollo's `BAD_USER_INPUT` as "the
    server rejected valid data", but the guide's own rules (credentials,
    uniqueness) refuse inputs the schema allows. Only a request-level refusal
    of a schema-valid document says the schema and the server disagree.
    """
    from schemathesis.graphql.checks import GraphQLClientError

    return isinstance(failure, GraphQLClientError) and not is_request_level(answer)


def _safe_on_live(label: str) -> bool:
    return label.startswith("Query.") or label == f"Mutation.{MUTATION_FIELD}"


def _without_relay_flag(variables: dict[str, Any]) -> dict[str, Any]:
    configuration = dict(variables["smtpConfiguration"])
    configuration.pop("ipRelayAuth", None)
    return {**variables, "smtpConfiguration": configuration}


def _with_null_relay(variables: dict[str, Any]) -> dict[str, Any]:
    configuration = {**variables["smtpConfiguration"], "ipRelayAuth": None}
    return {**variables, "smtpConfiguration": configuration}

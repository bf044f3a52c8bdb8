"""`--dry-run`: what a run would send, without sending anything."""

from __future__ import annotations

import ast
import copy
from importlib import resources
from typing import TYPE_CHECKING

from hypothesis import settings

from contracts.budgets import RESERVED_SHARE, run_spending
from contracts.client.curl import curl_command
from contracts.client.in_process import IN_PROCESS_URL
from contracts.client.ledger import ADDRESS_PREFIX, Namespace
from contracts.documented import (
    SCENARIO_A_VARIABLES,
    SCENARIO_B_VARIABLES,
    create_payload,
)
from contracts.inputs.malformed import LABELS
from contracts.inputs.steps import (
    CLIENT_FORMS,
    COERCION_WITH_PASSWORD,
    CREDENTIAL_MISSING,
    FAMILY_REQUESTS,
    PROBE_STEPS,
    RELAY_OFF,
    Context,
)
from contracts.inputs.strategies import REQUIRED_ARGUMENTS
from contracts.reports.leftovers import cleanup_notice

if TYPE_CHECKING:
    from contracts.budgets import Spending
    from contracts.config import ContractConfig
    from contracts.inputs.steps import Step


DISCOVERY_REQUESTS = 1
"""The introspection query before the first test: which optional operations exist."""


def properties() -> int:
    """Hypothesis properties in the suite (each example sends 1 to 3 requests).

    Counted from the suite's modules, so a new property shows in the plan.
    They are read, not imported: `@given` keeps the Hypothesis profile loaded
    when it runs, and a live run loads the one its budget allows only after
    counting (`contracts.budgets.run_spending`).
    """
    return sum(_given_tests(name) for name in _PROPERTY_MODULES)


_PROPERTY_MODULES = ("test_documented.py", "test_inferred.py")


def _given_tests(name: str) -> int:
    source = resources.files("contracts.suite").joinpath(name).read_text("utf-8")
    return sum(
        1
        for node in ast.parse(source).body
        if isinstance(node, ast.FunctionDef)
        and any(_is_given(decorator) for decorator in node.decorator_list)
    )


def _is_given(decorator: ast.expr) -> bool:
    called = decorator.func if isinstance(decorator, ast.Call) else decorator
    if isinstance(called, ast.Attribute):
        return called.attr == "given"
    return isinstance(called, ast.Name) and called.id == "given"


def explicit_requests() -> int:
    """Requests of the explicit checks: scenarios, required arguments, auth, probes.

    Derived from the inputs the suite sends; `tests/contracts` runs the
    explicit tests against the mock and checks the count.
    """
    context = Context(Namespace("plan", "example.com"), "plan-org", "plan-other")
    probes = sum(len(step.build(context)) for step in PROBE_STEPS)
    scenarios = 2  # the guide's two, replayed
    # Each required argument omitted and null, then two left out of the input
    # object where only the server's schema can refuse them.
    required = 2 * len(REQUIRED_ARGUMENTS) + 2
    auth = 2  # no token, a wrong token
    client_mutation_id = 1
    # A variable that does not coerce, with a password in it (issue #18).
    coercion = len(COERCION_WITH_PASSWORD.build(context))
    # Every way of leaving relay off crossed with every way of leaving a
    # credential out, for both credentials (issue #13); a non-ASCII address twice.
    credentials = 2 * len(RELAY_OFF) * len(CREDENTIAL_MISSING)
    # A non-ASCII address, and one in each client form, sent twice alike.
    non_ascii_twice = 2 + 2 * len(CLIENT_FORMS)
    explicit = scenarios + required + auth + client_mutation_id + coercion
    explicit += family_requests()
    return explicit + credentials + non_ascii_twice + len(LABELS) + probes


def family_requests() -> int:
    """Requests of the sibling pages' clauses (`contracts.suite.test_family`)."""
    return FAMILY_REQUESTS


def burst_requests(concurrency: int) -> int:
    """Requests of the concurrency checks (see `contracts.suite.test_simultaneous`).

    Three bursts of identical creates, each followed by a sequential duplicate
    and a list read-back; a case probe (two creates), a burst of case variants,
    its duplicate and read-back; a burst of distinct creates (clientMutationId).
    """
    from contracts.suite.test_simultaneous import ROUNDS

    return ROUNDS * (concurrency + 2) + 2 + (concurrency + 2) + concurrency


def fixed_requests(concurrency: int) -> int:
    """Requests a run sends whatever its example count (`contracts.budgets`).

    Capability discovery, the explicit checks and the bursts.
    """
    return DISCOVERY_REQUESTS + explicit_requests() + burst_requests(concurrency)


def plan_lines(config: ContractConfig, profile: str) -> list[str]:
    """Describe the run and print its first requests as `curl` commands."""
    from contracts.profiles import register_profiles

    register_profiles()
    examples = settings.get_profile(profile).max_examples
    spending = run_spending(config.concurrency, cleanup=config.cleanup)
    if config.is_live:
        examples = spending.examples(config.max_requests, examples)
    organizations = config.org + (
        f" and {config.other_org}" if config.other_org else ""
    )
    budget = (
        f"at most {config.max_requests} requests"
        if config.max_requests
        else "no request budget (in-process)"
    )
    pace = f", {config.rps:g} per second" if config.rps else ""
    if config.shrink_budget is not None:
        pace += f"; shrinking one failure stops after {config.shrink_budget}"
    lines = [
        "smtp-contract dry run: nothing is sent.",
        f"{config.describe()}",
        f"budget: {budget}{pace}",
        *([reserve_note(config)] if config.is_live else []),
        *(
            [budget_note(spending, config.max_requests, examples)]
            if config.is_live
            else []
        ),
        f"addresses: {ADDRESS_PREFIX}{config.run_id}-<n>@{config.email_domain}; "
        f"writes go only to organization {organizations}",
        "planned requests:",
        f"  - {DISCOVERY_REQUESTS} introspection query (which optional operations "
        "exist)",
        f"  - up to {examples} generated examples for each of {properties()} "
        "properties, 1 to 3 requests each",
        f"  - {explicit_requests()} explicit requests: the guide's two scenarios, "
        "required arguments, null and blank credentials, auth, clientMutationId, "
        f"probes, and {family_requests()} for the documented configuration "
        "operations (create, list, update, delete)",
        f"  - about {burst_requests(config.concurrency)} requests in bursts of "
        f"{config.concurrency} simultaneous creates (uniqueness under concurrency)",
        "  - read-backs after creates: smtpConfigurations (documented), or "
        "smtpCustomEmail(id) where the target has it",
        cleanup_notice(None, cleanup=config.cleanup, most=config.max_requests),
        "first requests, ready to run:",
    ]
    namespace = Namespace(config.run_id, config.email_domain)
    url = config.url or IN_PROCESS_URL
    for scenario in (SCENARIO_A_VARIABLES, SCENARIO_B_VARIABLES):
        variables = copy.deepcopy(scenario)
        variables["emailAddress"] = namespace.fresh_address()
        variables["smtpConfiguration"]["organizationId"] = config.org
        payload = create_payload(variables)
        lines.append(
            "  " + curl_command(url, payload, with_token=config.has_credentials)
        )
    return lines


def reserve_note(config: ContractConfig) -> str:
    """The clean-up's reserve and the run's time limits, for a live run."""
    waits = (
        f"one wait at most {config.max_wait:g} s, the whole run at most "
        f"{config.deadline:g} s (--deadline)"
    )
    if not config.cleanup:
        return f"clean-up reserve: none (--keep); {waits}"
    return (
        "clean-up reserve: one request held back for every object created "
        "(its delete), never spent on tests, so the budget running out still "
        f"leaves room to clean up; {waits}"
    )


def budget_note(spending: Spending, budget: int | None, examples: int) -> str:
    """How the budget sets the examples, and whether it reaches every clause."""
    if budget is None:
        return f"examples per property: {examples} (the profile's; no budget)"
    note = (
        f"examples per property: {examples}, from the budget of {budget} "
        f"({RESERVED_SHARE:.0%} kept for resends and look-ups; at most the "
        "profile's)"
    )
    least = spending.least_budget()
    if budget < least:
        note += (
            f"; below {least} requests a run may stop (exit 2) before every "
            "clause is reached once"
        )
    return note


def diff_plan_lines(config: ContractConfig, steps: list[Step]) -> list[str]:
    """What `smtp-contract diff` would send, step by step."""
    pace = f", {config.rps:g} per second" if config.rps else ""
    budget = f"at most {config.max_requests} requests" if config.max_requests else ""
    return [
        "smtp-contract diff dry run: nothing is sent.",
        config.describe(),
        f"budget: {budget or 'no request budget (in-process)'}{pace}",
        f"addresses: {ADDRESS_PREFIX}{config.run_id}-<n>@{config.email_domain}",
        f"{len(steps)} steps, each sent to the mock and to the target:",
        *(f"  - {step.clause}: {step.label}" for step in steps),
    ]

"""The state machine `run` and `fuzz` share: sequences across two organizations.

Creates, duplicates, upper-case variants, creates of the same address in the
other organization, a failed create corrected, and read-backs after every
step, each judged by the run's `Checker` (the same invariants everywhere).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from hypothesis import strategies as st
from hypothesis.stateful import (
    Bundle,
    RuleBasedStateMachine,
    consumes,
    invariant,
    rule,
)

from contracts.clauses import ClauseId
from contracts.invariants import successful_sender
from contracts.suite._support import outcome, valid_variables, with_changes

if TYPE_CHECKING:
    from contracts.client.api import ContractApi


class SenderMachine(RuleBasedStateMachine):
    """Creates, duplicates and retries; the model says what must exist."""

    def __init__(self, api: ContractApi) -> None:
        super().__init__()
        self.api = api
        self.organizations = [api.config.org]
        if api.config.other_org is not None:
            self.organizations.append(api.config.other_org)
        # (organization, address as sent) -> the sender as created
        self.model: dict[tuple[str, str], dict[str, Any]] = {}
        self.case_sensitive = False
        self.read_backs = 0

    created = Bundle("created")

    def _variables(self, data: st.DataObject, organization: str) -> dict[str, Any]:
        return data.draw(valid_variables(self.api, organization))

    @rule(target=created, data=st.data())
    def create_new(self, data: st.DataObject) -> tuple[str, str]:
        organization = data.draw(st.sampled_from(self.organizations))
        variables = self._variables(data, organization)
        exchange = self.api.create(variables)
        sender = self.api.checker.created_sender(exchange, ClauseId.CREATE_BOTH_OBJECTS)
        key = (organization, variables["emailAddress"])
        if sender is not None:
            self.api.checker.ids(exchange, sender, self.api.seen_ids)
            self.model[key] = sender
        return key

    @rule(key=created, data=st.data())
    def create_duplicate(self, key: tuple[str, str], data: st.DataObject) -> None:
        organization, address = key
        if key not in self.model:
            return
        variables = self._variables(data, organization)
        variables["emailAddress"] = address
        exchange = self.api.create(variables)
        self.api.checker.rejected(
            exchange, ClauseId.EMAIL_UNIQUE_IN_ORG, "a duplicate address was accepted"
        )

    @rule(key=created, data=st.data())
    def create_case_variant(self, key: tuple[str, str], data: st.DataObject) -> None:
        organization, address = key
        variant = address.upper()
        if key not in self.model or (organization, variant) in self.model:
            return
        variables = self._variables(data, organization)
        variables["emailAddress"] = variant
        exchange = self.api.create(variables)
        seen = outcome(exchange)
        self.api.checker.results.observe(
            ClauseId.PROBE_EMAIL_CASE, f"state machine: upper-case variant {seen}"
        )
        sender = successful_sender(exchange)
        if sender is not None:
            self.model[(organization, variant)] = sender

    @rule(key=consumes(created), data=st.data())
    def create_in_other_organization(
        self, key: tuple[str, str], data: st.DataObject
    ) -> None:
        organization, address = key
        others = [org for org in self.organizations if org != organization]
        if key not in self.model or not others:
            return
        variables = self._variables(data, others[0])
        variables["emailAddress"] = address
        if (others[0], address) in self.model:
            return
        exchange = self.api.create(variables)
        sender = self.api.checker.created_sender(exchange, ClauseId.EMAIL_OTHER_ORG)
        if sender is not None:
            self.model[(others[0], address)] = sender

    @rule(data=st.data())
    def failed_then_corrected(self, data: st.DataObject) -> None:
        organization = data.draw(st.sampled_from(self.organizations))
        variables = self._variables(data, organization)
        broken = with_changes(variables, ipRelayAuth=False)
        broken["smtpConfiguration"].pop("password", None)
        exchange = self.api.create(broken)
        self.api.checker.rejected(
            exchange,
            ClauseId.CREDENTIALS_REQUIRED,
            "a create without a password was accepted",
        )
        fixed = with_changes(
            broken, username="contract-user", password=f"{self.api.password_marker}-ok"
        )
        retry = self.api.create(fixed)
        sender = self.api.checker.created_sender(retry, ClauseId.CREATE_NO_TRACE)
        if sender is not None:
            self.model[(organization, variables["emailAddress"])] = sender

    @invariant()
    def created_senders_read_back_unchanged(self) -> None:
        if not self.api.capabilities.read_back or not self.model:
            return
        # One sender per step keeps a live run within its request budget; the
        # next step reads back the next one, so every sender is read in turn.
        key = sorted(self.model)[self.read_backs % len(self.model)]
        self.read_backs += 1
        expected = self.model[key]
        stored = self.api.read_back(expected["id"])
        if stored != expected:
            self.api.checker.violation(
                ClauseId.EMAIL_UNIQUE_IN_ORG,
                None,
                "a created sender reads back differently",
                expected=repr(expected),
                observed=repr(stored),
            )

"""The suite's view of the target: the documented mutation and what may follow.

Every create goes through `ContractApi.create`, which keeps the run's
invariants that hold for any request: no submitted password comes back, error
responses have the real API's shape, and every created sender is in the ledger.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from contracts.client import family
from contracts.documented import DOCUMENTED_OPERATION, OPERATION_NAME, create_payload
from contracts.documented_family import (
    CREATE_CONFIGURATION_FIELD,
    DELETE_CONFIGURATION_FIELD,
    LIST_CONFIGURATIONS_FIELD,
    UPDATE_CONFIGURATION_FIELD,
)
from contracts.errors import OutcomeUnknown
from contracts.inputs.steps import Context
from contracts.invariants import submitted_passwords, successful_sender

if TYPE_CHECKING:
    from collections.abc import Callable, Mapping, Sequence

    from contracts.checks import Checker
    from contracts.client.capabilities import Capabilities
    from contracts.client.exchanges import Exchange
    from contracts.client.ledger import Ledger, Namespace
    from contracts.client.target import Target
    from contracts.config import ContractConfig
    from contracts.inputs.steps import Request

SENDER_FIELDS = (
    "id emailAddress senderName "
    "smtpConfiguration { id host port organizationId ipRelayAuth }"
)
READ_BACK_QUERY = (
    "query ContractReadBack($id: ID!) "
    f"{{ smtpCustomEmail(id: $id) {{ {SENDER_FIELDS} }} }}"
)
LOOK_UP_QUERY = (
    "query ContractLookUp($org: ID!) "
    f"{{ smtpCustomEmails(organizationId: $org) {{ {SENDER_FIELDS} }} }}"
)
LIST_QUERY = (
    "query ContractList($organizationId: ID!) "
    "{ smtpCustomEmails(organizationId: $organizationId) { id emailAddress } }"
)


class ContractApi:
    """Sends the suite's requests and applies the run-wide invariants.

    Args:
        target: Where requests go.
        config: The run's options.
        capabilities: Optional operations the target has.
        checker: Raises or records clause failures.
        namespace: Source of this run's addresses.
        ledger: Record of created senders.
    """

    def __init__(
        self,
        target: Target,
        config: ContractConfig,
        capabilities: Capabilities,
        checker: Checker,
        namespace: Namespace,
        ledger: Ledger,
    ) -> None:
        self.target = target
        self.config = config
        self.capabilities = capabilities
        self.checker = checker
        self.namespace = namespace
        self.ledger = ledger
        # Generated passwords share a marker (found in one pass); any other
        # submitted password, e.g. the guide's, is searched for directly.
        self.generated_passwords: set[str] = set()
        self.other_passwords: set[str] = set()
        self.seen_ids: set[str] = set()

    def __repr__(self) -> str:
        return (
            f"ContractApi({self.config.describe()}, run_id={self.namespace.run_id!r})"
        )

    @property
    def password_marker(self) -> str:
        """Prefix of every generated password, unique to the run."""
        return self.namespace.password_marker

    def fresh_address(self) -> str:
        """An address no earlier request of this run used."""
        return self.namespace.fresh_address()

    def create(
        self,
        variables: Mapping[str, Any],
        *,
        query: str = DOCUMENTED_OPERATION,
        operation_name: str | None = OPERATION_NAME,
    ) -> Exchange:
        """Send a create (the guide's operation unless told otherwise)."""
        payload = self._payload(variables, query, operation_name)
        return self._answered(
            self._write(lambda: self.target.post(payload), variables), variables
        )

    def create_at_once(
        self,
        variables: Sequence[Mapping[str, Any]],
        *,
        query: str = DOCUMENTED_OPERATION,
        operation_name: str | None = OPERATION_NAME,
    ) -> list[Exchange]:
        """Send several creates at the same moment (see `Target.post_at_once`)."""
        payloads = [self._payload(each, query, operation_name) for each in variables]
        exchanges = self.target.post_at_once(payloads)
        return [
            self._answered(exchange, each)
            for exchange, each in zip(exchanges, variables, strict=True)
        ]

    def _payload(
        self, variables: Mapping[str, Any], query: str, operation_name: str | None
    ) -> dict[str, Any]:
        payload = create_payload(variables, query=query, operation_name=operation_name)
        self._note_passwords(payload)
        return payload

    def send(self, request: Request) -> Exchange:
        """Send one of the fixed requests of `contracts.inputs.steps`."""
        return self.create(
            request.variables,
            query=request.query,
            operation_name=request.operation_name,
        )

    def send_raw(self, content: bytes, variables: Mapping[str, Any]) -> Exchange:
        """Send a body as it is (see `contracts.inputs.malformed`).

        The body is built on `variables`.

        A sender the target creates from it anyway is recorded for clean-up.
        """
        return self._answered(
            self._write(lambda: self.target.post_raw(content), variables), variables
        )

    def context(self) -> Context:
        """What the fixed request builders need from this run."""
        return Context(self.namespace, self.config.org, self.config.other_org)

    def after(self, exchange: Exchange) -> None:
        """Apply the invariants every response must keep."""
        self._check_passwords(exchange)
        self.checker.error_shape(exchange)
        self.checker.retry_after(exchange)

    def read_back(self, sender_id: str) -> dict[str, Any] | None:
        """Read a sender back by id; needs `capabilities.read_back`."""
        exchange = self.target.post(
            {"query": READ_BACK_QUERY, "variables": {"id": sender_id}}
        )
        self._check_passwords(exchange)
        data = exchange.body.get("data") if isinstance(exchange.body, dict) else None
        sender = (data or {}).get("smtpCustomEmail")
        return sender if isinstance(sender, dict) else None

    def count_at_address(self, organization_id: str, address: str) -> int | None:
        """Senders of the organization at `address`, ignoring case.

        Needs `capabilities.list_by_organization`; None when the list is
        unreadable.
        """
        exchange = self.target.post(
            {"query": LIST_QUERY, "variables": {"organizationId": organization_id}}
        )
        self._check_passwords(exchange)
        data = exchange.body.get("data") if isinstance(exchange.body, dict) else None
        senders = (data or {}).get("smtpCustomEmails")
        if not isinstance(senders, list):
            return None
        wanted = address.casefold()
        return sum(
            1
            for sender in senders
            if isinstance(sender, dict)
            and str(sender.get("emailAddress", "")).casefold() == wanted
        )

    def create_configuration(self, values: Mapping[str, Any]) -> Exchange:
        """Send `createSmtpConfiguration`; a configuration made is in the ledger."""
        self._note_passwords({"variables": {"input": values}})
        try:
            exchange = family.create_configuration(self.target, values)
        except OutcomeUnknown:
            # As for a sender (`_write`): resent only when a look-up shows
            # the target did not store it; the host tells it apart.
            if self._configuration_stored(values):
                self.target.retries.unknown_outcome()
                raise
            self.target.retries.resent()
            exchange = family.create_configuration(self.target, values)
        self._family_answer(exchange, CREATE_CONFIGURATION_FIELD)
        made = family.configuration_of(exchange, CREATE_CONFIGURATION_FIELD)
        if made is not None:
            organization = made.get("organizationId", values.get("organizationId"))
            self.ledger.record_configuration(str(made.get("id")), str(organization))
        return exchange

    def update_configuration(self, values: Mapping[str, Any]) -> Exchange:
        """Send `updateSmtpConfiguration`."""
        self._note_passwords({"variables": {"input": values}})
        exchange = family.update_configuration(self.target, values)
        return self._family_answer(exchange, UPDATE_CONFIGURATION_FIELD)

    def delete_configuration(self, configuration_id: str) -> Exchange:
        """Send `deleteSmtpConfiguration`; a deleted one leaves the ledger."""
        exchange = family.delete_configuration(self.target, configuration_id)
        self._family_answer(exchange, DELETE_CONFIGURATION_FIELD)
        if family.deleted(exchange, DELETE_CONFIGURATION_FIELD):
            self.ledger.forget(configuration_id)
        return exchange

    def list_configurations(
        self, organization: str, default_smtp: bool | None = None
    ) -> Exchange:
        """Send `smtpConfigurations` for one organization."""
        exchange = family.list_configurations(self.target, organization, default_smtp)
        return self._family_answer(exchange, LIST_CONFIGURATIONS_FIELD)

    def _configuration_stored(self, values: Mapping[str, Any]) -> bool:
        """Whether the organization lists a configuration with this host.

        One it lists is recorded for clean-up: it was stored after all.
        """
        organization = str(values.get("organizationId"))
        listed = family.listed_nodes(
            family.list_configurations(self.target, organization)
        )
        for node in listed or []:
            if node.get("host") == values.get("host"):
                self.ledger.record_configuration(str(node.get("id")), organization)
                return True
        return listed is None

    def _family_answer(self, exchange: Exchange, field: str) -> Exchange:
        self._check_passwords(exchange)
        self.checker.error_shape(exchange, field=field)
        self.checker.retry_after(exchange)
        return exchange

    def _note_passwords(self, payload: Mapping[str, Any]) -> None:
        for password in submitted_passwords(payload):
            if password.startswith(self.password_marker):
                self.generated_passwords.add(password)
            else:
                self.other_passwords.add(password)

    def _write(
        self, send: Callable[[], Exchange], variables: Mapping[str, Any]
    ) -> Exchange:
        # A write whose answer was lost is sent again only when a look-up
        # shows the target did not store it (issue #14); otherwise the step's
        # outcome is unknown: neither held nor failed.
        try:
            return send()
        except OutcomeUnknown:
            if not self._not_stored(variables):
                self.target.retries.unknown_outcome()
                raise
        self.target.retries.resent()
        try:
            return send()
        except OutcomeUnknown:
            self.target.retries.unknown_outcome()
            raise

    def _not_stored(self, variables: Mapping[str, Any]) -> bool:
        """Whether a look-up shows the sender of `variables` is not stored."""
        sent = variables.get("input", variables)
        configuration = sent.get("smtpConfiguration")
        address = sent.get("emailAddress")
        if not (
            self.capabilities.list_by_organization
            and isinstance(configuration, dict)
            and isinstance(address, str)
            and isinstance(configuration.get("organizationId"), str)
        ):
            return False
        exchange = self.target.post(
            {
                "query": LOOK_UP_QUERY,
                "variables": {"org": configuration["organizationId"]},
            }
        )
        data = exchange.body.get("data") if isinstance(exchange.body, dict) else None
        senders = (data or {}).get("smtpCustomEmails")
        if not isinstance(senders, list):
            return False
        for sender in senders:
            if str(sender.get("emailAddress", "")).casefold() == address.casefold():
                if not any(e.id == sender.get("id") for e in self.ledger.entries):
                    self._record(sender, variables)  # stored after all
                return False
        return True

    def _answered(self, exchange: Exchange, variables: Mapping[str, Any]) -> Exchange:
        # Every create's answer: the invariants, and the ledger for clean-up.
        self.after(exchange)
        sender = successful_sender(exchange)
        if sender is not None:
            self._record(sender, variables)
        return exchange

    def _check_passwords(self, exchange: Exchange) -> None:
        self.checker.no_password(
            exchange, self.generated_passwords, self.password_marker
        )
        self.checker.no_password(exchange, self.other_passwords)

    def _record(self, sender: dict[str, Any], variables: Mapping[str, Any]) -> None:
        self.ledger.record_answer(sender, variables)

"""The catalogue of mutants: one deviation from the guide each."""

from __future__ import annotations

import contextlib
import json
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import orjson

from contracts.clauses import ClauseId
from contracts.selftest.mutants import real_bugs as bug
from contracts.selftest.mutants.stores import (
    CaseSensitiveStore,
    DeleteKeeps,
    DeleteUnknownSucceeds,
    DuplicateReplacesStore,
    EveryConfigurationDefault,
    GlobalUniquenessStore,
    NoUniquenessStore,
    SendersConfigurationsUnlisted,
    UpdateReseals,
)
from mock_server import ConfigurationError, MockServerError
from mock_server.domain import ConfigurationDraft, IdFactory, SenderDraft, build_sender

if TYPE_CHECKING:
    from contracts.selftest.mutants.stores import FlawedStore
    from mock_server.stores import Store

Variables = dict[str, Any]
ResponseRewrite = Callable[[Variables, int, Any, "Store"], Awaitable[tuple[int, Any]]]

FIELD = "createSmtpCustomEmailWithConfiguration"


@dataclass(frozen=True)
class Mutant:
    """One deliberate deviation from the guide.

    Attributes:
        name: Selects it (`mutant_app(NAME)`).
        deviation: What is wrong, in one sentence.
        equivalent: True when the deviation is a choice the guide leaves open:
            a correct suite must not flag it.
        patch_sdl: Rewrites the schema text.
        store: Builds the store to use instead of the default.
        rewrite_variables: Rewrites the variables of each GraphQL request.
        rewrite_response: Makes the rewriter of GraphQL responses (one per app,
            so that a rewriter's memory never leaks between apps).
        ignores_token: Serves without authentication even when given a token.
        crash_when: Answers HTTP 500 (plain text) to requests it matches.
        crash_on_body: The same, judged on the raw request body.
        restart_every: Serves a fresh app (same id seed, same store) after
            every this many POST requests, as a recycled worker does.
        clause: The clause whose tests catch it: the selftest runs them first
            (`contracts.selftest.ordering`). None for an equivalent mutant.
    """

    name: str
    deviation: str
    equivalent: bool = False
    patch_sdl: Callable[[str], str] | None = None
    store: Callable[[], FlawedStore] | None = None
    rewrite_variables: Callable[[Variables], Variables] | None = None
    rewrite_response: Callable[[], ResponseRewrite] | None = None
    ignores_token: bool = False
    crash_when: Callable[[Any], bool] | None = None
    crash_on_body: Callable[[bytes], bool] | None = None
    restart_every: int | None = None
    clause: ClauseId | None = None


def find_mutant(name: str) -> Mutant:
    """Return the mutant with this name.

    Raises:
        ConfigurationError: there is none.
    """
    for mutant in MUTANTS:
        if mutant.name == name:
            return mutant
    raise ConfigurationError(f"unknown mutant {name!r}")


# --- helpers ---------------------------------------------------------------


def _configuration(variables: Variables) -> dict[str, Any]:
    configuration = variables.get("smtpConfiguration")
    return configuration if isinstance(configuration, dict) else {}


def _payload(body: Any) -> dict[str, Any] | None:
    data = body.get("data") if isinstance(body, dict) else None
    payload = data.get(FIELD) if isinstance(data, dict) else None
    return payload if isinstance(payload, dict) else None


def _sender(body: Any) -> dict[str, Any] | None:
    payload = _payload(body)
    sender = payload.get("smtpCustomEmail") if payload is not None else None
    return sender if isinstance(sender, dict) else None


def _on_sender(
    change: Callable[[dict[str, Any]], None],
) -> ResponseRewrite:
    async def rewrite(
        _variables: Variables, status: int, body: Any, _store: Store
    ) -> tuple[int, Any]:
        sender = _sender(body)
        if sender is not None:
            change(sender)
        return status, body

    return rewrite


def _on_errors(
    change: Callable[[Variables, int, dict[str, Any]], int],
) -> ResponseRewrite:
    async def rewrite(
        variables: Variables, status: int, body: Any, _store: Store
    ) -> tuple[int, Any]:
        if isinstance(body, dict) and body.get("errors"):
            status = change(variables, status, body)
        return status, body

    return rewrite


def _set_configuration(name: str, value: Callable[[Any], Any]) -> ResponseRewrite:
    def change(sender: dict[str, Any]) -> None:
        configuration = sender.get("smtpConfiguration")
        if isinstance(configuration, dict) and name in configuration:
            configuration[name] = value(configuration[name])

    return _on_sender(change)


def _with_configuration(
    variables: Variables, change: Callable[[dict[str, Any]], None]
) -> Variables:
    configuration = variables.get("smtpConfiguration")
    if isinstance(configuration, dict):
        configuration = dict(configuration)
        change(configuration)
        return {**variables, "smtpConfiguration": configuration}
    return variables


def _fill_credentials(names: Sequence[str]) -> Callable[[Variables], Variables]:
    def rewrite(variables: Variables) -> Variables:
        def change(configuration: dict[str, Any]) -> None:
            if not configuration.get("ipRelayAuth"):
                for name in names:
                    configuration[name] = configuration.get(name) or "filled-in"

        return _with_configuration(variables, change)

    return rewrite


def _default_relay_true(variables: Variables) -> Variables:
    def change(configuration: dict[str, Any]) -> None:
        configuration.setdefault("ipRelayAuth", True)

    return _with_configuration(variables, change)


def _relay_needs_credentials(variables: Variables) -> Variables:
    def change(configuration: dict[str, Any]) -> None:
        if configuration.get("ipRelayAuth") and not configuration.get("password"):
            configuration["ipRelayAuth"] = False

    return _with_configuration(variables, change)


def _update_fills_blank_credentials(variables: Variables) -> Variables:
    # An update's input whose blank credentials are read as "not sent".
    values = variables.get("input")
    if not isinstance(values, dict) or "id" not in values:
        return variables
    filled = {
        key: "filled-in" if key in ("username", "password") and value == "" else value
        for key, value in values.items()
    }
    return {**variables, "input": filled}


# --- response rewrites that need more than the body -------------------------


async def _partial_write(
    variables: Variables, status: int, body: Any, store: Store
) -> tuple[int, Any]:
    configuration = _configuration(variables)
    failed_on_credentials = isinstance(body, dict) and any(
        str((entry.get("extensions") or {}).get("field", "")).startswith(
            "smtpConfiguration.user"
        )
        or str((entry.get("extensions") or {}).get("field", "")).startswith(
            "smtpConfiguration.pass"
        )
        for entry in body.get("errors") or []
    )
    if failed_on_credentials:
        # The configuration half of the create is kept despite the failure.
        draft = SenderDraft(
            sender_name=str(variables.get("senderName") or "partial"),
            email_address=str(variables.get("emailAddress")),
            configuration=ConfigurationDraft(
                host=str(configuration.get("host") or "partial"),
                port=int(configuration.get("port") or 25),
                organization_id=str(configuration.get("organizationId")),
                ip_relay_auth=True,
            ),
        )
        # Already there: nothing more to keep.
        with contextlib.suppress(MockServerError):
            await store.add(build_sender(draft, IdFactory()))
    return status, body


def _echo_password(variables: Variables, status: int, body: dict[str, Any]) -> int:
    password = _configuration(variables).get("password")
    first = body["errors"][0]
    # Only GraphQL errors have a message (a 401's entries do not).
    if password and isinstance(first.get("message"), str):
        first["message"] += f" (password was {password})"
    return status


def _strip_codes(_variables: Variables, status: int, body: dict[str, Any]) -> int:
    for entry in body["errors"]:
        (entry.get("extensions") or {}).pop("code", None)
    return status


def _server_error_on_duplicate(
    _variables: Variables, status: int, body: dict[str, Any]
) -> int:
    if any("taken" in entry.get("message", "") for entry in body["errors"]):
        body.clear()
        body["errors"] = [{"message": "Internal Server Error"}]
        return 500
    return status


def _data_not_null(_variables: Variables, status: int, body: dict[str, Any]) -> int:
    if isinstance(body.get("data"), dict) and FIELD in body["data"]:
        body["data"][FIELD] = {"smtpCustomEmail": None}
    return status


class _IdMemory:
    def __init__(self) -> None:
        self.first: tuple[str, str] | None = None

    def reuse(self, sender: dict[str, Any]) -> None:
        configuration = sender["smtpConfiguration"]
        if self.first is None:
            self.first = (sender["id"], configuration["id"])
        sender["id"], configuration["id"] = self.first


def _reused_ids() -> ResponseRewrite:
    memory = _IdMemory()
    return _on_sender(memory.reuse)


def _counter_ids() -> ResponseRewrite:
    counter = iter(range(1, 1_000_000))

    def change(sender: dict[str, Any]) -> None:
        sender["id"] = str(next(counter))
        sender["smtpConfiguration"]["id"] = str(next(counter))

    return _on_sender(change)


def _has_non_ascii(request: Any) -> bool:
    return any(
        ord(character) > 127 for character in json.dumps(request, ensure_ascii=False)
    )


def _lax_json_only(body: bytes) -> bool:
    # What this mock did before it decoded strictly: json.loads took the body,
    # then the response could not be encoded.
    try:
        orjson.loads(body)  # as strict as the mock
    except ValueError:
        try:
            json.loads(body)
        except (ValueError, RecursionError):
            return False
        return True
    return False


def _same_id(sender: dict[str, Any]) -> None:
    sender["smtpConfiguration"]["id"] = sender["id"]


def _host_upper(sender: dict[str, Any]) -> None:
    configuration = sender.get("smtpConfiguration")
    # A selection without `host` has nothing to upper-case (no crash).
    if isinstance(configuration, dict) and isinstance(configuration.get("host"), str):
        configuration["host"] = configuration["host"].upper()


async def _drop_client_mutation_id(
    _variables: Variables, status: int, body: Any, _store: Store
) -> tuple[int, Any]:
    payload = _payload(body)
    if payload is not None and "clientMutationId" in payload:
        payload["clientMutationId"] = None
    return status, body


MUTANTS: tuple[Mutant, ...] = (
    Mutant("port-as-number", "port is returned as a number",
           rewrite_response=lambda: _set_configuration("port", int),
           clause=ClauseId.CREATE_PORT_STRING),
    Mutant("ids-not-uuids", "ids are counters, not UUIDs",
           rewrite_response=_counter_ids,
           clause=ClauseId.CREATE_BOTH_OBJECTS),
    Mutant("one-id-for-both", "the sender and its configuration share one id",
           rewrite_response=lambda: _on_sender(_same_id),
           clause=ClauseId.CREATE_BOTH_OBJECTS),
    Mutant("ids-reused", "every create returns the first create's ids",
           rewrite_response=_reused_ids,
           clause=ClauseId.CREATE_BOTH_OBJECTS),
    Mutant("default-flipped", "an omitted ipRelayAuth means true",
           rewrite_variables=_default_relay_true,
           clause=ClauseId.RELAY_DEFAULT_FALSE),
    Mutant("credentials-not-checked", "missing credentials are accepted",
           rewrite_variables=_fill_credentials(("username", "password")),
           clause=ClauseId.CREDENTIALS_REQUIRED),
    Mutant("only-username-checked", "a missing password is accepted",
           rewrite_variables=_fill_credentials(("password",)),
           clause=ClauseId.CREDENTIALS_REQUIRED),
    Mutant("no-uniqueness", "an address may repeat within an organization",
           store=NoUniquenessStore,
           clause=ClauseId.EMAIL_UNIQUE_IN_ORG),
    Mutant("uniqueness-across-orgs", "an address is unique across organizations",
           store=GlobalUniquenessStore,
           clause=ClauseId.EMAIL_OTHER_ORG),
    Mutant("partial-write", "a create failing on credentials still stores a sender",
           rewrite_response=lambda: _partial_write,
           clause=ClauseId.CREATE_NO_TRACE),
    Mutant("password-in-error", "error messages echo the submitted password",
           rewrite_response=lambda: _on_errors(_echo_password),
           clause=ClauseId.SECRETS_PASSWORD),
    Mutant("errors-without-code", "error entries carry no extensions.code",
           rewrite_response=lambda: _on_errors(_strip_codes),
           clause=ClauseId.ERRORS_SHAPE),
    Mutant("500-on-duplicate", "a duplicate address answers HTTP 500",
           rewrite_response=lambda: _on_errors(_server_error_on_duplicate),
           clause=ClauseId.EMAIL_UNIQUE_IN_ORG),
    Mutant("organization-id-as-number", "organizationId is returned as a number",
           rewrite_response=lambda: _set_configuration(
               "organizationId", lambda v: int(v) if str(v).isdigit() else 0),
           clause=ClauseId.CREATE_ECHO),
    Mutant("relay-demands-credentials", "IP relay without credentials is refused",
           rewrite_variables=_relay_needs_credentials,
           clause=ClauseId.RELAY_NO_CREDENTIALS),
    Mutant("sender-name-optional", "senderName may be omitted (defaulted)",
           patch_sdl=lambda sdl: sdl.replace(
               "  senderName: String!\n", '  senderName: String = "Unnamed"\n', 1),
           clause=ClauseId.ARGUMENTS_REQUIRED),
    Mutant("auth-ignored", "requests without the token are served",
           ignores_token=True,
           clause=ClauseId.AUTH_TOKEN),
    Mutant("relay-flag-dropped", "ipRelayAuth is always returned as false",
           rewrite_response=lambda: _set_configuration(
               "ipRelayAuth", lambda _v: False),
           clause=ClauseId.RELAY_NO_CREDENTIALS),
    Mutant("host-uppercased", "host is returned upper-cased",
           rewrite_response=lambda: _on_sender(_host_upper),
           clause=ClauseId.CREATE_ECHO),
    Mutant("client-mutation-id-dropped", "clientMutationId is not echoed",
           rewrite_response=lambda: _drop_client_mutation_id,
           clause=ClauseId.RELAY_CLIENT_MUTATION_ID),
    Mutant("data-not-null-on-error", "a failed create returns a payload object",
           rewrite_response=lambda: _on_errors(_data_not_null),
           clause=ClauseId.ERRORS_SHAPE),
    Mutant("duplicate-replaces-first", "a duplicate overwrites the first sender",
           store=DuplicateReplacesStore,
           clause=ClauseId.EMAIL_UNIQUE_IN_ORG),
    Mutant("500-on-non-ascii", "a request with non-ASCII text answers HTTP 500",
           crash_when=_has_non_ascii,
           clause=ClauseId.CREATE_BOTH_OBJECTS),
    Mutant("500-on-lax-json", "JSON only Python's lax json module takes (NaN, "
           "unpaired surrogates) answers HTTP 500", crash_on_body=_lax_json_only,
           clause=ClauseId.ERRORS_MALFORMED_JSON),
    # Modelled on bugs real APIs ship (#13); the selftest guide names each origin.
    Mutant("uniqueness-race", "uniqueness is checked, then an await, then the "
           "save (no unique index)", store=bug.RacyStore,
           clause=ClauseId.EMAIL_UNIQUE_IN_ORG_CONCURRENT),
    Mutant("relay-by-explicit-null", "ipRelayAuth: null is read as relay on",
           rewrite_variables=bug.relay_on_when_null,
           clause=ClauseId.CREDENTIALS_REQUIRED),
    Mutant("empty-password-accepted", "an empty-string password counts as given",
           rewrite_variables=bug.empty_password_counts,
           clause=ClauseId.CREDENTIALS_REQUIRED),
    Mutant("uniqueness-normalized-one-side", "stored addresses are NFC-normalized "
           "for uniqueness, incoming ones are not", store=bug.NormalizedOnOneSideStore,
           clause=ClauseId.EMAIL_UNIQUE_IN_ORG),
    Mutant("uniqueness-lowercased-one-side", "stored addresses are lower-cased "
           "for uniqueness, incoming ones are not", store=bug.LowerCasedOnOneSideStore,
           clause=ClauseId.EMAIL_UNIQUE_IN_ORG),
    Mutant("duplicate-returns-first-sender", "a duplicate answers the first "
           "sender instead of an error", rewrite_response=bug.FirstSenderOnDuplicate,
           clause=ClauseId.EMAIL_UNIQUE_IN_ORG),
    Mutant("port-answered-as-default", 'port is answered as "587" whatever was sent',
           rewrite_response=bug.DefaultPort,
           clause=ClauseId.CREATE_PORT_STRING),
    Mutant("client-mutation-id-crossed", "clientMutationId is kept on shared "
           "state across an await", rewrite_response=bug.SharedClientMutationId,
           clause=ClauseId.RELAY_CLIENT_MUTATION_ID),
    Mutant("ids-repeat-after-restart", "ids are UUID-shaped but seeded at boot: "
           "they repeat after a restart", restart_every=5,
           clause=ClauseId.CREATE_BOTH_OBJECTS),
    Mutant("data-null-without-errors", "a failed create answers 200 with data null "
           "and no errors", rewrite_response=bug.DataNullWithoutErrors,
           clause=ClauseId.ERRORS_SHAPE),
    Mutant("errors-without-path", "errors beside data carry no path",
           rewrite_response=bug.ErrorsWithoutPath,
           clause=ClauseId.ERRORS_SHAPE),
    Mutant("password-in-extensions", "a refused input, password included, is "
           "echoed in extensions", rewrite_response=bug.InputInExtensions,
           clause=ClauseId.SECRETS_PASSWORD),
    Mutant("503-every-tenth-create", "every tenth create answers 503 without "
           "Retry-After", rewrite_response=bug.UnavailableEveryTenthCreate,
           clause=ClauseId.ERRORS_RETRY_AFTER),
    # The documented configuration operations (#25).
    Mutant("update-reseals-password", "an update without a password still "
           "changes encryptedPassword", store=UpdateReseals,
           clause=ClauseId.FAMILY_UPDATE_PASSWORD),
    Mutant("update-skips-credential-check", "an update may blank a credential",
           rewrite_variables=_update_fills_blank_credentials,
           clause=ClauseId.FAMILY_UPDATE_VALIDATES),
    Mutant("delete-unknown-succeeds", "deleting an unknown id answers success",
           store=DeleteUnknownSucceeds,
           clause=ClauseId.FAMILY_DELETE_UNKNOWN),
    Mutant("delete-keeps-configuration", "a deleted configuration is still listed",
           store=DeleteKeeps,
           clause=ClauseId.FAMILY_DELETE),
    Mutant("sender-configuration-unlisted", "a sender's configuration is not "
           "listed with the organization's", store=SendersConfigurationsUnlisted,
           clause=ClauseId.EMAIL_UNIQUE_IN_ORG),
    Mutant("every-configuration-default", "every configuration is listed as the "
           "default", store=EveryConfigurationDefault,
           clause=ClauseId.FAMILY_DEFAULT_FILTER),
    Mutant("case-sensitive-uniqueness", "uniqueness ignores letter case (a choice)",
           equivalent=True, store=CaseSensitiveStore),
)  # fmt: skip

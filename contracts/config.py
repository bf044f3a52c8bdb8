"""The options of one contract run, checked once and then frozen."""

from __future__ import annotations

import secrets
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

from contracts.clauses import Tier
from contracts.client.retries import (
    DEFAULT_DEADLINE,
    DEFAULT_MAX_RETRIES,
    DEFAULT_MAX_WAIT,
    DEFAULT_RETRY_BASE,
    RetryPolicy,
)
from contracts.documented import GUIDE_ORGANIZATION_ID
from contracts.errors import ConfigError

URL_ENV = "SMTP_CONTRACT_URL"
"""The environment variable that names a live target."""
TOKEN_ENV = "SMTP_CONTRACT_TOKEN"
"""The environment variable holding the bearer token (never put on a command line)."""
CLIENT_ID_ENV = "SMTP_CONTRACT_CLIENT_ID"
"""The environment variable naming a service account (`--client-id`)."""
CLIENT_SECRET_ENV = "SMTP_CONTRACT_CLIENT_SECRET"
"""The environment variable holding the service account's secret."""
TOKEN_URL_ENV = "SMTP_CONTRACT_TOKEN_URL"
"""The environment variable naming the OAuth token endpoint (`--token-url`)."""
TOKEN_PATH = "/oauth/token"
"""Where the token endpoint is, on the target's host, unless `--token-url` says."""

DEFAULT_EMAIL_DOMAIN = "example.com"
"""Reserved for documentation (RFC 2606): mail there reaches nobody."""

LIVE_MAX_REQUESTS = 300
LIVE_RPS = 5.0
LIVE_CONCURRENCY = 8
IN_PROCESS_CONCURRENCY = 25
SHRINK_SHARE = 10
"""On a live target shrinking may spend a tenth of the budget by default."""
MOCK_OTHER_ORGANIZATION_ID = "980700674"


@dataclass(frozen=True, slots=True)
class ContractConfig:
    """What to test and how carefully.

    Build it with `make_config`, which checks every option. Without `url` (and
    without `app`) the suite tests the packaged mock in-process.

    Attributes:
        url: A live GraphQL endpoint, or None for an in-process target.
        token: Bearer token for the live endpoint; never printed.
        client_id: Service account whose tokens the run uses instead of
            `token` (OAuth2 client credentials, `contracts.client.oauth`).
        client_secret: The service account's secret; never printed.
        token_url: Where the service account gets its tokens.
        org: Organization the suite may create senders in.
        other_org: A second organization, for the cross-organization clause.
        email_domain: Domain of every generated address.
        max_requests: Hard limit on requests sent, or None for no limit.
        rps: Client-side rate limit in requests per second, or None.
        tier: The strictest tier whose failures fail the run.
        schema: SDL file for the in-process mock.
        app: `module:attribute` of an ASGI app (or factory) to test in-process.
        ledger: JSON-lines file recording every created object.
        report: Markdown report path.
        json_report: Path of the same verdicts as JSON, for programs.
        cleanup: Delete created objects at the end (on by default on a live
            target; `--keep` turns it off).
        allow_leftovers: Start even where the target cannot delete all the
            run creates (no page documents a sender delete).
        seed: Hypothesis seed, for reruns.
        concurrency: Simultaneous creates of one address per burst.
        shrink_budget: Requests one failing test may spend on shrinking, or
            None for no limit (in-process).
        timeout: Seconds to wait for one response.
        max_retries: Resends allowed for one throttled request.
        max_wait: Seconds one wait on a throttling target may last.
        retry_base: First backoff delay when no `Retry-After` is given.
        deadline: Seconds the whole run may last, waits included.
        strict_secrets: A password quoted by a request-level error (the
            warning `secrets.password-in-request-errors`) fails the run.
        run_id: Names this run's addresses; fresh for every run.
    """

    url: str | None = None
    token: str | None = field(default=None, repr=False)
    org: str = GUIDE_ORGANIZATION_ID
    other_org: str | None = None
    email_domain: str = DEFAULT_EMAIL_DOMAIN
    max_requests: int | None = None
    rps: float | None = None
    tier: Tier = Tier.INFERRED
    schema: Path | None = None
    app: str | None = None
    ledger: Path | None = None
    report: Path | None = None
    json_report: Path | None = None
    cleanup: bool = False
    allow_leftovers: bool = False
    seed: int | None = None
    concurrency: int = IN_PROCESS_CONCURRENCY
    shrink_budget: int | None = None
    timeout: float = 10.0
    max_retries: int = DEFAULT_MAX_RETRIES
    max_wait: float = DEFAULT_MAX_WAIT
    retry_base: float = DEFAULT_RETRY_BASE
    deadline: float = DEFAULT_DEADLINE
    strict_secrets: bool = False
    run_id: str = field(default_factory=lambda: secrets.token_hex(4))
    client_id: str | None = None
    client_secret: str | None = field(default=None, repr=False)
    token_url: str | None = None

    @property
    def is_live(self) -> bool:
        """Whether requests go over the network to `url`."""
        return self.url is not None

    @property
    def has_credentials(self) -> bool:
        """Whether requests carry a token (a given one, or a service account's)."""
        return bool(self.token or self.client_id)

    @property
    def retry_policy(self) -> RetryPolicy:
        """The caps every request of the run obeys."""
        return RetryPolicy(
            self.max_retries, self.max_wait, self.retry_base, self.deadline
        )

    def enforces(self, tier: Tier) -> bool:
        """Whether a failure of a clause of this tier fails the run."""
        if tier is Tier.PROBE:
            return False
        if tier is Tier.WARNING:
            return self.strict_secrets
        return tier is Tier.DOCUMENTED or self.tier is Tier.INFERRED

    def describe(self) -> str:
        """One line naming the target, safe to print (no token)."""
        if self.url is not None:
            token = "set" if self.token else "unset"
            if self.client_id is not None:
                token = f"from {self.token_url} (client {self.client_id})"
            return f"target={self.url}, org={self.org}, token={token}"
        if self.app is not None:
            return f"target=app {self.app}"
        return f"target=mock ({self.schema or 'packaged schema.graphql'})"


def make_config(
    *,
    url: str | None = None,
    token: str | None = None,
    org: str | None = None,
    other_org: str | None = None,
    email_domain: str | None = None,
    max_requests: int | None = None,
    rps: float | None = None,
    tier: str | Tier = Tier.INFERRED,
    schema: Path | str | None = None,
    app: str | None = None,
    ledger: Path | str | None = None,
    report: Path | str | None = None,
    json_report: Path | str | None = None,
    cleanup: bool | None = None,
    allow_leftovers: bool = False,
    seed: int | None = None,
    concurrency: int | None = None,
    shrink_budget: int | None = None,
    timeout: float = 10.0,
    max_retries: int | None = None,
    max_wait: float | None = None,
    retry_base: float | None = None,
    deadline: float | None = None,
    strict_secrets: bool = False,
    client_id: str | None = None,
    client_secret: str | None = None,
    token_url: str | None = None,
) -> ContractConfig:
    """Check the options of a run and return them frozen.

    Live targets get safe defaults: 300 requests at most, 5 per second, bursts
    of 8 simultaneous creates, and a tenth of the budget for shrinking one
    failure. A service account's token comes from `/oauth/token` on the
    target's host unless `token_url` says otherwise.

    Raises:
        ConfigError: with one sentence saying what to fix.
    """
    url = url or None
    if url is not None:
        _check_url(url)
        if app is not None:
            raise ConfigError("give either a URL or an app to test, not both")
        if not org:
            raise ConfigError(
                "a live target needs --org: the organization the suite may "
                "create senders in"
            )
    if org is not None and not org.strip():
        raise ConfigError("--org must not be blank")
    if other_org is not None and other_org == org:
        raise ConfigError("--other-org must differ from --org")
    if max_requests is not None and max_requests < 1:
        raise ConfigError(f"--max-requests must be at least 1, got {max_requests}")
    _check_limits(rps, concurrency, shrink_budget)
    policy = _retry_policy(max_retries, max_wait, retry_base, deadline)
    domain = email_domain or DEFAULT_EMAIL_DOMAIN
    if "." not in domain.strip(".") or "@" in domain or domain != domain.strip():
        raise ConfigError(f"--email-domain must be a domain name, got {domain!r}")
    schema_path = Path(schema) if schema is not None else None
    if schema_path is not None and not schema_path.is_file():
        raise ConfigError(f"schema file {str(schema_path)!r} does not exist")
    try:
        chosen_tier = Tier(tier)
    except ValueError:
        raise ConfigError(
            f"--tier must be 'documented' or 'inferred', got {tier!r}"
        ) from None
    if chosen_tier in (Tier.PROBE, Tier.WARNING):
        raise ConfigError(
            f"--tier must be 'documented' or 'inferred', got {chosen_tier.value!r}"
        )
    live = url is not None
    token_url = _token_url(url, token, client_id, client_secret, token_url)
    budget = max_requests or (LIVE_MAX_REQUESTS if live else None)
    if shrink_budget is None and live and budget is not None:
        shrink_budget = max(1, budget // SHRINK_SHARE)
    return ContractConfig(
        url=url,
        token=token or None,
        org=org or GUIDE_ORGANIZATION_ID,
        # In-process targets are private, so a second organization is free.
        other_org=other_org or (None if live else MOCK_OTHER_ORGANIZATION_ID),
        email_domain=domain,
        max_requests=budget,
        rps=rps or (LIVE_RPS if live else None),
        tier=chosen_tier,
        schema=schema_path,
        app=app,
        ledger=Path(ledger) if ledger is not None else None,
        report=Path(report) if report is not None else None,
        json_report=Path(json_report) if json_report is not None else None,
        # Live: clean up unless told to keep; in-process the mock goes anyway.
        cleanup=live if cleanup is None else cleanup,
        allow_leftovers=allow_leftovers,
        seed=seed,
        concurrency=concurrency
        or (LIVE_CONCURRENCY if live else IN_PROCESS_CONCURRENCY),
        shrink_budget=shrink_budget,
        timeout=timeout,
        max_retries=policy.max_retries,
        max_wait=policy.max_wait,
        retry_base=policy.base,
        deadline=policy.deadline,
        strict_secrets=strict_secrets,
        client_id=(client_id or None) if token_url else None,
        client_secret=(client_secret or None) if token_url else None,
        token_url=token_url,
    )


def _token_url(
    url: str | None,
    token: str | None,
    client_id: str | None,
    client_secret: str | None,
    token_url: str | None,
) -> str | None:
    """Where the service account gets its tokens, or None without one."""
    if not (client_id or client_secret or token_url):
        return None
    if not (client_id and client_secret):
        raise ConfigError(
            "--client-id and --client-secret go together (--token-url needs both)"
        )
    if url is None:
        raise ConfigError(
            "--client-id needs a live target (--url); the in-process mock "
            "makes up a token of its own"
        )
    if token:
        raise ConfigError(
            "give either --token or --client-id and --client-secret, not both"
        )
    if not token_url:
        parts = urlsplit(url)
        return f"{parts.scheme}://{parts.netloc}{TOKEN_PATH}"
    _check_url(
        token_url, option="--token-url", example="https://api.example.com/oauth/token"
    )
    return token_url


def _retry_policy(
    max_retries: int | None,
    max_wait: float | None,
    retry_base: float | None,
    deadline: float | None,
) -> RetryPolicy:
    policy = RetryPolicy(
        DEFAULT_MAX_RETRIES if max_retries is None else max_retries,
        DEFAULT_MAX_WAIT if max_wait is None else max_wait,
        DEFAULT_RETRY_BASE if retry_base is None else retry_base,
        DEFAULT_DEADLINE if deadline is None else deadline,
    )
    if policy.deadline <= 0:
        raise ConfigError(f"--deadline must be positive, got {policy.deadline:g}")
    if policy.max_retries < 0 or policy.max_wait < 0 or policy.base <= 0:
        raise ConfigError(
            "--max-retries and --max-wait must not be negative and --retry-base "
            f"must be positive, got {policy.max_retries}, {policy.max_wait:g} "
            f"and {policy.base:g}"
        )
    return policy


def _check_limits(
    rps: float | None, concurrency: int | None, shrink_budget: int | None
) -> None:
    if rps is not None and rps <= 0:
        raise ConfigError(f"--rps must be positive, got {rps}")
    if concurrency is not None and concurrency < 2:
        raise ConfigError(f"--concurrency must be at least 2, got {concurrency}")
    if shrink_budget is not None and shrink_budget < 0:
        raise ConfigError(f"--shrink-budget must not be negative, got {shrink_budget}")


def _check_url(
    url: str,
    *,
    option: str = "--url",
    example: str = "http://127.0.0.1:4000/graphql",
) -> None:
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise ConfigError(
            f"{option} must be an http(s) URL such as {example}, got {url!r}"
        )

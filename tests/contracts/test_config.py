from __future__ import annotations

from typing import Any

import pytest

from contracts.clauses import Tier
from contracts.config import (
    DEFAULT_EMAIL_DOMAIN,
    LIVE_MAX_REQUESTS,
    LIVE_RPS,
    MOCK_OTHER_ORGANIZATION_ID,
    make_config,
)
from contracts.documented import GUIDE_ORGANIZATION_ID
from contracts.errors import ConfigError


def test_in_process_defaults():
    config = make_config()

    assert not config.is_live
    assert config.org == GUIDE_ORGANIZATION_ID
    assert config.other_org == MOCK_OTHER_ORGANIZATION_ID
    assert config.max_requests is None
    assert config.rps is None
    assert config.email_domain == DEFAULT_EMAIL_DOMAIN
    assert config.concurrency == 25
    assert config.shrink_budget is None
    assert config.describe() == "target=mock (packaged schema.graphql)"


def test_live_targets_get_a_budget_a_rate_and_no_invented_organization():
    config = make_config(url="https://api.example.com/graphql", org="42", token="t")

    assert config.is_live
    assert config.max_requests == LIVE_MAX_REQUESTS
    assert config.rps == LIVE_RPS
    assert config.concurrency == 8
    assert config.shrink_budget == LIVE_MAX_REQUESTS // 10
    assert config.other_org is None
    assert config.describe() == (
        "target=https://api.example.com/graphql, org=42, token=set"
    )
    assert "t" not in config.describe().split("token=")[1].replace("set", "")


def test_every_run_gets_its_own_id():
    assert make_config().run_id != make_config().run_id


@pytest.mark.parametrize(
    ("options", "message"),
    [
        ({"url": "ftp://host/graphql"}, "must be an http\\(s\\) URL"),
        ({"url": "http:///graphql", "org": "1"}, "must be an http\\(s\\) URL"),
        ({"url": "http://h/graphql"}, "a live target needs --org"),
        ({"url": "http://h/graphql", "org": "1", "app": "m:a"}, "not both"),
        ({"org": " "}, "--org must not be blank"),
        ({"org": "1", "other_org": "1"}, "must differ"),
        ({"max_requests": 0}, "at least 1"),
        ({"rps": -1.0}, "must be positive"),
        ({"concurrency": 1}, "--concurrency must be at least 2"),
        ({"shrink_budget": -1}, "--shrink-budget must not be negative"),
        ({"email_domain": "nodot"}, "must be a domain"),
        ({"email_domain": "a@b.com"}, "must be a domain"),
        ({"schema": "/nonexistent.graphql"}, "does not exist"),
        ({"tier": "loose"}, "--tier must be"),
        ({"tier": "probe"}, "--tier must be"),
    ],
)
def test_invalid_options_say_what_to_fix(options, message):
    with pytest.raises(ConfigError, match=message) as caught:
        make_config(**options)

    assert isinstance(caught.value, ValueError)


def test_tier_decides_what_fails_the_run():
    strict = make_config()
    documented = make_config(tier="documented")

    assert strict.enforces(Tier.INFERRED)
    assert not documented.enforces(Tier.INFERRED)
    assert documented.enforces(Tier.DOCUMENTED)
    assert not strict.enforces(Tier.PROBE)


def test_app_target_is_described():
    assert make_config(app="pkg.mod:app").describe() == "target=app pkg.mod:app"


def test_the_shrink_budget_follows_the_request_budget_unless_given():
    url = "http://h/graphql"

    assert make_config(url=url, org="1", max_requests=1000).shrink_budget == 100
    assert make_config(url=url, org="1", max_requests=5).shrink_budget == 1
    assert make_config(url=url, org="1", shrink_budget=0).shrink_budget == 0
    assert make_config(shrink_budget=7, concurrency=3).shrink_budget == 7


LIVE: dict[str, Any] = {"url": "https://api.example.com/graphql", "org": "42"}


def test_a_service_account_gets_its_token_from_the_targets_host_by_default():
    config = make_config(**LIVE, client_id="ci", client_secret="s3cret-value")

    assert config.token_url == "https://api.example.com/oauth/token"
    assert config.has_credentials
    assert config.describe() == (
        "target=https://api.example.com/graphql, org=42, "
        "token=from https://api.example.com/oauth/token (client ci)"
    )
    assert "s3cret-value" not in repr(config)


def test_a_token_url_may_point_elsewhere():
    config = make_config(
        **LIVE,
        client_id="ci",
        client_secret="s",
        token_url="https://auth.example.com/oauth/token",
    )

    assert config.token_url == "https://auth.example.com/oauth/token"


def test_the_token_stays_out_of_the_configs_repr():
    assert "t0ken-value" not in repr(make_config(**LIVE, token="t0ken-value"))


@pytest.mark.parametrize(
    ("options", "message"),
    [
        ({**LIVE, "client_id": "ci"}, "--client-id and --client-secret go together"),
        ({**LIVE, "client_secret": "s"}, "go together"),
        ({**LIVE, "token_url": "https://a.example/oauth/token"}, "needs both"),
        ({"client_id": "ci", "client_secret": "s"}, "needs a live target"),
        ({**LIVE, "client_id": "ci", "client_secret": "s", "token": "t"}, "not both"),
        (
            {**LIVE, "client_id": "ci", "client_secret": "s", "token_url": "ftp://x/t"},
            "--token-url must be an http\\(s\\) URL",
        ),
    ],
)
def test_client_credentials_are_checked(options, message):
    with pytest.raises(ConfigError, match=message) as caught:
        make_config(**options)

    assert "'s'" not in str(caught.value)

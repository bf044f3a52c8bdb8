from __future__ import annotations

import pytest

from mock_server import ConfigurationError
from mock_server.web import service_accounts
from mock_server.web.service_accounts import ServiceAccounts, parse_clients

SECRET = "s3cret:with-colon"


class FakeClock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def clock():
    return FakeClock()


@pytest.fixture
def accounts(clock):
    return ServiceAccounts({"ci": SECRET}, lifetime=60, clock=clock)


def test_a_token_is_accepted_until_its_lifetime_has_passed(accounts, clock):
    issued = accounts.issue("ci", SECRET)

    assert issued is not None
    assert issued.expires_in == 60
    assert accounts.accepts(issued.value)
    clock.now += 59.9
    assert accounts.accepts(issued.value)
    clock.now += 0.1
    assert not accounts.accepts(issued.value)


@pytest.mark.parametrize(
    ("client_id", "secret"),
    [("ci", "wrong"), ("ci", ""), ("other", SECRET), ("", ""), ("ci", SECRET + "x")],
)
def test_a_wrong_secret_or_an_unknown_client_gets_nothing(accounts, client_id, secret):
    assert accounts.issue(client_id, secret) is None


def test_tokens_are_random_and_unknown_ones_are_refused(accounts):
    first = accounts.issue("ci", SECRET)
    second = accounts.issue("ci", SECRET)

    assert first is not None
    assert second is not None
    assert first.value != second.value
    assert len(first.value) >= 40
    assert not accounts.accepts(first.value + "x")
    assert not accounts.accepts("")


def test_reprs_hide_secrets_and_tokens(accounts):
    issued = accounts.issue("ci", SECRET)

    assert issued is not None
    assert SECRET not in repr(accounts)
    assert issued.value not in repr(issued)
    assert "ci" in repr(accounts)


def test_expired_tokens_are_forgotten_and_the_oldest_go_past_the_cap(
    monkeypatch, accounts, clock
):
    monkeypatch.setattr(service_accounts, "MAX_LIVE_TOKENS", 3)
    old = accounts.issue("ci", SECRET)
    clock.now += 61
    tokens = [accounts.issue("ci", SECRET) for _ in range(4)]

    assert old is not None
    assert all(token is not None for token in tokens)
    assert len(accounts._issued) == 3
    assert old.value not in accounts._issued
    assert [accounts.accepts(t.value) for t in tokens if t] == [
        False,
        True,
        True,
        True,
    ]


@pytest.mark.parametrize(
    ("clients", "lifetime"), [({"ci": " "}, 60), ({" ": "s"}, 60), ({"ci": "s"}, 0)]
)
def test_blank_clients_or_a_lifetime_under_a_second_are_refused(clients, lifetime):
    with pytest.raises(ConfigurationError):
        ServiceAccounts(clients, lifetime=lifetime)


def test_client_options_read_id_colon_secret():
    assert parse_clients(["ci:a:b", " web :c"]) == {"ci": "a:b", "web": "c"}


@pytest.mark.parametrize(
    ("values", "message"),
    [
        (["no-colon-s3cret"], "number 1 must be ID:SECRET"),
        (["ci:ok", ":s3cret"], "number 2 must be ID:SECRET"),
        (["ci:"], "number 1 must be ID:SECRET"),
        (["ci:s3cret", "ci:s3cret2"], "'ci' is given twice"),
    ],
)
def test_bad_client_options_are_refused_without_quoting_a_secret(values, message):
    with pytest.raises(ConfigurationError, match=message) as caught:
        parse_clients(values)

    assert "s3cret" not in str(caught.value)

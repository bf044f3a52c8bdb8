from __future__ import annotations

import uuid

import pytest

from mock_server import ConfigurationMissing, EmailTaken, Problem, ValidationFailed
from mock_server.domain.ids import IdFactory
from mock_server.domain.senders import (
    ConfigurationDraft,
    SenderDraft,
    build_sender,
    email_key,
    email_taken,
)


def draft(**configuration_changes):
    configuration = {
        "host": "smtp.example.com",
        "port": 587,
        "organization_id": "org-1",
        "username": "user",
        "password": "secret",
        **configuration_changes,
    }
    return SenderDraft(
        sender_name="Support",
        email_address="support@example.com",
        configuration=ConfigurationDraft(**configuration),
    )


def test_builds_sender_and_configuration_with_distinct_v4_ids():
    sender = build_sender(draft(), IdFactory())

    assert sender.id != sender.configuration.id
    assert uuid.UUID(sender.id).version == 4
    assert sender.configuration.port == 587
    assert sender.configuration.ip_relay_auth is False
    assert sender.configuration.password == "secret"


@pytest.mark.parametrize("relay", [False, None])
def test_relay_off_or_null_requires_both_credentials(relay):
    with pytest.raises(ValidationFailed) as caught:
        build_sender(
            draft(ip_relay_auth=relay, username=None, password=""), IdFactory()
        )

    assert [problem.field for problem in caught.value.problems] == [
        "smtpConfiguration.username",
        "smtpConfiguration.password",
    ]


def test_relay_drops_credentials():
    sender = build_sender(draft(ip_relay_auth=True), IdFactory())

    assert sender.configuration.ip_relay_auth is True
    assert sender.configuration.username is None
    assert sender.configuration.password is None


def test_missing_configuration_has_its_own_error():
    with pytest.raises(ConfigurationMissing) as caught:
        build_sender(
            SenderDraft(
                sender_name="a", email_address="a@b.example", configuration=None
            ),
            IdFactory(),
        )

    assert caught.value.code == "INVALID_INPUT"
    assert caught.value.problems[0].field == "smtpConfiguration"


def test_domain_error_str_and_repr_name_the_problems():
    error = ValidationFailed((Problem("a", "A is bad"), Problem("b", "B is bad")))

    assert str(error) == "A is bad; B is bad"
    assert repr(error).startswith("ValidationFailed(problems=(Problem(field='a'")
    assert error.code == "RECORD_INVALID"


def test_email_key_is_case_insensitive_and_per_organization():
    assert email_key("o", "A@B.example") == email_key("o", "a@b.EXAMPLE")
    assert email_key("o", "a@b.example") != email_key("p", "a@b.example")


def test_email_taken_names_the_field():
    error = email_taken("smtpCustomEmails[2].emailAddress")

    assert isinstance(error, EmailTaken)
    assert error.problems[0].field == "smtpCustomEmails[2].emailAddress"


@pytest.mark.parametrize(
    ("host", "refused"),
    [
        ("smtp example.com", True),
        ("smtp\texample.com", True),
        ("smtp\u2003example.com", True),  # an em space is whitespace too
        ("  smtp.example.com\n", False),  # only around the name: fine
        ("smtp.example.com", False),
    ],
)
def test_hosts_with_whitespace_inside_are_refused(host, refused):
    problems = []
    try:
        build_sender(draft(host=host), IdFactory())
    except ValidationFailed as exc:
        problems = [p for p in exc.problems if p.field == "smtpConfiguration.host"]

    assert bool(problems) is refused

"""Behaviour profiles: the mock's choices where the guide is silent, as data."""

from __future__ import annotations

import json
import uuid
from dataclasses import replace
from types import MappingProxyType
from typing import Any

import pytest
from click.testing import CliRunner

from mock_server import create_app
from mock_server.cli import main
from mock_server.domain.ids import IdFactory
from mock_server.domain.profile import (
    DEFAULT_PROFILE,
    BlankCredentials,
    Characters,
    EmailSyntax,
    ErrorRule,
    Failure,
    Grouping,
    IdCase,
    RelayCredentials,
    Uniqueness,
    Whitespace,
)
from mock_server.domain.profile_files import (
    ProfileError,
    dump_profile,
    load_profile,
    profile_document,
    profile_from_document,
)
from mock_server.domain.senders import (
    ConfigurationDraft,
    SenderDraft,
    build_sender,
)
from mock_server.errors import ConfigurationMissing, ValidationFailed
from tests.helpers import DROP, create, scenario_a, scenario_b

pytestmark = pytest.mark.anyio


def draft(**changes):
    configuration: dict[str, Any] = {
        "host": "smtp.example.com",
        "port": 587,
        "organization_id": "o",
        "ip_relay_auth": False,
        "username": "u",
        "password": "p",
    }
    sender: dict[str, Any] = {"sender_name": "Acme", "email_address": "a@acme.example"}
    for key, value in changes.items():
        (sender if key in sender else configuration)[key] = value
    return SenderDraft(configuration=ConfigurationDraft(**configuration), **sender)


def problems(profile, **changes):
    with pytest.raises(ValidationFailed) as caught:
        build_sender(draft(**changes), IdFactory(), profile)
    return [(p.field, p.message, p.code) for p in caught.value.problems]


def with_field(name, **rule):
    fields = dict(DEFAULT_PROFILE.fields)
    fields[name] = replace(DEFAULT_PROFILE.rule(name), **rule)
    return replace(DEFAULT_PROFILE, fields=MappingProxyType(fields))


# --- files -------------------------------------------------------------------


@pytest.mark.parametrize("suffix", [".toml", ".json"])
def test_the_default_profile_written_and_read_back_is_the_default(tmp_path, suffix):
    path = tmp_path / f"profile{suffix}"
    dump_profile(DEFAULT_PROFILE, path)
    assert load_profile(path) == DEFAULT_PROFILE


def test_a_calibrated_profile_round_trips_with_its_evidence(tmp_path):
    profile = replace(
        DEFAULT_PROFILE,
        uniqueness=Uniqueness.CASE_SENSITIVE,
        email_syntax=EmailSyntax.OBSERVED,
        email_verdicts=MappingProxyType({"a..b@x.example": True}),
        fields=with_field("host", max_length=None, whitespace=Whitespace.TRIM).fields,
        overrides=MappingProxyType({"blank.senderName": "Name is required"}),
        grouping=Grouping.COMBINED,
        blank_credentials=BlankCredentials.ACCEPT,
        id_version=7,
        id_case=IdCase.UPPER,
        evidence=MappingProxyType(
            {"email.uniqueness": MappingProxyType({"request": "curl", "observed": "x"})}
        ),
        not_calibrated=MappingProxyType({"port": "budget spent"}),
    )
    path = tmp_path / "calibrated.toml"
    dump_profile(profile, path)
    assert load_profile(path) == profile


def test_the_limits_default_to_the_documented_values_and_round_trip(tmp_path):
    assert (DEFAULT_PROFILE.max_complexity, DEFAULT_PROFILE.max_depth) == (50_000, 15)
    profile = replace(DEFAULT_PROFILE, max_complexity=10, max_depth=3)
    path = tmp_path / "limits.toml"
    dump_profile(profile, path)

    assert "[limits]\nmax_complexity = 10\nmax_depth = 3\n" in path.read_text()
    assert load_profile(path) == profile
    assert profile_from_document(profile_document(profile)) == profile


def test_an_empty_file_is_the_default_profile(tmp_path):
    path = tmp_path / "empty.toml"
    path.write_text("")
    assert load_profile(path) == DEFAULT_PROFILE


@pytest.mark.parametrize(
    ("document", "named"),
    [
        ({"version": 2}, "version"),
        ({"colour": "blue"}, "colour: unknown key"),
        ({"email": {"uniqueness": "sometimes"}}, "email.uniqueness"),
        ({"email": {"syntax": "loose"}}, "email.syntax"),
        ({"email": {"verdicts": {"a@b": "yes"}}}, "email.verdicts.a@b"),
        ({"email": {"extra": 1}}, "email.extra: unknown key"),
        ({"fields": {"nickname": {}}}, "fields.nickname"),
        ({"fields": {"host": {"max_length": -3}}}, "fields.host.max_length"),
        ({"fields": {"host": {"max_length": "lots"}}}, "fields.host.max_length"),
        ({"fields": {"host": {"whitespace": "squash"}}}, "fields.host.whitespace"),
        ({"fields": {"host": {"non_ascii": "maybe"}}}, "fields.host.non_ascii"),
        ({"fields": {"host": {"inner_spaces": "no"}}}, "fields.host.inner_spaces"),
        ({"fields": {"host": {"colour": 1}}}, "fields.host.colour: unknown key"),
        ({"port": {"min": "one"}}, "port.min"),
        ({"port": {"min": 10, "max": 5}}, "port"),
        ({"port": {"mx": 5}}, "port.mx: unknown key"),
        ({"relay": {"credentials": "store"}}, "relay.credentials"),
        ({"credentials": {"blank": "maybe"}}, "credentials.blank"),
        ({"credentials": {"blank": True}}, "credentials.blank"),
        ({"credentials": {"empty": "accept"}}, "credentials.empty: unknown key"),
        ({"errors": {"grouping": "some"}}, "errors.grouping"),
        ({"errors": {"blank": {"code": 7}}}, "errors.blank.code"),
        ({"errors": {"blank": {"message": "{name} missing"}}}, "errors.blank.message"),
        ({"errors": {"blank": {"tone": "kind"}}}, "errors.blank.tone: unknown key"),
        ({"errors": {"typo_class": {}}}, "errors.typo_class: unknown key"),
        ({"errors": {"overrides": {"nonsense": "x"}}}, "errors.overrides.nonsense"),
        ({"ids": {"version": 5}}, "ids.version"),
        ({"ids": {"case": "title"}}, "ids.case"),
        ({"limits": {"max_complexity": 0}}, "limits.max_complexity: expected a pos"),
        ({"limits": {"max_depth": -1}}, "limits.max_depth: expected a positive"),
        ({"limits": {"max_depth": "15"}}, "limits.max_depth: expected int"),
        ({"limits": {"max_complexity": True}}, "limits.max_complexity"),
        ({"limits": {"max_complexity": 5e4}}, "limits.max_complexity"),
        ({"limits": {"seconds": 33}}, "limits.seconds: unknown key"),
        ({"evidence": {"x": {"request": 1}}}, "evidence.x.request"),
        ({"not_calibrated": {"x": 1}}, "not_calibrated.x"),
        ({"email": 3}, "email: expected a table"),
    ],
)
def test_every_bad_key_is_refused_with_its_name(document, named):
    with pytest.raises(ProfileError, match=named.replace(".", r"\.")):
        profile_from_document(document)


def test_an_unreadable_file_names_the_file(tmp_path):
    path = tmp_path / "broken.toml"
    path.write_text("email = [unclosed")
    with pytest.raises(ProfileError, match=r"broken\.toml"):
        load_profile(path)


# --- rules under a profile -----------------------------------------------------


def test_default_problems_read_as_always():
    assert problems(DEFAULT_PROFILE, sender_name=" ", port=0) == [
        ("senderName", "Sender name can't be blank", "RECORD_INVALID"),
        (
            "smtpConfiguration.port",
            "Port must be between 1 and 65535",
            "RECORD_INVALID",
        ),
    ]


def test_whitespace_trimmed_is_stored_trimmed():
    profile = with_field("senderName", whitespace=Whitespace.TRIM)
    sender = build_sender(draft(sender_name="  Acme  "), IdFactory(), profile)
    assert sender.sender_name == "Acme"


def test_whitespace_rejected_is_a_problem():
    profile = with_field("host", whitespace=Whitespace.REJECT)
    assert problems(profile, host=" smtp.example.com") == [
        (
            "smtpConfiguration.host",
            "Host must not start or end with spaces",
            "RECORD_INVALID",
        )
    ]


def test_an_email_trimmed_is_valid_and_unique_without_its_spaces():
    profile = with_field("emailAddress", whitespace=Whitespace.TRIM)
    sender = build_sender(draft(email_address=" A@acme.example "), IdFactory(), profile)
    assert sender.email_address == "A@acme.example"
    assert sender.uniqueness_key == ("o", "a@acme.example")


def test_case_sensitive_uniqueness_keys_keep_the_case():
    profile = replace(DEFAULT_PROFILE, uniqueness=Uniqueness.CASE_SENSITIVE)
    sender = build_sender(draft(email_address="A@acme.example"), IdFactory(), profile)
    assert sender.uniqueness_key == ("o", "A@acme.example")


@pytest.mark.parametrize(
    ("syntax", "address", "valid"),
    [
        (EmailSyntax.STRICT, "a..b@acme.example", False),
        (EmailSyntax.LENIENT, "a..b@acme.example", True),
        (EmailSyntax.LENIENT, "no-at-sign", False),
        (EmailSyntax.LENIENT, "@acme.example", False),
        (EmailSyntax.OBSERVED, "a..b@acme.example", True),  # from the verdicts
        (EmailSyntax.OBSERVED, "plain@acme.example", True),  # strict for the rest
        (EmailSyntax.OBSERVED, "x@@y", False),
    ],
)
def test_email_syntax_follows_the_profile(syntax, address, valid):
    profile = replace(
        DEFAULT_PROFILE,
        email_syntax=syntax,
        email_verdicts=MappingProxyType({"a..b@acme.example": True}),
    )
    if valid:
        build_sender(draft(email_address=address), IdFactory(), profile)
    else:
        assert problems(profile, email_address=address)[0][0] == "emailAddress"


def test_port_range_and_its_message_follow_the_profile():
    profile = replace(DEFAULT_PROFILE, port_min=25, port_max=2525)
    assert problems(profile, port=3000)[0][1] == "Port must be between 25 and 2525"
    build_sender(draft(port=2525), IdFactory(), profile)


def test_no_length_limit_and_other_limits():
    unlimited = with_field("senderName", max_length=None)
    build_sender(draft(sender_name="n" * 5000), IdFactory(), unlimited)
    short = with_field("senderName", max_length=10)
    assert problems(short, sender_name="n" * 11)[0][1] == (
        "Sender name is too long (maximum is 10 characters)"
    )


def test_non_ascii_rejected():
    profile = with_field("senderName", non_ascii=Characters.REJECT)
    assert problems(profile, sender_name="Acmé")[0][1] == (
        "Sender name must contain only ASCII characters"
    )


@pytest.mark.parametrize(
    ("choice", "stored"),
    [(RelayCredentials.DROP, None), (RelayCredentials.KEEP, "u")],
)
def test_relay_credentials_dropped_or_kept(choice, stored):
    profile = replace(DEFAULT_PROFILE, relay_credentials=choice)
    sender = build_sender(draft(ip_relay_auth=True), IdFactory(), profile)
    assert sender.configuration.username == stored


def test_relay_credentials_rejected():
    profile = replace(DEFAULT_PROFILE, relay_credentials=RelayCredentials.REJECT)
    fields = [p[0] for p in problems(profile, ip_relay_auth=True)]
    assert fields == ["smtpConfiguration.username", "smtpConfiguration.password"]
    build_sender(
        draft(ip_relay_auth=True, username=None, password=None), IdFactory(), profile
    )


def test_the_documented_rules_hold_under_every_profile():
    lax = replace(
        DEFAULT_PROFILE,
        relay_credentials=RelayCredentials.KEEP,
        email_syntax=EmailSyntax.LENIENT,
        blank_credentials=BlankCredentials.ACCEPT,
        fields=with_field("password", whitespace=Whitespace.TRIM).fields,
    )
    # Credentials stay required without relay (null or empty, whatever the
    # profile says of a value of spaces); explicit null relay is false.
    for relay in (False, None):
        for missing in (None, ""):
            fields = [
                p[0] for p in problems(lax, ip_relay_auth=relay, password=missing)
            ]
            assert fields == ["smtpConfiguration.password"]


@pytest.mark.parametrize("credential", ["username", "password"])
def test_a_credential_of_spaces_is_missing_by_default(credential):
    assert problems(DEFAULT_PROFILE, **{credential: "   "}) == [
        (
            f"smtpConfiguration.{credential}",
            f"{credential.capitalize()} can't be blank unless IP relay "
            "authentication is on",
            "RECORD_INVALID",
        )
    ]


@pytest.mark.parametrize("credential", ["username", "password"])
def test_a_credential_of_spaces_is_a_value_when_the_profile_accepts_it(credential):
    profile = replace(DEFAULT_PROFILE, blank_credentials=BlankCredentials.ACCEPT)

    sender = build_sender(draft(**{credential: "   "}), IdFactory(), profile)

    assert getattr(sender.configuration, credential) == "   "
    # Then it is a value like any other: the field's own rule applies.
    picky = replace(
        profile, fields=with_field(credential, whitespace=Whitespace.REJECT).fields
    )
    assert [p[1] for p in problems(picky, **{credential: "   "})] == [
        f"{credential.capitalize()} must not start or end with spaces"
    ]
    # And with relay on it counts as sent.
    refusing = replace(profile, relay_credentials=RelayCredentials.REJECT)
    relayed = {"username": None, "password": None, credential: "  "}
    assert [p[0] for p in problems(refusing, ip_relay_auth=True, **relayed)] == [
        f"smtpConfiguration.{credential}"
    ]


def test_combined_errors_are_one_entry():
    profile = replace(
        DEFAULT_PROFILE, grouping=Grouping.COMBINED, combined_separator=" | "
    )
    assert problems(profile, sender_name="", host="") == [
        (
            "senderName",
            "Sender name can't be blank | Host can't be blank",
            "RECORD_INVALID",
        )
    ]


def test_codes_messages_and_overrides_follow_the_profile():
    errors = dict(DEFAULT_PROFILE.errors)
    errors[Failure.BLANK] = ErrorRule("VALIDATION", "{label} is required")
    errors[Failure.MISSING_CONFIGURATION] = ErrorRule("BAD_INPUT", "No SMTP settings")
    profile = replace(
        DEFAULT_PROFILE,
        errors=MappingProxyType(errors),
        overrides=MappingProxyType({"blank.host": "Give a server name"}),
    )
    assert problems(profile, sender_name="", host="") == [
        ("senderName", "Sender name is required", "VALIDATION"),
        ("smtpConfiguration.host", "Give a server name", "VALIDATION"),
    ]
    with pytest.raises(ConfigurationMissing) as caught:
        build_sender(SenderDraft("Acme", "a@acme.example", None), IdFactory(), profile)
    [problem] = caught.value.problems
    assert (problem.message, problem.code) == ("No SMTP settings", "BAD_INPUT")


# --- served -------------------------------------------------------------------


@pytest.fixture
def calibrated():
    errors = dict(DEFAULT_PROFILE.errors)
    errors[Failure.DUPLICATE] = ErrorRule("TAKEN", "Already used")
    return replace(
        DEFAULT_PROFILE,
        uniqueness=Uniqueness.CASE_SENSITIVE,
        errors=MappingProxyType(errors),
        id_version=7,
        id_case=IdCase.UPPER,
        fields=with_field("senderName", max_length=20).fields,
    )


async def test_a_served_profile_shapes_answers(client_for, calibrated):
    async with client_for(create_app(profile=calibrated, seed=3)) as client:
        first = await create(client, scenario_a(emailAddress="Same@acme.example"))
        other_case = await create(client, scenario_a(emailAddress="same@acme.example"))
        duplicate = await create(client, scenario_a(emailAddress="same@acme.example"))
        shown = await client.get("/__mock/profile")

    sender = first.json()["data"]["createSmtpCustomEmailWithConfiguration"][
        "smtpCustomEmail"
    ]
    assert uuid.UUID(sender["id"]).version == 7
    assert sender["id"] == sender["id"].upper()
    assert sender["smtpConfiguration"]["port"] == "587"  # documented: unchanged
    assert "errors" not in other_case.json()
    [error] = duplicate.json()["errors"]
    assert (error["message"], error["extensions"]["code"]) == ("Already used", "TAKEN")
    assert shown.json() == profile_document(calibrated)


@pytest.mark.parametrize(
    ("choice", "accepted"),
    [(BlankCredentials.MISSING, False), (BlankCredentials.ACCEPT, True)],
)
async def test_a_served_mock_follows_the_blank_credentials_choice(
    client_for, choice, accepted
):
    profile = replace(DEFAULT_PROFILE, blank_credentials=choice)
    async with client_for(create_app(profile=profile)) as client:
        spaces = await create(client, scenario_a(password="   "))
        empty = await create(client, scenario_a(password="", emailAddress="e@x.io"))

    assert ("errors" not in spaces.json()) is accepted
    assert [e["extensions"]["field"] for e in empty.json()["errors"]] == [
        "smtpConfiguration.password"
    ]


async def test_the_default_profile_is_shown(client):
    shown = await client.get("/__mock/profile")
    assert shown.status_code == 200
    assert profile_from_document(shown.json()) == DEFAULT_PROFILE


async def test_relay_default_is_false_under_a_profile(client_for, calibrated):
    async with client_for(create_app(profile=calibrated)) as client:
        response = await create(
            client, scenario_b(ipRelayAuth=DROP, emailAddress="r@acme.example")
        )
    fields = {e["extensions"]["field"] for e in response.json()["errors"]}
    assert fields == {"smtpConfiguration.username", "smtpConfiguration.password"}


def test_serve_refuses_a_bad_profile_with_exit_2_naming_the_key(tmp_path):
    path = tmp_path / "bad.toml"
    path.write_text('[fields.host]\nmax_length = "lots"\n')
    result = CliRunner().invoke(main, ["serve", "--profile", str(path)])
    assert result.exit_code == 2
    assert "fields.host.max_length" in result.output


def test_serve_passes_the_profile_to_worker_processes(tmp_path, monkeypatch):
    from mock_server.cli import ServeSettings

    path = tmp_path / "p.json"
    path.write_text(json.dumps({"port": {"min": 25, "max": 25}}))
    settings = ServeSettings(
        schema=None, token=None, seed=None, cors_origins=("*",), admin=True,
        store="memory://", session_header="X-Mock-Session", log_level="info",
        profile=path,
    )  # fmt: skip
    for key, value in settings.to_environment().items():
        monkeypatch.setenv(key, value)
    assert ServeSettings.from_environment().profile == path

"""The profile choices of #30: address classes, normalization, error shapes, 401.

And the promise that profile files written before them still load.
"""

from __future__ import annotations

from dataclasses import replace
from types import MappingProxyType

import pytest

from mock_server import create_app
from mock_server.domain.email_rules import EmailClass
from mock_server.domain.ids import IdFactory
from mock_server.domain.profile import (
    DEFAULT_PROFILE,
    AuthBody,
    Case,
    EmailBlank,
    EmailSyntax,
    ErrorRule,
    Failure,
    FieldKey,
    FieldNames,
    Grouping,
    UnicodeForm,
    Uniqueness,
    Verdict,
)
from mock_server.domain.profile_files import (
    ProfileError,
    describe_profile,
    dump_profile,
    load_profile,
    profile_from_document,
)
from mock_server.domain.senders import build_sender, email_is_valid, email_key
from mock_server.errors import ValidationFailed
from tests.helpers import create, scenario_a, scenario_b
from tests.mock_server.test_profile import draft, with_field

pytestmark = pytest.mark.anyio

# What `dump_profile` wrote before #30 (abridged to the keys that changed).
OLD_FILE = """version = 1

[email]
uniqueness = "case-sensitive"
syntax = "observed"

[email.verdicts]
"*-two@@example.com" = true

[fields.senderName]
whitespace = "trim"
max_length = 40
non_ascii = "accept"
inner_spaces = false

[errors]
grouping = "combined"
separator = " | "
blank = { code = "REQUIRED", message = "{label} is required" }
"""


def test_a_profile_written_before_these_choices_still_loads(tmp_path):
    path = tmp_path / "old.toml"
    path.write_text(OLD_FILE)

    profile = load_profile(path)

    assert profile.uniqueness is Uniqueness.NONE
    assert Uniqueness("none") is Uniqueness.CASE_SENSITIVE  # the older name
    assert profile.email_syntax is EmailSyntax.OBSERVED
    assert email_is_valid("smtp-contract+x-1-two@@example.com", profile)
    assert not email_is_valid("a..b@acme.example", profile)  # strict for the rest
    assert profile.rule("senderName").max_length == 40
    assert (profile.field_key, profile.auth_body) == (FieldKey.FIELD, AuthBody.MOCK)
    assert profile_from_document({"email": {"uniqueness": "case-insensitive"}}) == (
        DEFAULT_PROFILE
    )


def test_the_new_choices_round_trip(tmp_path):
    errors = dict(DEFAULT_PROFILE.errors)
    errors[Failure.UNAUTHENTICATED] = ErrorRule("UNAUTHENTICATED", "Log in")
    profile = replace(
        DEFAULT_PROFILE,
        uniqueness=Uniqueness.LOWER,
        uniqueness_unicode=UnicodeForm.NFKC,
        email_syntax=EmailSyntax.HTML5,
        email_classes=MappingProxyType({EmailClass.TLD_DIGIT: Verdict.REFUSE}),
        email_blank=EmailBlank.BLANK,
        fields=with_field("host", case=Case.LOWER, unicode=UnicodeForm.NFC).fields,
        field_key=FieldKey.FIELDS,
        field_names=FieldNames.LEAF,
        auth_body=AuthBody.GRAPHQL,
        errors=MappingProxyType(errors),
        held_out=MappingProxyType({"agreement": "held-out agreement: 9 of 10"}),
    )
    for suffix in (".toml", ".json"):
        path = tmp_path / f"p{suffix}"
        dump_profile(profile, path)
        assert load_profile(path) == profile


@pytest.mark.parametrize(
    ("document", "named"),
    [
        ({"email": {"classes": {"dots": "accept"}}}, "email.classes.dots"),
        ({"email": {"classes": {"tld_digit": "maybe"}}}, "email.classes.tld_digit"),
        ({"email": {"unicode": "nfd"}}, "email.unicode"),
        ({"email": {"blank": "empty"}}, "email.blank"),
        ({"fields": {"host": {"case": "upper"}}}, "fields.host.case"),
        ({"fields": {"host": {"unicode": "nfkd"}}}, "fields.host.unicode"),
        ({"errors": {"field_key": "list"}}, "errors.field_key"),
        ({"errors": {"field_names": "short"}}, "errors.field_names"),
        ({"errors": {"too_long": {"message": "{name} long"}}}, "errors.too_long"),
        ({"auth": {"body": "xml"}}, "auth.body"),
        ({"auth": {"status": 403}}, "auth.status: unknown key"),
        ({"held_out": {"agreement": 97}}, "held_out.agreement"),
    ],
)
def test_a_bad_new_key_is_refused_with_its_name(document, named):
    with pytest.raises(ProfileError, match=named.replace(".", r"\.")):
        profile_from_document(document)


@pytest.mark.parametrize(
    ("uniqueness", "form", "first", "second", "same"),
    [
        (Uniqueness.NONE, UnicodeForm.NONE, "Acme@x.io", "acme@x.io", False),
        (Uniqueness.LOWER, UnicodeForm.NONE, "Acme@x.io", "acme@x.io", True),
        (Uniqueness.LOWER, UnicodeForm.NONE, "straße@x.io", "STRASSE@x.io", False),
        (Uniqueness.CASEFOLD, UnicodeForm.NONE, "straße@x.io", "STRASSE@x.io", True),
        (Uniqueness.NONE, UnicodeForm.NONE, "é@x.io", "e\u0301@x.io", False),
        (Uniqueness.NONE, UnicodeForm.NFC, "é@x.io", "e\u0301@x.io", True),
        (Uniqueness.NONE, UnicodeForm.NFC, "x²@x.io", "x2@x.io", False),
        (Uniqueness.NONE, UnicodeForm.NFKC, "x²@x.io", "x2@x.io", True),
    ],
)
def test_uniqueness_folds_and_normalizes_as_the_profile_says(
    uniqueness, form, first, second, same
):
    profile = replace(DEFAULT_PROFILE, uniqueness=uniqueness, uniqueness_unicode=form)
    keys = {email_key("o", address, profile) for address in (first, second)}
    assert (len(keys) == 1) is same


def test_values_are_stored_lower_cased_and_normalized_as_the_profile_says():
    fields = with_field("emailAddress", case=Case.LOWER).fields
    fields = {
        **fields,
        "senderName": replace(fields["senderName"], unicode=UnicodeForm.NFC),
    }
    profile = replace(DEFAULT_PROFILE, fields=MappingProxyType(fields))

    sender = build_sender(
        draft(email_address="Ann@ACME.example", sender_name="E\u0301quipe"),
        IdFactory(),
        profile,
    )

    assert (sender.email_address, sender.sender_name) == ("ann@acme.example", "Équipe")


@pytest.mark.parametrize(
    ("blank", "message"),
    [
        (EmailBlank.INVALID, "Email address is not a valid email address"),
        (EmailBlank.BLANK, "Email address can't be blank"),
    ],
)
def test_a_blank_address_is_invalid_or_blank_as_the_profile_says(blank, message):
    profile = replace(DEFAULT_PROFILE, email_blank=blank)
    for address in ("", "   "):
        with pytest.raises(ValidationFailed) as caught:
            build_sender(draft(email_address=address), IdFactory(), profile)
        assert [p.message for p in caught.value.problems] == [message]


def test_templates_name_the_field_by_its_name_or_its_path():
    errors = dict(DEFAULT_PROFILE.errors)
    errors[Failure.TOO_LONG] = ErrorRule("LONG", "{field} ({path}) over {max}")
    profile = replace(DEFAULT_PROFILE, errors=MappingProxyType(errors))

    assert profile.message(Failure.TOO_LONG, "smtpConfiguration.password", max=9) == (
        "password (smtpConfiguration.password) over 9"
    )


async def _errors(client_for, profile, variables):
    async with client_for(create_app(profile=profile)) as client:
        response = await create(client, variables)
    return response.json()["errors"]


async def test_errors_name_their_fields_in_a_list_by_their_own_names(client_for):
    profile = replace(
        DEFAULT_PROFILE,
        field_key=FieldKey.FIELDS,
        field_names=FieldNames.LEAF,
        grouping=Grouping.COMBINED,
    )

    errors = await _errors(client_for, profile, scenario_a(senderName="", host=""))

    [entry] = errors
    assert entry["extensions"]["fields"] == ["senderName", "host"]
    assert "field" not in entry["extensions"]


async def test_errors_may_name_no_field(client_for):
    profile = replace(DEFAULT_PROFILE, field_key=FieldKey.NONE)

    errors = await _errors(client_for, profile, scenario_b(host=""))

    assert set(errors[0]["extensions"]) == {"code", "correlation_id"}


@pytest.mark.parametrize("body", [AuthBody.MOCK, AuthBody.GRAPHQL])
async def test_the_401_body_is_the_profiles(client_for, body):
    profile = replace(DEFAULT_PROFILE, auth_body=body)
    async with client_for(create_app(profile=profile, token="t")) as client:
        refused = await client.post("/graphql", json={"query": "{ __typename }"})

    assert refused.status_code == 401
    entry = refused.json()["errors"][0]
    if body is AuthBody.MOCK:
        assert set(entry) == {"title", "detail"}
    else:
        assert entry["extensions"] == {"code": "UNAUTHENTICATED"}
        assert entry["message"].startswith("A valid token is required")


def test_describe_profile_names_the_file_and_what_it_holds(tmp_path):
    path = tmp_path / "p.toml"
    profile = replace(
        DEFAULT_PROFILE,
        evidence=MappingProxyType(
            {"a": MappingProxyType({}), "b": MappingProxyType({})}
        ),
        not_calibrated=MappingProxyType({"c": "budget spent"}),
    )
    assert describe_profile(profile, path) == (
        f"behaviour profile {path} (2 calibrated choices, 1 left at the mock's default)"
    )

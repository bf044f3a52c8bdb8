"""Profile choices that calibration needs: any address, per-run verdicts, Int ports."""

from __future__ import annotations

from dataclasses import replace
from types import MappingProxyType

import pytest

from mock_server.domain.ids import IdFactory
from mock_server.domain.profile import DEFAULT_PROFILE, EmailSyntax
from mock_server.domain.profile_files import ProfileError, profile_from_document
from mock_server.domain.senders import (
    ConfigurationDraft,
    SenderDraft,
    build_sender,
    email_is_valid,
)
from mock_server.errors import ValidationFailed


def syntax(kind: EmailSyntax, **verdicts: bool):
    return replace(
        DEFAULT_PROFILE, email_syntax=kind, email_verdicts=MappingProxyType(verdicts)
    )


@pytest.mark.parametrize(
    ("address", "valid"),
    [("no-at-sign", True), ("two@@x", True), ("  spaced  ", True), ("   ", False)],
)
def test_any_syntax_accepts_every_address_that_is_not_blank(address, valid):
    assert email_is_valid(address, syntax(EmailSyntax.ANY)) is valid


def test_a_starred_verdict_matches_every_address_ending_with_the_rest():
    profile = syntax(EmailSyntax.OBSERVED, **{"*-no-at-sign": True, "*-a@b": False})

    assert email_is_valid("smtp-contract+run1-7-no-at-sign", profile)
    assert not email_is_valid("smtp-contract+run2-3-a@b", profile)
    # Neither an exact nor a starred verdict: the strict rules decide.
    assert email_is_valid("x@acme.example", profile)
    assert not email_is_valid("plain-no-at", profile)


def test_an_exact_verdict_wins_over_a_starred_one():
    profile = syntax(EmailSyntax.OBSERVED, **{"*@b": True, "x@b": False})

    assert not email_is_valid("x@b", profile)
    assert email_is_valid("y@b", profile)


def _sender(port: int, profile):
    configuration = ConfigurationDraft("smtp.example.com", port, "o", True)
    draft = SenderDraft("Acme", "a@acme.example", configuration)
    return build_sender(draft, IdFactory(), profile)


def test_a_port_range_may_span_graphqls_whole_int():
    profile = profile_from_document({"port": {"min": -(2**31), "max": 2**31 - 1}})

    assert _sender(-1, profile).configuration.port == -1
    assert _sender(2**31 - 1, profile).configuration.port == 2**31 - 1
    with pytest.raises(ValidationFailed):
        _sender(0, DEFAULT_PROFILE)


@pytest.mark.parametrize(
    "port", [{"min": -(2**31) - 1}, {"max": 2**31}, {"min": 10, "max": 9}]
)
def test_a_port_range_outside_graphqls_int_is_refused(port):
    with pytest.raises(ProfileError, match="port: expected -2147483648 <= min"):
        profile_from_document({"port": port})

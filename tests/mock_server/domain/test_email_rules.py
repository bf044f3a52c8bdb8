"""Address syntax as a family of rules and the classes a target departs on."""

from __future__ import annotations

import pytest

from mock_server.domain.email_rules import (
    EmailClass,
    address_is_valid,
    classes_of,
    family_accepts,
    neutralized,
    split,
)
from mock_server.domain.profile import EmailSyntax, Verdict

C = EmailClass


@pytest.mark.parametrize(
    ("address", "found"),
    [
        ("plain@acme.example", []),
        ("Plain.Name+tag@Sub.Acme.example", []),
        ("no-at-sign", [C.NO_AT]),
        ("a@b@acme.example", [C.SEVERAL_AT]),
        ("@acme.example", [C.EMPTY_LOCAL]),
        ("a@", [C.EMPTY_DOMAIN]),
        ("a b@acme.example", [C.SPACES]),
        ("a..b@acme.example", [C.LOCAL_CONSECUTIVE_DOTS]),
        (".a@acme.example", [C.LOCAL_EDGE_DOT]),
        ("a.@acme.example", [C.LOCAL_EDGE_DOT]),
        ("a!b@acme.example", [C.LOCAL_SPECIALS]),
        ('"a.b"@acme.example', [C.QUOTED_LOCAL]),
        ('"a@b"@acme.example', [C.QUOTED_LOCAL]),
        ("ü@acme.example", [C.LOCAL_NON_ASCII]),
        ("x" * 65 + "@acme.example", [C.LOCAL_TOO_LONG]),
        ("a@localhost", [C.DOMAIN_NO_DOT]),
        ("a@acme..example", [C.DOMAIN_EMPTY_LABEL]),
        ("a@.acme.example", [C.DOMAIN_EMPTY_LABEL]),
        ("a@acme.example.", [C.DOMAIN_TRAILING_DOT]),
        ("a@-acme.example", [C.DOMAIN_HYPHEN_EDGE]),
        ("a@acme-.example", [C.DOMAIN_HYPHEN_EDGE]),
        ("a@ac_me.example", [C.DOMAIN_UNDERSCORE]),
        ("a@[192.0.2.1]", [C.DOMAIN_LITERAL]),
        ("a@bücher.example", [C.DOMAIN_NON_ASCII]),
        ("a@" + "l" * 64 + ".example", [C.DOMAIN_LABEL_TOO_LONG]),
        ("a@acme.123", [C.TLD_DIGIT]),
        ("a@acme.c0m", [C.TLD_DIGIT]),
        ("a@acme.x", [C.TLD_SHORT]),
        (".a..b c@-x_y.1", [C.SPACES, C.LOCAL_CONSECUTIVE_DOTS, C.LOCAL_EDGE_DOT,
                            C.DOMAIN_HYPHEN_EDGE, C.DOMAIN_UNDERSCORE, C.TLD_DIGIT,
                            C.TLD_SHORT]),
    ],
)  # fmt: skip
def test_an_address_shows_the_classes_of_its_features(address, found):
    assert classes_of(address) == found


def test_a_quoted_local_part_may_hold_an_at_sign():
    assert split('"a@b"@acme.example') == ('"a@b"', "acme.example")
    assert split("a@b@c") is None


@pytest.mark.parametrize(
    ("address", "family", "valid"),
    [
        ("a..b@acme.example", EmailSyntax.STRICT, False),
        ("a..b@acme.example", EmailSyntax.HTML5, True),
        ("a@localhost", EmailSyntax.HTML5, True),
        ("a@bücher.example", EmailSyntax.HTML5, False),
        ("a@bücher.example", EmailSyntax.STRICT, True),
        ("a b@x", EmailSyntax.LENIENT, True),
        ("a@b@c", EmailSyntax.LENIENT, False),
        ("no-at-sign", EmailSyntax.ANY, True),
        ("  ", EmailSyntax.ANY, False),
    ],
)
def test_each_family_is_its_own_rule(address, family, valid):
    assert family_accepts(address, family) is valid


def test_without_departures_the_family_alone_decides():
    for address in ("a..b@acme.example", "plain@acme.example", "x@localhost"):
        assert address_is_valid(address, EmailSyntax.STRICT, {}) is family_accepts(
            address, EmailSyntax.STRICT
        )


def test_an_accepted_class_is_taken_out_before_the_family_judges_the_rest():
    classes = {C.LOCAL_CONSECUTIVE_DOTS: Verdict.ACCEPT}

    assert address_is_valid("a..b@acme.example", EmailSyntax.STRICT, classes)
    assert address_is_valid("x..y...z@acme.example", EmailSyntax.STRICT, classes)
    # Another defect is still the family's to refuse.
    assert not address_is_valid("a..b@acme example", EmailSyntax.STRICT, classes)
    assert not address_is_valid("a..b@-acme.example", EmailSyntax.STRICT, classes)


def test_a_refused_class_refuses_what_the_family_would_accept():
    classes = {C.TLD_DIGIT: Verdict.REFUSE, C.DOMAIN_HYPHEN_EDGE: Verdict.ACCEPT}

    assert not address_is_valid("a@acme.c0m", EmailSyntax.HTML5, classes)
    assert address_is_valid("a@-dash.example", EmailSyntax.HTML5, classes)
    # Refusal wins when an address shows both.
    assert not address_is_valid("a@-dash.c0m", EmailSyntax.HTML5, classes)


def test_an_accepted_structural_class_leaves_nothing_to_judge():
    classes = {C.SEVERAL_AT: Verdict.ACCEPT}

    assert address_is_valid("a@b@c", EmailSyntax.LENIENT, classes)
    assert not address_is_valid("no-at-sign", EmailSyntax.LENIENT, classes)


@pytest.mark.parametrize(
    ("address", "feature", "plain"),
    [
        ("a b@x.io", C.SPACES, "ab@x.io"),
        ("a...b@x.io", C.LOCAL_CONSECUTIVE_DOTS, "a.b@x.io"),
        (".a.@x.io", C.LOCAL_EDGE_DOT, "a@x.io"),
        ("a!#b@x.io", C.LOCAL_SPECIALS, "axxb@x.io"),
        ('"a b"@x.io', C.QUOTED_LOCAL, "quoted@x.io"),
        ("aü@x.io", C.LOCAL_NON_ASCII, "ax@x.io"),
        ("a@x", C.DOMAIN_NO_DOT, "a@x.example"),
        ("a@.x..io", C.DOMAIN_EMPTY_LABEL, "a@x.io"),
        ("a@x.io.", C.DOMAIN_TRAILING_DOT, "a@x.io"),
        ("a@-x-.io", C.DOMAIN_HYPHEN_EDGE, "a@x.io"),
        ("a@x_y.io", C.DOMAIN_UNDERSCORE, "a@xxy.io"),
        ("a@[192.0.2.1]", C.DOMAIN_LITERAL, "a@literal.example"),
        ("a@xü.io", C.DOMAIN_NON_ASCII, "a@xx.io"),
        ("a@x.1o", C.TLD_DIGIT, "a@x.xo"),
        ("a@x.i", C.TLD_SHORT, "a@x.ix"),
    ],
)
def test_neutralizing_a_class_removes_its_feature_only(address, feature, plain):
    assert neutralized(address, feature) == plain
    assert feature not in classes_of(plain)

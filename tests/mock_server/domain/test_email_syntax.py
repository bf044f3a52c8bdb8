"""The cached email check agrees with email-validator on every address."""

from __future__ import annotations

import string

import pytest
from email_validator import EmailNotValidError, validate_email
from hypothesis import example, given, settings, strategies as st

from mock_server.domain import email_syntax
from mock_server.domain.email_syntax import DOMAIN_CACHE_SIZE, is_valid_email


def _email_validator_accepts(address: str) -> bool:
    try:
        validate_email(address, check_deliverability=False)
    except EmailNotValidError:
        return False
    return True


_WIDE_LABEL = "喜蔞麾塪瘚礢舓粖耾棁槟荌扪囦拣籰隡偖"  # 18 characters, 63 in IDNA ASCII
_LABEL = st.text(string.ascii_letters + string.digits + "-", min_size=1, max_size=70)
_DOMAINS = st.one_of(
    st.lists(_LABEL, min_size=1, max_size=4).map(".".join),
    st.sampled_from(
        [
            "acme.example",
            "ACME.Example",
            "localhost",
            "mail.test",
            "printer.local",
            "x.invalid",
            "acme.123",
            "acme.example.",
            ".acme.example",
            "acme..example",
            "münchen.de",
            "xn--mnchen-3ya.de",
            "[127.0.0.1]",
            "a" * 64 + ".com",
            "acme.example>",
            'acme"example.com',
            "acme example.com",
            "",
        ]
    ),
    st.text(max_size=20),
)
_LOCAL_PARTS = st.one_of(
    st.from_regex(r"[A-Za-z0-9_+-]+(?:\.[A-Za-z0-9_+-]+)*", fullmatch=True),
    st.sampled_from(
        ['"quoted"', "a..b", ".a", "a.", "ünï", "Name <a", "postmaster", "a@b", ""]
    ),
    st.text(max_size=12),
)


@pytest.mark.no_cover  # measured by the other tests: see conftest.py
@settings(max_examples=600, deadline=None)
@given(local_part=_LOCAL_PARTS, domain=_DOMAINS)
@example(local_part="x" * 64, domain="acme.example")
@example(local_part="x" * 65, domain="acme.example")
@example(local_part="x" * 60, domain=("a" * 60 + ".") * 3 + "com")
@example(local_part="a", domain="b" * 63 + "." + "c" * 63 + "." + "d" * 63 + ".com")
# Short as text, too long once the domain is converted to IDNA ASCII.
@example(local_part="x" * 64, domain=".".join([_WIDE_LABEL] * 3) + ".com")
def test_agrees_with_email_validator(local_part: str, domain: str) -> None:
    address = f"{local_part}@{domain}"
    assert is_valid_email(address) == _email_validator_accepts(address)


@settings(max_examples=200, deadline=None)
@given(st.emails() | st.text(max_size=30))
def test_agrees_on_any_text(address: str) -> None:
    assert is_valid_email(address) == _email_validator_accepts(address)


def test_the_domain_cache_is_bounded() -> None:
    for number in range(DOMAIN_CACHE_SIZE + 50):
        assert is_valid_email(f"ops@host{number}.example")
    info = email_syntax._domain_is_valid.cache_info()
    assert info.currsize <= DOMAIN_CACHE_SIZE


def test_a_seen_domain_is_not_validated_again() -> None:
    email_syntax._domain_is_valid.cache_clear()
    assert is_valid_email("first@seen.example")
    assert is_valid_email("second@seen.example")
    assert not is_valid_email("first@seen.example..")
    info = email_syntax._domain_is_valid.cache_info()
    assert (info.hits, info.misses) == (1, 2)

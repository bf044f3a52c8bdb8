"""Whether a string is a valid email address, by email-validator's rules.

email-validator checks the syntax (never DNS here: a mock must not reach the
network). Most of its time goes into the domain's IDNA checks, and the domain of
a sender's address is nearly always one the mock has seen before: for a plain
ASCII address, the domain's verdict is cached and only the part before the @ is
checked, against a stricter pattern than email-validator's own. Anything else
goes to email-validator whole; `tests/mock_server/domain/test_email_syntax.py` checks
that both ways agree.
"""

from __future__ import annotations

import re
from functools import lru_cache

from email_validator import EmailNotValidError, validate_email

DOMAIN_CACHE_SIZE = 1024
"""Distinct domains remembered; a flood of new ones only evicts."""

# A subset of RFC 5322's dot-atom that email-validator always accepts before
# the @; the length caps stay well inside its limits (254 for the address).
_PLAIN_LOCAL_PART = re.compile(r"[A-Za-z0-9_+-]+(?:\.[A-Za-z0-9_+-]+)*")
_PLAIN_MAX_LENGTH = 200
_LOCAL_PART_MAX_LENGTH = 64


def is_valid_email(address: str) -> bool:
    """Whether email-validator accepts `address` (syntax only, no DNS)."""
    local_part, at, domain = address.rpartition("@")
    if (
        at
        and len(address) <= _PLAIN_MAX_LENGTH
        and len(local_part) <= _LOCAL_PART_MAX_LENGTH
        and address.isascii()
        and _PLAIN_LOCAL_PART.fullmatch(local_part)
    ):
        return _domain_is_valid(domain)
    return _validates(address)


@lru_cache(maxsize=DOMAIN_CACHE_SIZE)
def _domain_is_valid(domain: str) -> bool:
    # "a" is a plain local part, so only the domain can make this fail.
    return _validates(f"a@{domain}")


def _validates(address: str) -> bool:
    try:
        validate_email(address, check_deliverability=False)
    except EmailNotValidError:
        return False
    return True

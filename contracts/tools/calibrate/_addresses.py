"""Addresses of each class: one probe to decide it, and fresh ones to test it.

For every class of `mock_server.domain.email_rules.EmailClass`, `probe` builds
the one address calibration sends to decide it, and `fresh` draws other
addresses of the same class (other strings, other forms of the feature) for
the held-out set. Each address keeps the run's namespace in its local part
(or its domain) and otherwise stays plain, so that it shows its class only.
"""

from __future__ import annotations

import string
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from contracts.tools.calibrate._mockside import EmailClass

if TYPE_CHECKING:
    from random import Random

_Make = Callable[[str, str], str]
_Fresh = Callable[["Random", str, str], str]

SPECIALS = "!#$%&'*/=?^`{|}~"
NON_ASCII = "éüñçøåßžłΩжé日本"
NON_ASCII_LABELS = ("münchen", "españa", "例え", "почта", "straße", "zürich")


@dataclass(frozen=True, slots=True)
class AddressClass:
    """One class of address: its probe and its fresh addresses."""

    name: EmailClass
    probe: _Make
    fresh: _Fresh


def word(rng: Random, low: int = 3, high: int = 8) -> str:
    """A lower-case word of `low` to `high` letters."""
    return "".join(rng.choices(string.ascii_lowercase, k=rng.randint(low, high)))


def _long_local(local: str, length: int) -> str:
    return f"{local}-{'x' * max(1, length - len(local) - 1)}"


def _tld_digit(rng: Random) -> str:
    return rng.choice(
        [str(rng.randint(10, 999)), f"c{rng.randint(0, 9)}m", f"x{rng.randint(0, 9)}"]
    )


CLASSES: tuple[AddressClass, ...] = (
    AddressClass(
        EmailClass.NO_AT,
        lambda local, domain: f"{local}-no-at-sign",
        lambda rng, local, domain: rng.choice(
            [f"{local}-{word(rng)}", f"{local}.{word(rng)}.{domain}"]
        ),
    ),
    AddressClass(
        EmailClass.SEVERAL_AT,
        lambda local, domain: f"{local}-two@@{domain}",
        lambda rng, local, domain: rng.choice(
            [f"{local}@{word(rng)}@{domain}", f"{local}-{word(rng)}@@{domain}"]
        ),
    ),
    AddressClass(
        EmailClass.EMPTY_LOCAL,
        lambda local, domain: f"@{_host(local)}.{domain}",
        lambda rng, local, domain: f"@{_host(local)}-{word(rng)}.{domain}",
    ),
    AddressClass(
        EmailClass.EMPTY_DOMAIN,
        lambda local, domain: f"{local}@",
        lambda rng, local, domain: f"{local}-{word(rng)}@",
    ),
    AddressClass(
        EmailClass.SPACES,
        lambda local, domain: f"{local} x@{domain}",
        lambda rng, local, domain: rng.choice(
            [
                f"{local}-{word(rng)} {word(rng)}@{domain}",
                f"{local}@{word(rng)} .{domain}",
            ]
        ),
    ),
    AddressClass(
        EmailClass.LOCAL_CONSECUTIVE_DOTS,
        lambda local, domain: f"{local}..x@{domain}",
        lambda rng, local, domain: f"{local}.{word(rng)}..{word(rng)}@{domain}",
    ),
    AddressClass(
        EmailClass.LOCAL_EDGE_DOT,
        lambda local, domain: f".{local}@{domain}",
        lambda rng, local, domain: rng.choice(
            [f".{local}-{word(rng)}@{domain}", f"{local}-{word(rng)}.@{domain}"]
        ),
    ),
    AddressClass(
        EmailClass.LOCAL_SPECIALS,
        lambda local, domain: f"{local}!x@{domain}",
        lambda rng, local, domain: (
            f"{local}{''.join(rng.choices(SPECIALS, k=rng.randint(1, 3)))}"
            f"{word(rng)}@{domain}"
        ),
    ),
    AddressClass(
        EmailClass.QUOTED_LOCAL,
        lambda local, domain: f'"{local}"@{domain}',
        lambda rng, local, domain: f'"{local}.{word(rng)}"@{domain}',
    ),
    AddressClass(
        EmailClass.LOCAL_NON_ASCII,
        lambda local, domain: f"{local}-ü@{domain}",
        lambda rng, local, domain: (
            f"{local}-{word(rng, 1, 4)}{''.join(rng.choices(NON_ASCII, k=2))}@{domain}"
        ),
    ),
    AddressClass(
        EmailClass.LOCAL_TOO_LONG,
        lambda local, domain: f"{_long_local(local, 65)}@{domain}",
        lambda rng, local, domain: (
            f"{_long_local(local, rng.randint(66, 90))}@{domain}"
        ),
    ),
    AddressClass(
        EmailClass.DOMAIN_NO_DOT,
        lambda local, domain: f"{local}@localhost",
        lambda rng, local, domain: f"{local}@{word(rng)}",
    ),
    AddressClass(
        EmailClass.DOMAIN_EMPTY_LABEL,
        lambda local, domain: f"{local}@x..{domain}",
        lambda rng, local, domain: rng.choice(
            [f"{local}@.{word(rng)}.{domain}", f"{local}@{word(rng)}..{domain}"]
        ),
    ),
    AddressClass(
        EmailClass.DOMAIN_TRAILING_DOT,
        lambda local, domain: f"{local}@{domain}.",
        lambda rng, local, domain: f"{local}@{word(rng)}.{domain}.",
    ),
    AddressClass(
        EmailClass.DOMAIN_HYPHEN_EDGE,
        lambda local, domain: f"{local}@-dash.{domain}",
        lambda rng, local, domain: rng.choice(
            [f"{local}@-{word(rng)}.{domain}", f"{local}@{word(rng)}-.{domain}"]
        ),
    ),
    AddressClass(
        EmailClass.DOMAIN_UNDERSCORE,
        lambda local, domain: f"{local}@under_score.{domain}",
        lambda rng, local, domain: f"{local}@{word(rng)}_{word(rng)}.{domain}",
    ),
    AddressClass(
        EmailClass.DOMAIN_LITERAL,
        lambda local, domain: f"{local}@[192.0.2.1]",
        lambda rng, local, domain: rng.choice(
            [f"{local}@[192.0.2.{rng.randint(2, 254)}]", f"{local}@[IPv6:2001:db8::1]"]
        ),
    ),
    AddressClass(
        EmailClass.DOMAIN_NON_ASCII,
        lambda local, domain: f"{local}@bücher.{domain}",
        lambda rng, local, domain: f"{local}@{rng.choice(NON_ASCII_LABELS)}.{domain}",
    ),
    AddressClass(
        EmailClass.DOMAIN_LABEL_TOO_LONG,
        lambda local, domain: f"{local}@{'l' * 64}.{domain}",
        lambda rng, local, domain: f"{local}@{'l' * rng.randint(65, 80)}.{domain}",
    ),
    AddressClass(
        EmailClass.TLD_DIGIT,
        lambda local, domain: f"{local}@{domain}.123",
        lambda rng, local, domain: f"{local}@{word(rng)}.{_tld_digit(rng)}",
    ),
    AddressClass(
        EmailClass.TLD_SHORT,
        lambda local, domain: f"{local}@{domain}.x",
        lambda rng, local, domain: f"{local}@{word(rng)}.{rng.choice('abcdefgh')}",
    ),
)
"""Every class, in `EmailClass` order."""


def _host(local: str) -> str:
    # The namespace as a domain label: `smtp-contract+run-3` -> `smtp-contract-run-3`.
    return local.replace("+", "-")


def plain_address(rng: Random, local: str, domain: str) -> str:
    """A fresh address of no class, in mixed case and one of several forms."""
    forms = [
        f"{local}.{word(rng)}@{domain}",
        f"{local}-{word(rng).capitalize()}@{word(rng)}.{domain}",
        f"{local}_{rng.randint(0, 99)}@{domain.upper()}",
        f"{local}+{word(rng)}@{word(rng)}-{word(rng)}.{domain}",
    ]
    return rng.choice(forms)


def long_address(local: str, domain: str, length: int) -> str:
    """A plain address of exactly `length` characters (labels of at most 63).

    Near the length of `local@domain` the local part gives or takes: it keeps
    its end, where the run's number makes it unique (never below 1 character).
    """
    middle = length - len(local) - 1 - len(domain) - 1
    if middle == 0:
        return f"{local}x@{domain}"
    if middle < 0:
        return f"{local[-max(1, length - 1 - len(domain)) :]}@{domain}"
    labels = []
    while middle > 0:
        take = min(63, middle)
        if middle - take == 1:
            take -= 1
        labels.append("a" * take)
        middle -= take + 1
    return f"{local}@{'.'.join(labels)}.{domain}"

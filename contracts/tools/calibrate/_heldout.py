"""The held-out set: inputs drawn fresh from the classes calibration probes.

Calibration decides each choice from a few probes; the held-out set asks
whether what it learned holds for other inputs of the same kinds: other
addresses of each class, other lengths of each input, other spacing, other
non-ASCII text, other pairs for uniqueness, other ports and other mixes of
problems. The strings come from a seeded `random.Random`, never from the
probes, and nothing here reads the learned profile: a profile that memorized
its probes cannot pass by construction.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from contracts.inputs.steps import Request, credentials, relay
from contracts.tools.calibrate._addresses import (
    CLASSES,
    NON_ASCII,
    long_address,
    plain_address,
    word,
)
from contracts.tools.calibrate._limits import LENGTH_FIELDS, long_value

if TYPE_CHECKING:
    from random import Random

    from contracts.inputs.steps import Context

NO_TOKEN = Request({}, "{ __typename }", None, authenticated=False)
"""The held-out request without a token (sent only when there is one)."""
_PAIRS: dict[str, Callable[[str], str]] = {
    # kind: the second address of the pair, from the first
    "unique.case": str.upper,
    "unique.sharp_s": str.upper,
    "unique.nfc": lambda first: unicodedata.normalize("NFD", first),
    "unique.nfkc": lambda first: unicodedata.normalize("NFKC", first),
}
_PAIR_TEXT = {"unique.case": "", "unique.sharp_s": "-straße", "unique.nfc": "-é"}


@dataclass(frozen=True, slots=True)
class Case:
    """One held-out input: its kind, what it looks like, the requests it takes.

    A pair for uniqueness is two requests; every other case is one.
    """

    kind: str
    shown: str
    requests: tuple[Request, ...]


def draw(context: Context, rng: Random, size: int, *, with_token: bool) -> list[Case]:
    """About `size` requests of held-out cases, in a shuffled order."""
    pool: list[Case] = []
    while sum(len(case.requests) for case in pool) < size:
        batch = catalogue(context, rng, with_token=with_token)
        rng.shuffle(batch)
        pool += batch
    cases, count = [], 0
    for case in pool:
        if count + len(case.requests) <= size:
            cases.append(case)
            count += len(case.requests)
    return cases


def catalogue(context: Context, rng: Random, *, with_token: bool) -> list[Case]:
    """One round of every kind of held-out case (about 100 requests)."""
    cases = _addresses(context, rng) + _lengths(context, rng) + _pairs(context, rng)
    cases += _texts(context, rng) + _others(context, rng)
    if with_token:
        cases.append(Case("auth.no_token", "no Authorization header", (NO_TOKEN,)))
    return cases


def _parts(context: Context) -> tuple[str, str]:
    local, _, domain = context.namespace.fresh_address().partition("@")
    return local, domain


def _one(kind: str, shown: str, variables: dict[str, Any]) -> Case:
    return Case(kind, shown, (Request(variables),))


def _addresses(context: Context, rng: Random) -> list[Case]:
    cases = []
    for kind in CLASSES:
        for _ in range(2):
            address = kind.fresh(rng, *_parts(context))
            email = relay(context, emailAddress=address)
            cases.append(_one(f"email.{kind.name}", address, email))
    for _ in range(4):
        address = plain_address(rng, *_parts(context))
        cases.append(_one("email.plain", address, relay(context, emailAddress=address)))
    for blank in ("", "   "):
        cases.append(
            _one("email.blank", repr(blank), relay(context, emailAddress=blank))
        )
    return cases


def _length(rng: Random) -> int:
    return rng.choice(
        [rng.randint(1, 60), rng.randint(60, 300), rng.randint(300, 1200)]
    )


def _lengths(context: Context, rng: Random) -> list[Case]:
    cases = []
    for name in LENGTH_FIELDS:
        for _ in range(3):
            length = _length(rng)
            if name == "emailAddress":
                local, domain = _parts(context)
                # Never shorter than a plain address: shorter is another class.
                length = max(length, len(local) + 1 + len(domain))
                address = long_address(local, domain, length)
                variables = relay(context, emailAddress=address)
            else:
                value = long_value(name, length, context.password_marker)
                variables = _with(context, name, value)
            cases.append(_one(f"length.{name}", f"{length} characters", variables))
    return cases


def _with(context: Context, name: str, value: Any) -> dict[str, Any]:
    if name in ("username", "password"):
        return credentials(context, **{name: value})
    return relay(context, **{name: value})


def _pairs(context: Context, rng: Random) -> list[Case]:
    cases = []
    for kind, second_of in _PAIRS.items():
        local, domain = _parts(context)
        text = _PAIR_TEXT.get(kind, f"-{rng.choice('²³ｗ①')}")
        first = f"{local}-{word(rng)}{text}@{domain}"
        second = second_of(first)
        requests = tuple(
            Request(relay(context, emailAddress=a)) for a in (first, second)
        )
        cases.append(Case(kind, f"{first} then {second}", requests))
    return cases


def _spaced(value: str, rng: Random) -> str:
    return f"{' ' * rng.randint(1, 3)}{value}{' ' * rng.randint(0, 2)}"


def _texts(context: Context, rng: Random) -> list[Case]:
    marker = context.password_marker
    plain: dict[str, Callable[[], str]] = {
        "senderName": lambda: f"{word(rng).capitalize()} {word(rng)}",
        "emailAddress": lambda: context.namespace.fresh_address(),
        "host": lambda: f"{word(rng)}.{word(rng)}.example",
        "username": lambda: f"{word(rng)}@{word(rng)}.example",
        "password": lambda: f"{marker}-{word(rng)}",
    }
    cases = []
    for name, make in plain.items():
        value = _spaced(make(), rng)
        cases.append(_one(f"spaces.{name}", repr(value), _with(context, name, value)))
    for name, make in plain.items():
        if name == "emailAddress":
            continue
        accents = "".join(rng.choices(NON_ASCII, k=2))
        value = f"{accents}{make()}" if name == "host" else f"{make()}{accents}"
        cases.append(_one(f"non_ascii.{name}", value, _with(context, name, value)))
    mixed = {
        "senderName": f"{word(rng).upper()} {word(rng).capitalize()}",
        "host": f"{word(rng).upper()}.{word(rng).capitalize()}.example",
        "emailAddress": plain_address(rng, *_parts(context)).swapcase(),
    }
    for name, value in mixed.items():
        cases.append(_one(f"stored.{name}", value, _with(context, name, value)))
    return cases


def _others(context: Context, rng: Random) -> list[Case]:
    cases = [
        _one(f"blank.{name}", "''", relay(context, **{name: ""}))
        for name in ("senderName", "host", "organizationId")
    ]
    cases.append(_one("blank.senderName", "'   '", relay(context, senderName="   ")))
    for port in rng.sample([0, 1, 25, 2525, 65535, 65536, -1, 99_999], 3):
        cases.append(_one("port", str(port), relay(context, port=port)))
    missing = (
        {"username": None},
        {"password": ""},
        {"username": None, "password": None},
    )
    for changes in missing:
        cases.append(
            _one("missing.credentials", str(changes), credentials(context, **changes))
        )
    several = relay(context, senderName="", emailAddress=f"{word(rng)}-no-at-sign")
    cases.append(_one("several.problems", "blank name, address without @", several))
    secret = f"{context.password_marker}-{word(rng)}"
    sent = relay(context, username=word(rng), password=secret)
    cases.append(_one("relay.credentials", "credentials with ipRelayAuth", sent))
    host = f"{word(rng)} {word(rng)}.example"
    cases.append(_one("host.inner_spaces", host, relay(context, host=host)))
    return cases

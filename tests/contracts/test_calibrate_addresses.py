"""Calibration's addresses: each probe and each fresh address shows its class only."""

from __future__ import annotations

import random

import pytest

from contracts.client.ledger import Namespace
from contracts.inputs.steps import Context
from contracts.tools.calibrate._addresses import (
    CLASSES,
    long_address,
    plain_address,
)
from contracts.tools.calibrate._heldout import catalogue, draw
from contracts.tools.calibrate._mockside import EmailClass, classes_of

LOCAL, DOMAIN = "smtp-contract+run7-12", "example.com"


def test_every_class_has_one_probe_and_fresh_addresses():
    assert [kind.name for kind in CLASSES] == list(EmailClass)


@pytest.mark.parametrize("kind", CLASSES, ids=lambda kind: kind.name)
def test_a_probe_and_its_fresh_addresses_show_their_class_only(kind):
    rng = random.Random(kind.name)
    probe = kind.probe(LOCAL, DOMAIN)
    fresh = {kind.fresh(rng, LOCAL, DOMAIN) for _ in range(40)}

    assert classes_of(probe) == [kind.name]
    assert all(classes_of(address) == [kind.name] for address in fresh), fresh
    assert probe not in fresh  # held-out inputs are never the probe


def test_plain_addresses_show_no_class():
    rng = random.Random(3)
    assert all(classes_of(plain_address(rng, LOCAL, DOMAIN)) == [] for _ in range(50))


@pytest.mark.parametrize("length", [20, 33, 34, 35, 36, 63, 64, 100, 254, 256, 600])
def test_a_long_address_is_plain_and_exactly_as_long_as_asked(length):
    address = long_address(LOCAL, DOMAIN, length)

    assert len(address) == length
    assert classes_of(address) == []
    assert address.split("@")[0].rstrip("x").endswith("-12")  # the unique end


def test_the_held_out_set_is_drawn_afresh_from_the_seed():
    def requests(seed: int, size: int) -> list[object]:
        context = Context(Namespace("r", DOMAIN), "1", None)
        cases = draw(context, random.Random(seed), size, with_token=True)
        return [r.variables for case in cases for r in case.requests]

    assert requests(5, 100) == requests(5, 100)
    assert requests(5, 100) != requests(6, 100)
    assert len(requests(5, 100)) <= 100
    assert len(requests(5, 250)) > 200


def test_one_round_covers_every_kind_of_input():
    context = Context(Namespace("r", DOMAIN), "1", None)
    kinds = {
        case.kind for case in catalogue(context, random.Random(1), with_token=True)
    }

    assert {f"email.{name}" for name in EmailClass} <= kinds
    assert {"length.senderName", "length.emailAddress", "unique.sharp_s",
            "unique.nfkc", "stored.host", "auth.no_token", "several.problems",
            "email.blank", "port"} <= kinds  # fmt: skip

"""Calibration's learners: bisected limits, refusals, and answers that pin nothing."""

from __future__ import annotations

import functools
from dataclasses import replace

import pytest
from click.testing import CliRunner
from starlette.applications import Starlette
from starlette.responses import JSONResponse
from starlette.routing import Route

from mock_server.domain.email_rules import EmailClass
from mock_server.domain.profile import (
    DEFAULT_PROFILE,
    BlankCredentials,
    EmailSyntax,
    Failure,
    Verdict,
    Whitespace,
)
from tests.contracts.test_calibrate import calibrated


@pytest.fixture
def runner(monkeypatch):
    monkeypatch.delenv("SMTP_CONTRACT_TOKEN", raising=False)
    return CliRunner()


def _mock_with(**changes):
    from mock_server import create_app

    fields = dict(DEFAULT_PROFILE.fields)
    for name in ("senderName", "username"):
        if name in changes:
            fields[name] = replace(fields[name], max_length=changes.pop(name))
    return create_app(profile=replace(DEFAULT_PROFILE, fields=fields, **changes))


def narrow_mock():
    return _mock_with(port_min=20, port_max=49151, senderName=40)


def wide_mock():
    return _mock_with(port_min=-100, port_max=100_000, username=1000)


@pytest.mark.parametrize(
    ("factory", "ports", "field", "limit"),
    [
        ("narrow_mock", (20, 49151), "senderName", 40),
        ("wide_mock", (-100, 100_000), "username", 1000),
    ],
)
def test_limits_off_the_usual_values_are_found_by_bisection(
    runner, tmp_path, factory, ports, field, limit
):
    app = f"tests.contracts.test_calibrate_learning:{factory}"

    profile = calibrated(runner, app, tmp_path / "p.toml")

    assert (profile.port_min, profile.port_max) == ports
    assert profile.rule(field).max_length == limit
    assert profile.message(Failure.TOO_LONG, field, max=limit).endswith(
        f"(maximum is {limit} characters)"
    )
    assert (
        f"{limit} characters accepted"
        in (profile.evidence[f"fields.{field}.max_length"]["observed"])
    )


def picky_mock():
    fields = dict(DEFAULT_PROFILE.fields)
    for name in ("senderName", "emailAddress"):
        fields[name] = replace(fields[name], whitespace=Whitespace.REJECT)
    from mock_server import create_app

    profile = replace(
        DEFAULT_PROFILE,
        fields=fields,
        email_classes={EmailClass.DOMAIN_NO_DOT: Verdict.ACCEPT},
    )
    return create_app(profile=profile)


def test_refusals_of_surrounding_spaces_and_odd_verdicts_are_learned(runner, tmp_path):
    profile = calibrated(
        runner,
        "tests.contracts.test_calibrate_learning:picky_mock",
        tmp_path / "p.toml",
    )

    assert profile.rule("senderName").whitespace is Whitespace.REJECT
    assert profile.rule("emailAddress").whitespace is Whitespace.REJECT
    assert profile.errors[Failure.WHITESPACE].message == (
        "{label} must not start or end with spaces"
    )
    # Rules, not strings: strict, except that `x@localhost` is accepted.
    assert profile.email_syntax is EmailSyntax.STRICT
    assert dict(profile.email_classes) == {EmailClass.DOMAIN_NO_DOT: Verdict.ACCEPT}
    assert profile.email_verdicts == {}


async def _quirky(request):
    """The mock, except for a few answers no profile value can explain."""
    import httpx

    body = await request.json()
    variables = body.get("variables") or {}
    configuration = variables.get("smtpConfiguration") or {}
    name = str(variables.get("senderName", ""))
    address = str(variables.get("emailAddress", ""))
    if (
        address[:13].isupper()
        or not name.isascii()
        or configuration.get("username") in ("contract-user", "  ")
    ):
        return JSONResponse({"errors": [{"message": "boom"}]}, 500)
    if " " in str(configuration.get("host", "")).strip() or (
        "ipRelayAuth" not in configuration
        and "username" not in configuration
        and "password" not in configuration
    ):
        return JSONResponse({"errors": [{"message": "bad"}]}, 400)
    transport = httpx.ASGITransport(app=_backend())
    async with httpx.AsyncClient(
        transport=transport, base_url="http://127.0.0.1"
    ) as client:
        answer = (await client.post("/graphql", json=body)).json()
    sender = (
        (answer.get("data") or {}).get("createSmtpCustomEmailWithConfiguration") or {}
    ).get("smtpCustomEmail")
    if sender:
        sender["id"] = "sender-1"
        if name.startswith("  "):
            sender["senderName"] = "something else"
    return JSONResponse(answer)


@functools.cache
def _backend():
    from mock_server import create_app

    return create_app()


quirky_app = Starlette(routes=[Route("/graphql", _quirky, methods=["POST"])])


def test_ambiguous_answers_leave_the_default_with_the_reason(runner, tmp_path):
    profile = calibrated(
        runner,
        "tests.contracts.test_calibrate_learning:quirky_app",
        tmp_path / "p.toml",
    )

    reasons = profile.not_calibrated
    assert reasons["email.uniqueness"].startswith("ambiguous answer: HTTP 500")
    assert reasons["ids.version"].startswith("ids are not UUIDs")
    assert reasons["fields.senderName.whitespace"] == (
        "ambiguous answer: '  Acme Notifications ' returned as 'something else'"
    )
    assert reasons["fields.host.inner_spaces"].startswith("ambiguous: HTTP 400")
    assert reasons["fields.senderName.non_ascii"].startswith("ambiguous: HTTP 500")
    assert reasons["relay.credentials"].startswith("ambiguous: HTTP 500")
    assert reasons["credentials.blank"].startswith(
        "ambiguous: password of spaces refused as a missing credential; "
        "username of spaces neither missing nor a value: HTTP 500"
    )
    assert reasons["errors.grouping"].startswith("ambiguous: HTTP 400")
    assert profile == replace(
        profile, uniqueness=DEFAULT_PROFILE.uniqueness, id_version=4
    )


def spaces_accepting_mock():
    from mock_server import create_app

    return create_app(
        profile=replace(DEFAULT_PROFILE, blank_credentials=BlankCredentials.ACCEPT)
    )


def spaces_refusing_mock():
    """Takes a credential of spaces as a value, then refuses it for its spaces."""
    from mock_server import create_app

    fields = dict(DEFAULT_PROFILE.fields)
    for name in ("username", "password"):
        fields[name] = replace(fields[name], whitespace=Whitespace.REJECT)
    return create_app(
        profile=replace(
            DEFAULT_PROFILE,
            fields=fields,
            blank_credentials=BlankCredentials.ACCEPT,
        )
    )


@pytest.mark.parametrize(
    ("factory", "blank", "observed"),
    [
        ("create_app", BlankCredentials.MISSING, "refused as a missing credential"),
        ("spaces_accepting_mock", BlankCredentials.ACCEPT, "accepted"),
        ("spaces_refusing_mock", BlankCredentials.ACCEPT, "refused for its spaces"),
    ],
)
def test_whether_a_credential_of_spaces_is_missing_is_learned(
    runner, tmp_path, factory, blank, observed
):
    module = "mock_server" if factory == "create_app" else __name__
    profile = calibrated(runner, f"{module}:{factory}", tmp_path / "p.toml")

    assert profile.blank_credentials is blank
    evidence = profile.evidence["credentials.blank"]
    assert f"username of spaces {observed}" in evidence["observed"]
    assert "credentials.blank" not in profile.not_calibrated

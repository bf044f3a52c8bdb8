"""`smtp-contract calibrate`: learn a profile, and the mock follows it."""

from __future__ import annotations

from dataclasses import replace
from typing import TYPE_CHECKING

import pytest
from click.testing import CliRunner
from starlette.applications import Starlette
from starlette.responses import JSONResponse
from starlette.routing import Route

from contracts.cli.commands import main
from contracts.client.in_process import in_process_target
from contracts.client.ledger import Namespace
from contracts.config import make_config
from contracts.inputs.steps import Context
from contracts.tools import diff
from contracts.tools.calibrate import changed_choices
from contracts.tools.calibrate._findings import templatize
from contracts.tools.calibrate._mockside import profiled_mock
from mock_server.domain.profile import (
    DEFAULT_PROFILE,
    BlankCredentials,
    EmailSyntax,
    Failure,
    Grouping,
    IdCase,
    RelayCredentials,
    Uniqueness,
    Whitespace,
)
from mock_server.domain.profile_files import load_profile

if TYPE_CHECKING:
    from pathlib import Path

    from mock_server.domain.profile import BehaviourProfile

MOCK = "mock_server:create_app"
ALT = "tests.contracts.alt_impl:create_app"
LENIENT = "tests.contracts.lenient_impl:create_app"
TOKEN = "calibrate-secret-token-42"


@pytest.fixture
def runner(monkeypatch):
    monkeypatch.delenv("SMTP_CONTRACT_TOKEN", raising=False)
    monkeypatch.delenv("SMTP_CONTRACT_URL", raising=False)
    return CliRunner()


def calibrated(runner, app: str, path: Path, *args: str) -> BehaviourProfile:
    result = runner.invoke(main, ["calibrate", "--app", app, "-o", str(path), *args])
    assert result.exit_code == 0, result.output
    return load_profile(path)


def compare(app: str, profile: BehaviourProfile) -> list[diff.Row]:
    context = Context(Namespace("caltest", "example.com"), "980700673", "9")
    target = in_process_target(make_config(app=app))
    return diff.compare(
        profiled_mock(profile, token=None), target, context, wording=True
    )


def probe_rows(rows: list[diff.Row]) -> list[diff.Row]:
    return [row for row in rows if row.clause.startswith("probe.")]


def test_the_default_mock_calibrates_to_the_default_profile(runner, tmp_path):
    profile = calibrated(runner, MOCK, tmp_path / "default.toml")

    pinned = replace(DEFAULT_PROFILE, evidence=profile.evidence)
    assert changed_choices(pinned, profile) == []
    assert "email.uniqueness" in profile.evidence
    assert profile.not_calibrated["relay.credentials"].startswith("accepted")
    assert profile.blank_credentials is BlankCredentials.MISSING
    assert profile.evidence["credentials.blank"]["observed"].endswith(
        "password of spaces refused as a missing credential; "
        "username of spaces refused as a missing credential"
    )


def test_the_lenient_implementation_gives_its_own_profile(runner, tmp_path):
    profile = calibrated(runner, LENIENT, tmp_path / "lenient.toml")

    assert profile.uniqueness is Uniqueness.CASE_SENSITIVE
    assert profile.email_syntax is EmailSyntax.LENIENT
    assert profile.rule("senderName").whitespace is Whitespace.TRIM
    assert profile.rule("senderName").max_length is None
    assert (profile.port_min, profile.port_max) == (1, 65535)
    assert profile.relay_credentials is RelayCredentials.REJECT
    assert profile.blank_credentials is BlankCredentials.MISSING  # trims, then none
    assert (profile.grouping, profile.combined_separator) == (Grouping.COMBINED, " | ")
    assert (profile.id_version, profile.id_case) == (7, IdCase.UPPER)
    assert (
        profile.errors[Failure.PORT_RANGE].message
        == "{label} must be from {min} to {max}"
    )
    assert profile.message(Failure.BLANK, "host") == "Host is required"


@pytest.mark.no_cover  # measured by the other tests: see conftest.py
@pytest.mark.parametrize("app", [ALT, LENIENT])
def test_the_calibrated_mock_answers_every_probe_like_the_target(runner, tmp_path, app):
    before = probe_rows(compare(app, DEFAULT_PROFILE))
    profile = calibrated(runner, app, tmp_path / "profile.toml")

    rows = compare(app, profile)

    assert sum(not row.same for row in before) > 10
    assert [row.label for row in probe_rows(rows) if not row.same] == []
    assert "probe.blank-credentials" in {row.clause for row in probe_rows(rows)}
    # Domain refusals (HTTP 200); a request-level 400's wording is graphql-core's.
    refusals = [
        o
        for row in rows
        for o in row.target
        if (o.outcome, o.status) == ("rejected", 200)
    ]
    assert any(o.messages for o in refusals)
    mock_messages = {m for row in rows for o in row.mock for m in o.messages}
    assert {m for o in refusals for m in o.messages} <= mock_messages


@pytest.mark.no_cover  # measured by the other tests: see conftest.py
def test_diff_with_a_profile_shows_every_probe_same(runner, tmp_path):
    path = tmp_path / "alt.toml"
    profile = calibrated(runner, ALT, path)

    result = runner.invoke(main, ["diff", "--app", ALT, "--profile", str(path)])

    probe_lines = [line for line in result.output.splitlines() if "probe." in line]
    assert len(probe_lines) == 21
    assert all(" same " in line for line in probe_lines)
    assert sum("probe.blank-credentials" in line for line in probe_lines) == 2
    # alt_impl takes a credential of spaces as a value; the default mock does not.
    assert profile.blank_credentials is BlankCredentials.ACCEPT


def test_a_wording_difference_shows_but_never_fails(runner, tmp_path):
    profile = replace(calibrated(runner, ALT, tmp_path / "alt.toml"), overrides={})

    rows = compare(ALT, profile)

    worded = [r for r in rows if any(not d.binding for d in r.differences)]
    # "duplicate" names no field: an exact override. "missing credentials:
    # username" became the template "missing credentials: {field}".
    assert {r.clause for r in worded} >= {"email.unique-in-org"}
    assert "credentials.required" not in {r.clause for r in worded}
    assert not any(row.fails for row in worded)


@pytest.mark.no_cover  # measured by the other tests: see conftest.py
def test_against_the_same_target_exits_0_and_a_changed_one_exits_1(runner, tmp_path):
    path = tmp_path / "alt.toml"
    calibrated(runner, ALT, path)

    same = runner.invoke(main, ["calibrate", "--app", ALT, "--against", str(path)])
    changed = runner.invoke(
        main, ["calibrate", "--app", LENIENT, "--against", str(path)]
    )

    assert same.exit_code == 0, same.output
    assert "0 calibrated choice(s) changed" in same.output
    assert changed.exit_code == 1
    assert "CHANGED email.syntax: 'any' -> 'lenient'" in changed.output
    assert "CHANGED credentials.blank: 'accept' -> 'missing'" in changed.output
    assert "CHANGED errors.grouping" not in changed.output  # combined both times
    assert "  was: HTTP 200 accepted" in changed.output
    assert "  now: HTTP 200 rejected" in changed.output


def test_a_spent_budget_leaves_the_rest_at_its_default_with_the_reason(
    runner, tmp_path
):
    profile = calibrated(runner, ALT, tmp_path / "p.toml", "--max-requests", "8")

    reasons = profile.not_calibrated
    assert reasons["fields.senderName.max_length"].startswith("budget spent")
    assert "--max-requests 8" in reasons["port.max"]
    assert profile.rule("senderName").max_length == 255
    assert "email.uniqueness" in profile.evidence


def test_the_token_is_never_printed_nor_written(runner, tmp_path, monkeypatch):
    monkeypatch.setenv("SMTP_CONTRACT_TOKEN", TOKEN)
    path = tmp_path / "p.json"

    result = runner.invoke(main, ["calibrate", "--app", MOCK, "-o", str(path)])

    text = path.read_text()
    assert result.exit_code == 0, result.output
    assert TOKEN not in result.output + text
    assert '-H \\"Authorization: Bearer $SMTP_CONTRACT_TOKEN\\"' in text


def test_dry_run_sends_nothing(runner, tmp_path):
    path = tmp_path / "p.toml"
    result = runner.invoke(
        main,
        ["calibrate", "--url", "http://127.0.0.1:9/graphql", "--org", "1", "-o",
         str(path), "--dry-run"],
    )  # fmt: skip

    assert result.exit_code == 0, result.output
    assert "budget: 250 requests" in result.output
    assert "fields.host.max_length" in result.output
    assert "then 100 held-out requests" in result.output
    assert not path.exists()


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--app", MOCK], "give -o FILE"),
        (["-o", "x.toml"], "calibrate needs a target"),
        (["--url", "ftp://x", "--org", "1", "-o", "x.toml"], "--url must be"),
    ],
)
def test_bad_options_are_usage_errors(runner, args, message):
    result = runner.invoke(main, ["calibrate", *args])

    assert result.exit_code == 2
    assert message in result.output


def test_a_bad_against_file_is_refused_naming_the_key(runner, tmp_path):
    path = tmp_path / "bad.toml"
    path.write_text('[email]\nuniqueness = "sometimes"\n')

    result = runner.invoke(main, ["calibrate", "--app", MOCK, "--against", str(path)])

    assert result.exit_code == 2
    assert "email.uniqueness" in result.output


async def _refuse(request):
    return JSONResponse({"data": None, "errors": [{"message": "no"}]})


refusing_app = Starlette(routes=[Route("/graphql", _refuse, methods=["POST"])])


def test_a_target_refusing_the_guides_scenario_cannot_be_calibrated(runner, tmp_path):
    app = "tests.contracts.test_calibrate:refusing_app"
    result = runner.invoke(
        main, ["calibrate", "--app", app, "-o", str(tmp_path / "p.toml")]
    )

    assert result.exit_code == 2
    assert "scenario B was not accepted" in result.output


@pytest.mark.parametrize(
    ("message", "field", "limits", "template"),
    [
        ("Sender name is too long (max 40)", "senderName", {"max": 40},
         "{label} is too long (max {max})"),
        ("Port must be in -1..65535", "port", {"min": -1, "max": 65535},
         "{label} must be in {min}..{max}"),
        ("duplicate", "emailAddress", {}, None),
        ("Host {bad}", "host", {}, None),
        ("Port 655350 is out of range", "port", {"max": 65535},
         "{label} 655350 is out of range"),
    ],
)  # fmt: skip
def test_messages_become_templates_only_where_label_or_limit_appear(
    message, field, limits, template
):
    assert templatize(message, field, limits) == template


def test_cleanup_deletes_what_calibration_created(runner, tmp_path):
    ledger = tmp_path / "ledger.jsonl"
    result = runner.invoke(
        main,
        ["calibrate", "--app", MOCK, "-o", str(tmp_path / "p.toml"), "--cleanup",
         "--ledger", str(ledger)],
    )  # fmt: skip
    no_delete = runner.invoke(
        main, ["calibrate", "--app", ALT, "-o", str(tmp_path / "a.toml"), "--cleanup"]
    )

    assert result.exit_code == 0, result.output
    created = ledger.read_text().splitlines()
    # The documented surface deletes configurations only: the senders stay.
    assert (
        f"cleanup: deleted 0 of {len(created)} created; deleted the configurations "
        f"of {len(created)} sender(s), which stay (the API documents no way to "
        "delete a sender)"
    ) in result.output
    assert len(created) > 10
    assert "nothing deleted" in no_delete.output

"""The shape of errors: how entries name their fields, and the 401's body.

Both are read off answers: the fields from the refusal of a nested input
(a blank `host`, a missing credential: its path and its own name differ), the
401 from one request sent without a token (only when calibration has one to
leave out).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from contracts.inputs.steps import Request
from contracts.tools.calibrate._mockside import Failure, profiled_mock

if TYPE_CHECKING:
    from contracts.tools.calibrate._findings import Findings
    from contracts.tools.calibrate._probe import Prober

_TYPENAME = Request({}, "{ __typename }", None, authenticated=False)


NESTED_REFUSALS = (
    (Failure.BLANK, "host"),
    (Failure.MISSING_CREDENTIAL, "password"),
    (Failure.MISSING_CREDENTIAL, "username"),
)
"""Refusals of a nested input, whose path and own name differ, in order."""


def learn_field_naming(findings: Findings) -> None:
    """`errors.field_key` and `errors.field_names`, from a nested input's refusal."""
    refusals = [
        s
        for failure, name in NESTED_REFUSALS
        for s in findings.seen
        if s.failure is failure and s.field == name
    ]
    if not refusals:
        for key in ("errors.field_key", "errors.field_names"):
            findings.skip(key, "not observed: no nested input was refused")
        return
    answer, nested = refusals[0].answer, f"smtpConfiguration.{refusals[0].field}"
    extensions = answer.extensions
    named: Any = extensions.get("fields", extensions.get("field"))
    if "fields" in extensions and isinstance(named, list):
        key, names = "fields", [str(name) for name in named]
    elif isinstance(named, str):
        key, names = "field", [named]
    elif not named:
        findings.pin("errors.field_key", "none", answer, "no field named")
        findings.skip("errors.field_names", "not used: no field is named")
        return
    else:
        findings.skip("errors.field_key", f"ambiguous: extensions {extensions}")
        findings.skip("errors.field_names", "errors.field_key not calibrated")
        return
    findings.pin("errors.field_key", key, answer, f"{key}: {names}")
    if nested in names:
        findings.pin("errors.field_names", "path", answer, f"{key}: {names}")
    elif nested.rsplit(".", 1)[-1] in names:
        findings.pin("errors.field_names", "leaf", answer, f"{key}: {names}")
    else:
        findings.skip(
            "errors.field_names", f"neither the path nor the name of {nested}: {names}"
        )


def learn_unauthenticated(prober: Prober, findings: Findings) -> None:
    """The body of the 401 a request without a token gets."""
    if not prober.target.token:
        findings.skip(
            "auth.body",
            "not probed: no token was given, so no request can go without one",
        )
        return
    answer = prober.send_request(_TYPENAME)
    status = answer.exchange.status
    if status != 401:
        findings.skip("auth.body", f"the target answered HTTP {status} without a token")
        return
    body = answer.exchange.body
    if body == _mock_body():
        findings.pin("auth.body", "mock", answer, "the mock's own 401 body")
        return
    entries = answer.entries
    if len(entries) == 1 and entries[0][0]:
        code, message = entries[0]
        findings.pin("auth.body", "graphql", answer, f"HTTP 401 {code} {message!r}")
        rule = {"code": code, "message": message}
        findings.pin(f"errors.{Failure.UNAUTHENTICATED}", rule, answer)
        return
    findings.skip("auth.body", f"neither shape: {answer.exchange.text[:200]!r}")


def _mock_body() -> Any:
    # The mock's own 401, asked of the mock itself rather than retyped.
    from contracts.tools.calibrate._mockside import DEFAULT_PROFILE

    mock = profiled_mock(DEFAULT_PROFILE, token="calibrate-probe")
    try:
        return mock.post(_TYPENAME.payload(), authenticated=False).body
    finally:
        mock.close()

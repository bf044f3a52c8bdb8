"""The reference pages generated from the code, so that they cannot drift (#29).

Each page is written from the data the code itself runs on: the clause
registry, the behaviour profile's dataclasses and enums (with the comments
beside each value), the limits, the pytest plugin's options, the mutants, and
the error codes found where the code raises them. `docs/_hooks.py` adds them to
the site; `tests/docs` checks them against the built HTML.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from collections.abc import Iterator

ROOT = Path(__file__).resolve().parents[1]


def clauses_page() -> str:
    """Every clause of `contracts/clauses.py`, tier by tier."""
    from contracts import clauses

    lines = [
        "# Clause catalogue",
        "",
        "Generated from `contracts/clauses.py`: the registry every check, report",
        "and `smtp-contract clauses` reads. A failure names its clause by id.",
        "",
        *_tier_notes(clauses.__doc__ or ""),
    ]
    for tier in clauses.Tier:
        chosen = [item for item in clauses.CLAUSES if item.tier is tier]
        lines += ["", f"## {tier.value.capitalize()} ({len(chosen)})", ""]
        lines += ["| Clause | Source | Statement |", "| --- | --- | --- |"]
        lines += [
            f"| `{item.id}` | {cell(item.source)} | {cell(item.statement)} |"
            for item in chosen
        ]
    return "\n".join(lines) + "\n"


def _tier_notes(docstring: str) -> list[str]:
    notes = docstring.split("Tiers:", 1)[-1].strip().splitlines()
    return [line.strip() if line.startswith("- ") else line for line in notes]


def cell(text: str) -> str:
    """Text for a table cell: pipes escaped, and `<` outside code spans."""
    parts = text.replace("|", "\\|").replace("\n", " ").split("`")
    return "`".join(
        part if index % 2 else part.replace("<", "&lt;")
        for index, part in enumerate(parts)
    )


def limits_table() -> str:
    """The mock's own limits on a request: name, default, code, what it counts.

    Defaults from `RequestLimits`, what each counts from the module docstring
    of `mock_server/graphql/limits.py`, where each is explained.
    """
    from mock_server.graphql import limits

    described = {
        name: (default, counts)
        for name, default, counts in re.findall(
            r"^- `(\w+)` \(([^)]*)\): (.+?); `MAX_",
            re.sub(r"\n  +", " ", limits.__doc__ or ""),
            flags=re.M,
        )
    }
    rows = [
        "| `--limit NAME=N` | Default | Code | Counts |",
        "| --- | --- | --- | --- |",
    ]
    for name, default in limits.RequestLimits().items():
        code = f"MAX_{name.upper()}_EXCEEDED"
        written, counts = described[name]
        # The docstring's own words after the number ("or twice what ...").
        more = written.partition(", ")[2]
        shown = f"{default:,}" + (f", {more}" if more else "")
        rows.append(f"| `{name}` | {shown} | `{code}` | {cell(counts)} |")
    return "\n".join(rows)


def pytest_options_table() -> str:
    """The pytest plugin's `--contract-*` options, as `add_options` declares them."""
    from contracts.pytest_options import add_options

    recorder = _OptionRecorder()
    add_options(recorder)  # type: ignore[arg-type]
    rows = ["| Option | Help |", "| --- | --- |"]
    rows += [f"| `{name}` | {cell(text)} |" for name, text in recorder.options]
    return "\n".join(rows)


class _OptionRecorder:
    """Stands in for pytest's parser and its option group: records the options."""

    def __init__(self) -> None:
        self.options: list[tuple[str, str]] = []

    def getgroup(self, *_: Any, **__: Any) -> _OptionRecorder:
        return self

    def addoption(self, *names: str, **settings: Any) -> None:
        self.options.append((" / ".join(names), str(settings.get("help", ""))))


def mutants_table() -> str:
    """The self-test's cases: the faithful mock, then each mutant."""
    from contracts.selftest import cases

    rows = ["| Case | Deviation | Must be |", "| --- | --- | --- |"]
    for index, case in enumerate(cases()):
        verdict = "passed" if index == 0 or case.equivalent else "caught"
        if case.clause is not None:
            verdict += f" (its tests first: `{case.clause}`)"
        rows.append(f"| `{case.name}` | {cell(case.deviation)} | {verdict} |")
    return "\n".join(rows)


# What each code means: the one part written by hand. `error_codes_page`
# refuses a code the code raises that is not here, and one here it never raises.
CODE_MEANINGS = {
    "RECORD_INVALID": "200, `data.<field>: null`: a field broke a rule "
    "(blank, invalid address, duplicate, credentials, lengths, port range).",
    "INVALID_INPUT": "200: a create without `smtpConfiguration`.",
    "RESOURCE_NOT_FOUND": "200: no SMTP configuration has the id sent.",
    "PERMISSION_DENIED": "200: a member's token, without manage access.",
    "UNAUTHENTICATED": '401, only under the profile\'s `auth.body = "graphql"` '
    "(the default 401 body has no code).",
    "BAD_REQUEST": "400: the body is no GraphQL request (not strict JSON, no "
    "`query` string, a batch of 0 or more than 20), or a request error: an "
    "unknown operation name, several operations and no name, a subscription.",
    "GRAPHQL_PARSE_FAILED": "Request error: a syntax error in the document.",
    "GRAPHQL_VALIDATION_FAILED": "Request error: an unknown field, a missing "
    "required argument, …",
    "BAD_USER_INPUT": "Request error: variables that do not fit their types "
    "(the value is never quoted; at most 50 entries).",
    "MAX_DEPTH_EXCEEDED": "Request error: fields nested deeper than the "
    "documented depth (introspection exempt).",
    "MAX_COMPLEXITY_EXCEEDED": "Request error: an operation costlier than the "
    "documented complexity.",
    "MAX_TOKENS_EXCEEDED": "Request error: over the `tokens` limit.",
    "MAX_DIRECTIVES_EXCEEDED": "Request error: over the `directives` limit.",
    "MAX_REPEATS_EXCEEDED": "Request error: over the `repeats` limit.",
    "MAX_SPREADS_EXCEEDED": "Request error: over the `spreads` limit.",
    "MAX_OPERATIONS_EXCEEDED": "Request error: over the `operations` limit.",
    "MAX_MUTATIONS_EXCEEDED": "Request error: over the `mutations` limit.",
    "MAX_INTROSPECTION_EXCEEDED": "Request error: over the `introspection` limit.",
    "METHOD_NOT_ALLOWED": "405: a mutation sent with `GET` (`Allow: POST`), or "
    "`PUT`, `PATCH`, `DELETE`, ….",
    "UNSUPPORTED_MEDIA_TYPE": "415: a `Content-Type` other than `application/json`.",
    "PAYLOAD_TOO_LARGE": "413: a body over 1 MiB.",
    "FORBIDDEN_HOST": "403: a `Host` header the mock does not serve "
    "([Security](../guides/security.md)).",
    "FORBIDDEN_ORIGIN": "403: a browser `Origin` not allowed, preflight or not.",
    "NOT_FOUND": "404: `/__mock/*` (but health) under `--no-admin`.",
    "SERVICE_UNAVAILABLE": "503 with `Retry-After: 1`: the store cannot be "
    "reached; the mock recovers by itself.",
    "UPSTREAM_UNAVAILABLE": "200, the forwarded field null: `--upstream` "
    "unreachable, slow or not GraphQL.",
    "INTERNAL_SERVER_ERROR": "200, the field null: a bug in the mock (the "
    "traceback goes to the log only).",
    "FAULT_INJECTED": "A 5xx answer of a fault-injection rule.",
    "RATE_LIMITED": "A 429 answer of a fault-injection rule.",
}
_CODE = re.compile(r"^[A-Z]+(?:_[A-Z]+)+$")
_REQUEST_ERROR_NOTE = (
    "A *request error* is answered with HTTP 200 in `application/json` (the "
    "profile's `http.request_errors` may choose a 4xx) and 400 in "
    "`application/graphql-response+json`, with no `data`."
)


def error_codes_page() -> str:
    """Every `extensions.code` the mock answers, and the modules that raise it.

    Raises:
        ValueError: a code raised in the code has no meaning here, or the
            other way round.
    """
    found = error_codes(ROOT / "mock_server")
    missing = sorted(set(found) - set(CODE_MEANINGS))
    stale = sorted(set(CODE_MEANINGS) - set(found))
    if missing or stale:
        raise ValueError(
            f"error codes: undocumented {missing}, documented but unused {stale}"
        )
    lines = [
        "# Error codes",
        "",
        "Generated from the mock's source: every `extensions.code` it can answer,",
        "found where the code raises it. The guide documents no code: these are",
        "the mock's, and a calibrated profile may rename the domain ones.",
        "",
        _REQUEST_ERROR_NOTE,
        "",
        "| Code | When | Raised in |",
        "| --- | --- | --- |",
    ]
    for code, meaning in CODE_MEANINGS.items():
        modules = ", ".join(f"`{module}`" for module in sorted(found[code]))
        lines.append(f"| `{code}` | {meaning} | {modules} |")
    return "\n".join(lines) + "\n"


def error_codes(package: Path) -> dict[str, set[str]]:
    """Each error code in a package's source, with the modules it appears in.

    A code is an upper-case string in a place that holds one: a `*_CODE`,
    `code` or similar constant, a `code=`/`default_code=` argument, a
    `"code":` entry, or a positional argument of a call (`_Refused(413, …,
    "PAYLOAD_TOO_LARGE")`); plus the codes of the default profile.
    """
    from mock_server.domain.profile import DEFAULT_PROFILE

    found: dict[str, set[str]] = {}
    for path in sorted(package.rglob("*.py")):
        module = path.relative_to(ROOT).as_posix()
        for code in _codes_in(ast.parse(path.read_text(encoding="utf-8"))):
            found.setdefault(code, set()).add(module)
    for rule in DEFAULT_PROFILE.errors.values():
        found.setdefault(rule.code, set()).add("mock_server/domain/profile.py")
    return found


def _codes_in(tree: ast.AST) -> Iterator[str]:
    for node in ast.walk(tree):
        for value in _code_places(node):
            yield from (
                text
                for text in _strings(value)
                if _CODE.match(text) and not text.startswith("SMTP_")
            )


def _code_places(node: ast.AST) -> Iterator[ast.AST]:
    if isinstance(node, ast.Assign):
        names = [t.id for t in node.targets if isinstance(t, ast.Name)]
        if any(n == "code" or n.endswith(("_CODE", "_FAILED")) for n in names):
            yield node.value
        if any(n.isupper() and n == _const(node.value) for n in names):
            yield node.value
    elif isinstance(node, ast.keyword) and (node.arg or "").endswith("code"):
        yield node.value
    elif isinstance(node, ast.Dict):
        yield from (
            v
            for k, v in zip(node.keys, node.values, strict=True)
            if _const(k) == "code"
        )
    elif isinstance(node, ast.Call):
        yield from (arg for arg in node.args if isinstance(arg, ast.Constant))


def _const(node: ast.AST | None) -> object:
    return node.value if isinstance(node, ast.Constant) else None


def _strings(node: ast.AST) -> Iterator[str]:
    for child in ast.walk(node):
        if isinstance(child, ast.Constant) and isinstance(child.value, str):
            yield child.value

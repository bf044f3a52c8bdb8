"""Which addresses are valid: a family of rules, and the classes a target departs on.

A profile names a family (`EmailSyntax`: `any`, `lenient`, `html5`, `strict`)
and, in `email_classes`, the classes of address where the target decides
otherwise (`"local_consecutive_dots" = "accept"` under `strict`). An address
belongs to every class whose feature it shows (`classes_of`). A class refused
refuses it; a class accepted is taken out of it (`neutralized`: `a..b` becomes
`a.b`) before the family judges what is left; a structural class accepted
(no `@`, several, an empty side) leaves nothing for a family to judge.
Without classes the family alone decides, exactly as it always has.
"""

from __future__ import annotations

import re
from enum import StrEnum
from typing import TYPE_CHECKING

from mock_server.domain.email_syntax import is_valid_email
from mock_server.domain.profile_choices import EmailSyntax, Verdict

if TYPE_CHECKING:
    from collections.abc import Callable, Mapping


class EmailClass(StrEnum):
    """A feature an address may show, judged on its own by a target."""

    NO_AT = "no_at"  # plain-address
    SEVERAL_AT = "several_at"  # a@b@example.com
    EMPTY_LOCAL = "empty_local"  # @example.com
    EMPTY_DOMAIN = "empty_domain"  # a@
    SPACES = "spaces"  # a b@example.com
    LOCAL_CONSECUTIVE_DOTS = "local_consecutive_dots"  # a..b@example.com
    LOCAL_EDGE_DOT = "local_edge_dot"  # .a@example.com, a.@example.com
    LOCAL_SPECIALS = "local_specials"  # a!b#c@example.com (RFC 5322 atext)
    QUOTED_LOCAL = "quoted_local"  # "a"@example.com
    LOCAL_NON_ASCII = "local_non_ascii"  # ü@example.com
    LOCAL_TOO_LONG = "local_too_long"  # more than 64 characters before the @
    DOMAIN_NO_DOT = "domain_no_dot"  # a@localhost
    DOMAIN_EMPTY_LABEL = "domain_empty_label"  # a@example..com, a@.example.com
    DOMAIN_TRAILING_DOT = "domain_trailing_dot"  # a@example.com.
    DOMAIN_HYPHEN_EDGE = "domain_hyphen_edge"  # a@-dash.example.com
    DOMAIN_UNDERSCORE = "domain_underscore"  # a@under_score.example.com
    DOMAIN_LITERAL = "domain_literal"  # a@[192.0.2.1]
    DOMAIN_NON_ASCII = "domain_non_ascii"  # a@bücher.example
    DOMAIN_LABEL_TOO_LONG = "domain_label_too_long"  # a label over 63 characters
    TLD_DIGIT = "tld_digit"  # a@example.123, a@example.c0m
    TLD_SHORT = "tld_short"  # a@example.c


STRUCTURAL = frozenset(
    {
        EmailClass.NO_AT,
        EmailClass.SEVERAL_AT,
        EmailClass.EMPTY_LOCAL,
        EmailClass.EMPTY_DOMAIN,
    }
)
"""Classes that leave no local part and domain for a family to judge."""

LOCAL_MAX = 64
LABEL_MAX = 63
SPECIALS = "!#$%&'*/=?^`{|}~"
"""Characters RFC 5322 allows before the @ that simple patterns refuse."""

# The WHATWG HTML "valid e-mail address" pattern (<input type=email>).
_HTML5 = re.compile(
    r"[a-zA-Z0-9.!#$%&'*+/=?^_`{|}~-]+@[a-zA-Z0-9](?:[a-zA-Z0-9-]{0,61}[a-zA-Z0-9])?"
    r"(?:\.[a-zA-Z0-9](?:[a-zA-Z0-9-]{0,61}[a-zA-Z0-9])?)*"
)
_NO_SPECIALS = str.maketrans(dict.fromkeys(SPECIALS, "x"))


def family_accepts(address: str, syntax: EmailSyntax) -> bool:
    """Whether a family's own rule accepts an address."""
    if syntax is EmailSyntax.ANY:
        return bool(address.strip())
    if syntax is EmailSyntax.LENIENT:
        local, at, domain = address.rpartition("@")
        return bool(at and local and domain and "@" not in local)
    if syntax is EmailSyntax.HTML5:
        return _HTML5.fullmatch(address) is not None
    return is_valid_email(address)


def address_is_valid(
    address: str, syntax: EmailSyntax, classes: Mapping[EmailClass, Verdict]
) -> bool:
    """Whether an address is valid under a family and its departures."""
    if not classes:
        return family_accepts(address, syntax)
    present = classes_of(address)
    verdicts = [classes[c] for c in present if c in classes]
    if Verdict.REFUSE in verdicts:
        return False
    accepted = [c for c in present if classes.get(c) is Verdict.ACCEPT]
    if STRUCTURAL.intersection(accepted):
        return bool(address.strip())
    for found in accepted:
        address = neutralized(address, found)
    return family_accepts(address, syntax)


def split(address: str) -> tuple[str, str] | None:
    """Local part and domain, or None without exactly one @ (a quoted part aside)."""
    if address.startswith('"'):
        end = address.find('"@', 1)
        if end > 0 and "@" not in address[end + 2 :]:
            return address[: end + 1], address[end + 2 :]
    local, at, domain = address.partition("@")
    if not at or "@" in domain:
        return None
    return local, domain


def classes_of(address: str) -> list[EmailClass]:
    """Every class whose feature the address shows, in `EmailClass` order."""
    found: list[EmailClass] = []
    parts = split(address)
    if parts is None:
        found.append(EmailClass.SEVERAL_AT if "@" in address else EmailClass.NO_AT)
    if any(c.isspace() for c in address):
        found.append(EmailClass.SPACES)
    if parts is None:
        return found
    local, domain = parts
    found += _local_classes(local)
    if not domain:
        found.append(EmailClass.EMPTY_DOMAIN)
    elif domain.startswith("[") and domain.endswith("]"):
        found.append(EmailClass.DOMAIN_LITERAL)
    else:
        found += _domain_classes(domain)
    return sorted(found, key=list(EmailClass).index)


def _local_classes(local: str) -> list[EmailClass]:
    if not local:
        return [EmailClass.EMPTY_LOCAL]
    found = []
    if len(local) >= 2 and local[0] == local[-1] == '"':
        found.append(EmailClass.QUOTED_LOCAL)
    else:
        if ".." in local:
            found.append(EmailClass.LOCAL_CONSECUTIVE_DOTS)
        if local.startswith(".") or local.endswith("."):
            found.append(EmailClass.LOCAL_EDGE_DOT)
        if any(c in SPECIALS for c in local):
            found.append(EmailClass.LOCAL_SPECIALS)
    if not local.isascii():
        found.append(EmailClass.LOCAL_NON_ASCII)
    if len(local) > LOCAL_MAX:
        found.append(EmailClass.LOCAL_TOO_LONG)
    return found


def _domain_classes(domain: str) -> list[EmailClass]:
    found = []
    labels = domain.split(".")
    if domain.endswith("."):
        found.append(EmailClass.DOMAIN_TRAILING_DOT)
        labels = labels[:-1]
    if "" in labels:
        found.append(EmailClass.DOMAIN_EMPTY_LABEL)
    labels = [label for label in labels if label]
    if len(labels) < 2:
        found.append(EmailClass.DOMAIN_NO_DOT)
    if any(label.startswith("-") or label.endswith("-") for label in labels):
        found.append(EmailClass.DOMAIN_HYPHEN_EDGE)
    if "_" in domain:
        found.append(EmailClass.DOMAIN_UNDERSCORE)
    if not domain.isascii():
        found.append(EmailClass.DOMAIN_NON_ASCII)
    if any(len(label) > LABEL_MAX for label in labels):
        found.append(EmailClass.DOMAIN_LABEL_TOO_LONG)
    if len(labels) >= 2:
        tld = labels[-1]
        if any(c.isdigit() for c in tld):
            found.append(EmailClass.TLD_DIGIT)
        if len(tld) == 1:
            found.append(EmailClass.TLD_SHORT)
    return found


def neutralized(address: str, feature: EmailClass) -> str:
    """The address without one class's feature (`a..b@x.io` -> `a.b@x.io`)."""
    if feature is EmailClass.SPACES:
        return "".join(address.split())
    parts = split(address)
    if parts is None:
        return address
    local, domain = parts
    if feature in _LOCAL_FIXES:
        return f"{_LOCAL_FIXES[feature](local)}@{domain}"
    if feature in _DOMAIN_FIXES:
        return f"{local}@{_DOMAIN_FIXES[feature](domain)}"
    return address


def _labels(domain: str, fix: Callable[[str], str]) -> str:
    return ".".join(fix(label) if label else label for label in domain.split("."))


def _tld(domain: str, fix: Callable[[str], str]) -> str:
    head, dot, tld = domain.rpartition(".")
    return f"{head}{dot}{fix(tld)}"


def _ascii(text: str) -> str:
    return "".join(c if c.isascii() else "x" for c in text)


_LOCAL_FIXES: dict[EmailClass, Callable[[str], str]] = {
    EmailClass.LOCAL_CONSECUTIVE_DOTS: lambda local: re.sub(r"\.{2,}", ".", local),
    EmailClass.LOCAL_EDGE_DOT: lambda local: local.strip(".") or "x",
    EmailClass.LOCAL_SPECIALS: lambda local: local.translate(_NO_SPECIALS),
    EmailClass.QUOTED_LOCAL: lambda _local: "quoted",
    EmailClass.LOCAL_NON_ASCII: _ascii,
    EmailClass.LOCAL_TOO_LONG: lambda local: local[:LOCAL_MAX],
}
_DOMAIN_FIXES: dict[EmailClass, Callable[[str], str]] = {
    EmailClass.DOMAIN_NO_DOT: lambda domain: domain.rstrip(".") + ".example",
    EmailClass.DOMAIN_EMPTY_LABEL: lambda domain: re.sub(r"\.{2,}", ".", domain).lstrip(
        "."
    ),
    EmailClass.DOMAIN_TRAILING_DOT: lambda domain: domain.rstrip("."),
    EmailClass.DOMAIN_HYPHEN_EDGE: lambda domain: _labels(
        domain, lambda label: label.strip("-") or "x"
    ),
    EmailClass.DOMAIN_UNDERSCORE: lambda domain: domain.replace("_", "x"),
    EmailClass.DOMAIN_LITERAL: lambda _domain: "literal.example",
    EmailClass.DOMAIN_NON_ASCII: _ascii,
    EmailClass.DOMAIN_LABEL_TOO_LONG: lambda domain: _labels(
        domain, lambda label: label[:LABEL_MAX]
    ),
    EmailClass.TLD_DIGIT: lambda domain: _tld(
        domain, lambda tld: re.sub(r"\d", "x", tld)
    ),
    EmailClass.TLD_SHORT: lambda domain: _tld(domain, lambda tld: tld + "x"),
}

"""Schema drift: the contract's SDL against a target's schema, completely.

`_walk` lists every difference (types, fields, arguments, input fields,
defaults, enum values, interfaces, union members, directives and their uses,
descriptions, deprecations); `_core` keeps graphql-core's grade for whatever
it classifies; `contracts.clause_coordinates` raises a change to an element
the guide documents to breaking, naming the clause it contradicts.
"""

from __future__ import annotations

from contracts.tools.drift._changes import Change, Severity
from contracts.tools.drift._compare import compare, contract_types, introspect
from contracts.tools.drift.reports import JSON_VERSION, as_json, junit_xml, table

__all__ = [
    "JSON_VERSION",
    "Change",
    "Severity",
    "as_json",
    "compare",
    "contract_types",
    "introspect",
    "junit_xml",
    "table",
]

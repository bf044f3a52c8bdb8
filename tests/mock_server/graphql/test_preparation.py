"""Query texts are read once and kept, the least recently used dropped first."""

from __future__ import annotations

from mock_server.graphql.limits import RequestLimits
from mock_server.graphql.preparation import Preparer
from tests.mock_server.graphql.differential import MOCK_SCHEMA

LIMITS = RequestLimits()


def preparer(cache_size: int) -> Preparer:
    return Preparer(
        MOCK_SCHEMA,
        limits=LIMITS,
        max_depth=10,
        max_complexity=1_000,
        cache_size=cache_size,
    )


def read(reader: Preparer, query: str):
    return reader.prepare(query, LIMITS.allowance(reader.introspection_limit))


def test_the_least_recently_used_text_is_read_again_once_the_cache_is_full():
    reader = preparer(cache_size=2)
    first, second, third = ("{ __typename }", "{ a: __typename }", "{ b: __typename }")

    kept = read(reader, first)
    dropped = read(reader, second)
    assert read(reader, first) is kept  # used again: now the most recent
    read(reader, third)  # over the size: `second` goes

    assert read(reader, first) is kept
    again = read(reader, second)
    assert again is not dropped
    assert again.document is not None
    assert again.errors == dropped.errors

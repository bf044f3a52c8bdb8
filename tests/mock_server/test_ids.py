from __future__ import annotations

import uuid

from mock_server.ids import IdFactory


def test_unseeded_ids_are_random_version_4():
    ids = IdFactory()
    values = {ids.new_id() for _ in range(100)}

    assert len(values) == 100
    assert all(uuid.UUID(value).version == 4 for value in values)


def test_seeded_ids_repeat_across_instances_and_restarts():
    first = IdFactory(5)
    sequence = [first.new_id() for _ in range(3)]

    assert [IdFactory(5).new_id() for _ in range(1)] == sequence[:1]
    first.restart()
    assert [first.new_id() for _ in range(3)] == sequence
    assert all(str(uuid.UUID(value)) == value for value in sequence)
    assert all(uuid.UUID(value).version == 4 for value in sequence)


def test_streams_and_seeds_are_independent():
    assert IdFactory(5, stream="a").new_id() != IdFactory(5, stream="b").new_id()
    assert IdFactory(5).new_id() != IdFactory(6).new_id()

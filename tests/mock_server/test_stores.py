from __future__ import annotations

import pytest

from mock_server import EmailTaken
from mock_server.domain import ConfigurationDraft, SenderDraft, build_sender
from mock_server.ids import IdFactory
from mock_server.stores import MemoryStore, Store

pytestmark = pytest.mark.anyio

IDS = IdFactory(1)


def sender(email="a@example.com", organization="org-1"):
    return build_sender(
        SenderDraft(
            sender_name="A",
            email_address=email,
            configuration=ConfigurationDraft(
                host="h", port=25, organization_id=organization, ip_relay_auth=True
            ),
        ),
        IDS,
    )


@pytest.fixture
def store() -> Store:
    return MemoryStore()


async def test_add_get_list_delete(store):
    first, other_org = sender(), sender(organization="org-2")
    await store.add(first)
    await store.add(other_org)

    assert await store.get(first.id) == first
    assert await store.get("missing") is None
    assert await store.list_by_organization("org-1") == [first]
    assert await store.list_all() == [first, other_org]
    assert await store.delete(first.id) is True
    assert await store.delete(first.id) is False
    assert await store.list_all() == [other_org]


async def test_uniqueness_is_per_organization_and_case_insensitive(store):
    await store.add(sender("a@example.com"))

    with pytest.raises(EmailTaken):
        await store.add(sender("A@EXAMPLE.com"))
    await store.add(sender("a@example.com", organization="org-2"))
    assert len(await store.list_all()) == 2


async def test_deleting_frees_the_address(store):
    first = sender()
    await store.add(first)
    await store.delete(first.id)

    await store.add(sender())


async def test_add_all_is_all_or_nothing(store):
    await store.add(sender("taken@example.com"))

    with pytest.raises(EmailTaken) as caught:
        await store.add_all([sender("new@example.com"), sender("taken@example.com")])
    assert caught.value.problems[0].field == "smtpCustomEmails[1].emailAddress"
    with pytest.raises(EmailTaken):
        await store.add_all([sender("x@example.com"), sender("X@example.com")])

    assert [s.email_address for s in await store.list_all()] == ["taken@example.com"]
    await store.add_all([sender("new@example.com")])
    assert len(await store.list_all()) == 2


async def test_clear_empties_everything(store):
    await store.add(sender())
    await store.clear()

    assert await store.list_all() == []
    await store.add(sender())

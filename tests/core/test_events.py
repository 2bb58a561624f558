import pytest
from asgiref.sync import async_to_sync
from channels.layers import get_channel_layer
from django.db import transaction

from core.events import group_name, publish_on_commit


def _subscribe(group):
    layer = get_channel_layer()
    channel = async_to_sync(layer.new_channel)()
    async_to_sync(layer.group_add)(group, channel)
    return layer, channel


def _receive(layer, channel, timeout=2.0):
    import asyncio

    async def receive():
        return await asyncio.wait_for(layer.receive(channel), timeout)

    return async_to_sync(receive)()


@pytest.mark.django_db(transaction=True)
def test_event_is_sent_once_the_transaction_commits():
    group = group_name("test", "commit")
    layer, channel = _subscribe(group)
    with transaction.atomic():
        publish_on_commit(group, {"type": "post.created", "id": 7})
    assert _receive(layer, channel) == {"type": "post.created", "id": 7}


@pytest.mark.django_db(transaction=True)
def test_no_event_is_sent_when_the_transaction_rolls_back():
    group = group_name("test", "rollback")
    layer, channel = _subscribe(group)

    class Boom(Exception):
        pass

    with pytest.raises(Boom), transaction.atomic():
        publish_on_commit(group, {"type": "post.created", "id": 8})
        raise Boom
    publish_on_commit(group, {"type": "marker"})  # outside a transaction: sent at once
    assert _receive(layer, channel) == {"type": "marker"}


def test_group_names_are_made_safe_for_the_channel_layer():
    assert group_name("forum", 3, "mod") == "forum.3.mod"
    assert group_name("user", "a b/c") == "user.a-b-c"
    with pytest.raises(ValueError):
        group_name("x" * 200)


def test_an_event_without_a_type_is_a_programming_error():
    with pytest.raises(ValueError):
        publish_on_commit("g", {"id": 1})

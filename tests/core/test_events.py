import asyncio

import pytest
from channels.db import database_sync_to_async as sync_to_async
from channels.layers import get_channel_layer
from django.db import transaction
from django.test import TestCase

import core.events
from core.events import group_name, publish_on_commit


class Boom(Exception):
    pass


async def _subscribe(group):
    layer = get_channel_layer()
    channel = await layer.new_channel()
    await layer.group_add(group, channel)
    return layer, channel


def _commit(group, event):
    with transaction.atomic():
        publish_on_commit(group, event)


def _roll_back(group, event):
    try:
        with transaction.atomic():
            publish_on_commit(group, event)
            raise Boom
    except Boom:
        pass
    publish_on_commit(group, {"type": "marker"})  # outside a transaction: sent at once


@pytest.mark.asyncio
@pytest.mark.django_db(transaction=True)
async def test_event_is_sent_once_the_transaction_commits():
    group = group_name("test", "commit")
    layer, channel = await _subscribe(group)
    await sync_to_async(_commit)(group, {"type": "post.created", "id": 7})
    assert await asyncio.wait_for(layer.receive(channel), 5) == {"type": "post.created", "id": 7}


@pytest.mark.asyncio
@pytest.mark.django_db(transaction=True)
async def test_no_event_is_sent_when_the_transaction_rolls_back():
    group = group_name("test", "rollback")
    layer, channel = await _subscribe(group)
    await sync_to_async(_roll_back)(group, {"type": "post.created", "id": 8})
    # The first thing to arrive is the marker: the rolled-back event was never sent.
    assert await asyncio.wait_for(layer.receive(channel), 5) == {"type": "marker"}


def test_group_names_are_made_safe_for_the_channel_layer():
    assert group_name("forum", 3, "mod") == "forum.3.mod"
    assert group_name("user", "a b/c") == "user.a-b-c"
    with pytest.raises(ValueError):
        group_name("x" * 200)


def test_an_event_without_a_type_is_a_programming_error():
    with pytest.raises(ValueError):
        publish_on_commit("g", {"id": 1})


@pytest.mark.django_db(transaction=True)
def test_events_leave_before_the_commits_other_work_and_in_their_own_order(monkeypatch):
    sent = []
    monkeypatch.setattr(core.events, "send_now", lambda group, event: sent.append(event["n"]))
    with transaction.atomic():
        transaction.on_commit(lambda: sent.append("page cache"))  # registered first, by a save
        publish_on_commit("g", {"type": "post.created", "n": 1})
        transaction.on_commit(lambda: sent.append("mail"))
        publish_on_commit("g", {"type": "post.created", "n": 2})
    assert sent == [1, 2, "page cache", "mail"]


@pytest.mark.django_db(transaction=True)
def test_an_event_of_a_rolled_back_savepoint_is_still_dropped(monkeypatch):
    sent = []
    monkeypatch.setattr(core.events, "send_now", lambda group, event: sent.append(event["n"]))
    with transaction.atomic():
        transaction.on_commit(lambda: sent.append("page cache"))
        publish_on_commit("g", {"type": "post.created", "n": 1})
        try:
            with transaction.atomic():
                publish_on_commit("g", {"type": "post.created", "n": 2})
                raise Boom
        except Boom:
            pass
        publish_on_commit("g", {"type": "post.created", "n": 3})
    assert sent == [1, 3, "page cache"]


@pytest.mark.django_db(transaction=True)
def test_an_event_stays_behind_the_callbacks_of_a_block_that_ended_before_it(monkeypatch):
    sent = []
    monkeypatch.setattr(core.events, "send_now", lambda group, event: sent.append(event["n"]))
    with transaction.atomic():
        with transaction.atomic():
            transaction.on_commit(lambda: sent.append("earlier block"))
        with transaction.atomic():
            transaction.on_commit(lambda: sent.append("page cache"))
            publish_on_commit("g", {"type": "post.created", "n": 1})
    assert sent == ["earlier block", 1, "page cache"]


def test_a_test_capturing_the_commits_callbacks_still_gets_the_event(db, monkeypatch):
    # TestCase.captureOnCommitCallbacks takes the callbacks registered after it began; the
    # event must not move ahead of where it began (the leak matrix's live phase does this).
    sent = []
    monkeypatch.setattr(core.events, "send_now", lambda group, event: sent.append(event["n"]))
    with transaction.atomic():
        transaction.on_commit(lambda: sent.append("before the capture"))
    with TestCase.captureOnCommitCallbacks(execute=True) as captured:
        with transaction.atomic():
            transaction.on_commit(lambda: sent.append("page cache"))
            publish_on_commit("g", {"type": "post.created", "n": 1})
    assert sent == [1, "page cache"] and len(captured) == 2

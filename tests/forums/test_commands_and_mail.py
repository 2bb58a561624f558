"""The cron commands, and forum e-mail in the recipient's language."""

import pytest
from django.core.management import call_command

from core.moderation import ModerationStatus
from forums import services
from forums.models import ForumEvent, ModerationMode

from .factories import make_group, make_moderator, make_participant, make_post, make_thread

pytestmark = pytest.mark.django_db(transaction=True)


def test_rounds_command_announces_an_opened_round(capsys):
    group = make_group(state="open")
    call_command("forums_rounds")
    assert group.theme in capsys.readouterr().out
    assert ForumEvent.objects.get(group=group).type == "round.opened"


def test_digest_command_reports_what_it_sent(capsys, outbox):
    group = make_group()
    reader = make_participant(group.forum)
    services.notification_settings_update(user=reader, replies=True, moderation=True, digest=True)
    make_thread(group)
    call_command("forums_digest")
    assert "Forum digests sent: 1" in capsys.readouterr().out
    assert outbox[0].to == [reader.email]


def test_a_rejection_reaches_a_chinese_reader_in_chinese(outbox):
    group = make_group(mode=ModerationMode.PRE)
    author = make_participant(group.forum, preferred_language="zh-hans")
    post = make_post(make_thread(group), author, status=ModerationStatus.PENDING, body="原文")
    services.post_reject(
        post=post, actor=make_moderator(group), reason_code="off_topic", reason="请在第二组讨论。"
    )
    message = outbox[0]
    assert "您的帖子未予发布" in message.subject
    assert (
        "偏离主题" in message.body and "请在第二组讨论。" in message.body and "原文" in message.body
    )
    assert "/zh-hans/forums/" in message.body

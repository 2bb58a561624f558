import pytest
from django.core import mail

from forums.models import ModerationMode

from .factories import make_group, make_moderator, make_participant, make_thread


@pytest.fixture
def open_group(db):
    return make_group(state="open", mode=ModerationMode.POST)


@pytest.fixture
def premod_group(db):
    return make_group(state="open", mode=ModerationMode.PRE)


@pytest.fixture
def moderator(open_group):
    return make_moderator(open_group, email="mod@example.org")


@pytest.fixture
def participant(open_group):
    return make_participant(open_group.forum, email="p@example.org")


@pytest.fixture
def thread(open_group, participant):
    return make_thread(open_group, participant, title="Access and Article 23")


@pytest.fixture
def outbox():
    mail.outbox.clear()
    return mail.outbox

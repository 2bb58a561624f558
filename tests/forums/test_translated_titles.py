"""A forum's title and a group's theme show in the reader's language where a translation is
given, and as written where none is."""

import pytest
from django.core import mail

from forums.models import RegistrationStatus
from forums.services import registration_decide

from .factories import make_forum, make_group, make_moderator, make_participant

pytestmark = pytest.mark.django_db

TITLE = "Online forum on public access to biosafety information"
THEME = "Promoting public access to biosafety information"


@pytest.fixture
def group():
    forum = make_forum(
        title=TITLE,
        translations={"fr": {"title": "Forum en ligne sur l’accès du public à l’information"}},
    )
    return make_group(
        forum=forum,
        theme=THEME,
        translations={"ar": {"theme": "تعزيز حصول الجمهور على معلومات السلامة الأحيائية"}},
    )


def test_forum_pages_show_the_titles_in_the_readers_language(client, group):
    french = client.get("/fr/forums/").content.decode()
    assert "Forum en ligne sur l’accès du public à l’information" in french
    assert TITLE not in french
    assert THEME in french  # no French theme: as written

    arabic = client.get(f"/ar/forums/groups/{group.pk}/").content.decode()
    assert "تعزيز حصول الجمهور على معلومات السلامة الأحيائية" in arabic
    assert TITLE in arabic  # no Arabic title: as written (the breadcrumb)


def test_the_registration_mail_names_the_forum_in_the_recipients_language(
    group, django_capture_on_commit_callbacks
):
    forum = group.forum
    user = make_participant(
        forum, status=RegistrationStatus.PENDING, email="r@example.org", preferred_language="fr"
    )
    moderator = make_moderator(group)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        registration_decide(
            registration=forum.registrations.get(user=user), approve=True, actor=moderator
        )
    assert "Forum en ligne sur l’accès du public à l’information" in mail.outbox[-1].subject

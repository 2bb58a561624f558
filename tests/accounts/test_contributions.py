"""My contributions: one page listing a person's comments and forum posts, with what became
of each (issue 12, "What users expect")."""

import pytest
from django.urls import reverse

from core.moderation import ModerationStatus
from tests.consultations.factories import commenter, make_consultation, submit
from tests.forums.factories import make_group, make_post, make_thread

pytestmark = pytest.mark.django_db


def test_lists_own_comments_and_posts_with_their_state_and_reason(client, site_shell):
    me = commenter(display_name="Me")
    page = make_consultation(site_shell["home"], title="Maize decision")
    mine = submit(page, me, confidential=True, confidential_justification="CBI")
    someone_elses = submit(page, commenter())
    thread = make_thread(make_group(), me, title="Radio in rural areas")
    make_post(
        thread,
        me,
        status=ModerationStatus.REJECTED,
        moderation_reason_code="off_topic",
        moderation_reason="Not about access",
    )
    client.force_login(me)
    html = client.get(reverse("accounts:contributions")).content.decode()
    assert mine.reference in html and someone_elses.reference not in html
    assert "Maize decision" in html and "Confidential: never published" in html
    assert "Radio in rural areas" in html and "Not about access" in html


def test_query_count_does_not_grow_with_contributions(
    client, site_shell, django_assert_max_num_queries
):
    me = commenter()
    page = make_consultation(site_shell["home"])
    for _ in range(3):
        submit(page, me)
    client.force_login(me)
    url = reverse("accounts:contributions")
    client.get(url)
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as few:
        client.get(url)
    for _ in range(6):
        submit(page, me)
    with django_assert_max_num_queries(len(few)):
        client.get(url)

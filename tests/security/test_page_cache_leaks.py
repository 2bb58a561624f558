"""The page cache in the leak matrix (issue 16): a canary that anonymous readers may see is
warmed into the cache, then moderated, hidden, unpublished or made private; the next
anonymous reader must not find it. Each case also checks that the page was served from the
cache before the decision (the test would otherwise prove nothing).
"""

import pytest
from django.test import Client
from wagtail.models import PageViewRestriction

from consultations.services import comment_moderate
from forums import services as forum_services
from tests.consultations.factories import commenter, make_consultation, officer, submit
from tests.forums.factories import make_group, make_moderator, make_post, make_thread

pytestmark = pytest.mark.django_db


def _anonymous(url) -> tuple[str, str]:
    response = Client().get(url)
    return response.content.decode(), response.get("X-Page-Cache", "")


def _warm(url, canary):
    _anonymous(url)
    text, served = _anonymous(url)
    assert served == "hit" and canary in text, "the canary was not in the cached page"


@pytest.fixture
def consultation(site_shell):
    return make_consultation(
        site_shell["home"], state="open", moderation_mode="post", title="Canary consultation"
    )


def test_hidden_comment_leaves_the_cached_consultation_page(consultation):
    comment = submit(consultation, commenter(), body="<p>CANARY-comment-hidden</p>")
    assert comment.is_published
    _warm(consultation.url, "CANARY-comment-hidden")
    comment_moderate(comment=comment, actor=officer(), to_status="hidden", reason="Abuse")
    text, _ = _anonymous(consultation.url)
    assert "CANARY-comment-hidden" not in text


def test_hidden_comment_leaves_the_cached_translation_too(consultation):
    from tests.consultations.factories import translate

    chinese = translate(consultation)
    comment = submit(consultation, commenter(), body="<p>CANARY-comment-zh</p>")
    _warm(chinese.url, "CANARY-comment-zh")
    comment_moderate(comment=comment, actor=officer(), to_status="hidden", reason="Abuse")
    text, _ = _anonymous(chinese.url)
    assert "CANARY-comment-zh" not in text


def test_unpublished_consultation_leaves_the_cache_and_its_listings(consultation, site_shell):
    index = consultation.get_parent()
    _warm(consultation.url, "Canary consultation")
    _warm(index.url, "Canary consultation")
    consultation.unpublish()
    text, _ = _anonymous(consultation.url)
    assert "Canary consultation" not in text
    text, _ = _anonymous(index.url)
    assert "Canary consultation" not in text


def test_page_made_private_is_no_longer_served_to_anonymous(consultation):
    _warm(consultation.url, "Canary consultation")
    PageViewRestriction.objects.create(
        page=consultation, restriction_type=PageViewRestriction.PASSWORD, password="s3cret"
    )
    response = Client().get(consultation.url)
    assert "X-Page-Cache" not in response
    assert "Canary consultation" not in response.content.decode() or response.status_code != 200


def test_hidden_post_leaves_the_cached_thread_and_group_pages(db):
    group = make_group(state="open")
    moderator = make_moderator(group)
    thread = make_thread(group, title="CANARY-thread-title")
    post = make_post(thread, body="CANARY-post-hidden")
    _warm(thread.get_absolute_url(), "CANARY-post-hidden")
    _warm(group.get_absolute_url(), "CANARY-thread-title")
    forum_services.post_hide(post=post, actor=moderator, reason="Off topic")
    text, _ = _anonymous(thread.get_absolute_url())
    assert "CANARY-post-hidden" not in text
    # The group page's counts changed too: it is rendered again.
    _, served = _anonymous(group.get_absolute_url())
    assert served != "hit"

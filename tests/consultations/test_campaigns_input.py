"""Bad input around campaigns (issue 15): odd comments sent through the real form are stored
and placed without an error, and the officers' campaign forms refuse what they cannot use
with a message, changing nothing and keeping what the officer typed. The officers' screens
cost the same number of queries whatever the size of the campaigns."""

import uuid

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from consultations.models import Campaign, Comment

from . import campaign_texts as T
from .factories import commenter, make_consultation, officer

pytestmark = pytest.mark.django_db

TWENTY_THOUSAND = ("Labelling must be mandatory for maize MON 89034. " * 410)[:20_000]


@pytest.fixture
def page(home):
    return make_consultation(home, state="open", moderation_mode="post")


@pytest.fixture
def post(page, django_capture_on_commit_callbacks):
    """Send a comment through the public form as a new commenter (a browser of its own, so
    an officer's session in `client` stays); placement runs after the request's commit, as
    in production."""

    def _post(body, *, target=page):
        client = Client()
        client.force_login(commenter())
        with django_capture_on_commit_callbacks(execute=True):
            response = client.post(
                reverse("consultations:comment_create", args=[target.pk]),
                {"token": str(uuid.uuid4()), "section": "", "body": body},
            )
        return response

    return _post


@pytest.mark.parametrize(
    ("body", "groups"),
    [
        ("a", True),
        (TWENTY_THOUSAND, True),
        ("?!… —— ！？。…「」", False),  # no word: stored, never grouped
        ("Maize 玉米 MON 89034 风险 risk тест خطر", True),
    ],
    ids=["one character", "20,000 characters", "only punctuation", "mixed scripts"],
)
def test_odd_comments_sent_through_the_form_are_stored_and_placed(post, body, groups):
    first, second = post(body), post(body)
    assert first.status_code == second.status_code == 302
    stored = list(Comment.objects.order_by("sequence"))
    assert len(stored) == 2
    if groups:
        assert stored[0].campaign_id == stored[1].campaign_id is not None
    else:
        assert stored[0].campaign_id is None and stored[1].campaign_id is None
        assert not Campaign.objects.exists()


def test_a_twenty_thousand_character_copy_with_an_addition_is_grouped_and_its_addition_found(
    post,
):
    post(TWENTY_THOUSAND)
    post(TWENTY_THOUSAND)
    added = "In our district the labels are printed too small to read."
    post(TWENTY_THOUSAND[: 20_000 - len(added) - 1] + "\n" + added)
    last = Comment.objects.order_by("sequence").last()
    assert last.campaign_id is not None and added in last.campaign_added_text


@pytest.fixture
def two_campaigns(post, page):
    for body in (T.LETTER_EN, T.GREETING_CHANGED_EN, T.SENTENCE_ADDED_EN):
        post(body)
    for body in (T.LETTER_ZH, T.GREETING_CHANGED_ZH):
        post(body)
    english, chinese = Campaign.objects.order_by("number")
    return english, chinese


@pytest.fixture
def officer_client(client):
    client.force_login(officer())
    return client


@pytest.mark.parametrize("into", ["", "abc", "-1", "999999", "1.5", "self", "other"])
def test_merging_into_a_campaign_that_cannot_be_used_is_refused_and_changes_nothing(
    officer_client, two_campaigns, home, post, into
):
    english, chinese = two_campaigns
    if into == "self":
        into = str(english.pk)
    elif into == "other":  # a campaign of another consultation
        elsewhere = make_consultation(home, state="open", moderation_mode="post")
        post(T.LETTER_EN, target=elsewhere)
        post(T.LETTER_EN, target=elsewhere)
        into = str(Campaign.objects.get(consultation=elsewhere).pk)
    response = officer_client.post(
        reverse("consultations:campaign_merge", args=[english.pk]), {"merge-into": into}
    )
    assert response.status_code == 400
    assert 'class="errorlist' in response.content.decode()
    english.refresh_from_db()
    assert english.merged_into_id is None and english.size == 3
    assert Comment.objects.filter(campaign=english).count() == 3


def test_a_reason_too_long_is_refused_and_the_typed_reason_is_kept(officer_client, two_campaigns):
    english, _chinese = two_campaigns
    reason = "Not a campaign: " + "these people wrote alike by chance. " * 60
    response = officer_client.post(
        reverse("consultations:campaign_dismiss", args=[english.pk]), {"dismiss-reason": reason}
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert "at most 2000 characters" in html
    assert "these people wrote alike by chance." in html  # nothing typed is lost
    english.refresh_from_db()
    assert not english.dismissed


@pytest.mark.parametrize("number", ["abc", "-3", "0", "99999", "1e9", "%00"])
def test_a_bad_page_number_on_a_campaign_shows_a_page_of_members(
    officer_client, two_campaigns, number
):
    english, _chinese = two_campaigns
    response = officer_client.get(
        reverse("consultations:campaign", args=[english.pk]), {"page": number}
    )
    assert response.status_code == 200
    assert "campaign-member" in response.content.decode()


def test_splitting_a_comment_that_is_in_no_campaign_says_so_and_changes_nothing(
    officer_client, post, page
):
    post(T.SAME_SUBJECT_EN)
    alone = Comment.objects.get()
    response = officer_client.post(
        reverse("consultations:campaign_split", args=[alone.pk]), {"split-reason": ""}, follow=True
    )
    assert response.status_code == 200
    assert f"{alone.reference} is not in a campaign." in response.content.decode()
    alone.refresh_from_db()
    assert alone.campaign_id is None and not alone.campaign_excluded


def test_an_unknown_campaign_or_comment_is_not_found(officer_client):
    assert officer_client.get(reverse("consultations:campaign", args=[987654])).status_code == 404
    split = reverse("consultations:campaign_split", args=[987654])
    assert officer_client.post(split, {"split-reason": ""}).status_code == 404


def _grow(post, count):
    """`count` more copies of each letter."""
    for index in range(count):
        post(T.GREETING_CHANGED_EN.replace("Pedro Alvarez", f"Sender {index}"))
        post(T.GREETING_CHANGED_ZH.replace("李娜", f"王{index}"))


def test_campaign_screens_cost_the_same_queries_for_small_and_large_campaigns(
    officer_client, two_campaigns, post, page
):
    english, _chinese = two_campaigns
    listing = reverse("consultations:campaigns", args=[page.pk])
    detail = reverse("consultations:campaign", args=[english.pk])
    officer_client.get(listing), officer_client.get(detail)  # the site's caches warmed
    counts = []
    for _round in range(2):
        with CaptureQueriesContext(connection) as listed:
            assert officer_client.get(listing).status_code == 200
        with CaptureQueriesContext(connection) as shown:
            assert officer_client.get(detail).status_code == 200
        counts.append((len(listed), len(shown)))
        if not _round:
            _grow(post, 6)
    assert Comment.objects.filter(campaign=english).count() == 9
    assert counts[0] == counts[1], counts

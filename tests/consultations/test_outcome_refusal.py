"""The outcome refusal names and links every comment that blocks it, and the officers'
"awaiting moderation" count, filter and the outcome check count the same comments
(issue 12, item 7)."""

import re

import pytest
from django.urls import reverse

from consultations.models import Comment
from consultations.services import consultation_close_now

from .factories import commenter, published_comment, submit

pytestmark = pytest.mark.django_db


@pytest.fixture
def blocked(consultation, officer_user):
    waiting = [submit(consultation, commenter()), submit(consultation, commenter())]
    secret = submit(consultation, commenter(), confidential=True, confidential_justification="CBI")
    answered_later = published_comment(consultation, commenter(), officer_user)
    consultation_close_now(consultation=consultation, actor=officer_user, reason="Decision due.")
    return {"waiting": waiting, "unanswered": [secret, answered_later]}


def test_refusal_links_each_blocking_comment_to_its_row(
    client, consultation, officer_user, blocked
):
    client.force_login(officer_user)
    response = client.post(
        reverse("consultations:outcome", args=[consultation.pk]),
        {
            "decision": "Approved.",
            "decision_date": "2026-11-20",
            "comments_taken_into_account": "x",
            "confirm": "1",
        },
    )
    assert response.status_code == 400
    html = response.content.decode()
    manage = reverse("consultations:manage", args=[consultation.pk])
    for comment in blocked["waiting"]:
        assert (
            f'<a href="{manage}?show=pending#row-{comment.reference}">'
            f"{comment.reference} still awaits moderation.</a>"
        ) in html
    for comment in blocked["unanswered"]:
        assert f'href="{manage}?show=unanswered#row-{comment.reference}"' in html
        assert f"{comment.reference} has no disposition and response yet." in html


def test_the_overview_the_filter_and_the_outcome_count_the_same_comments(
    client, consultation, officer_user, blocked
):
    client.force_login(officer_user)
    overview = client.get(reverse("consultations:officer_home")).content.decode()
    row = re.search(r"<tr><th scope=\"row\">.*?</tr>", overview, re.S).group(0)
    cells = re.findall(r"<td>(\d+)</td>", row)
    assert cells[-2:] == ["2", "2"]  # awaiting moderation, without response
    listed = client.get(
        reverse("consultations:manage", args=[consultation.pk]) + "?show=pending"
    ).content.decode()
    shown = set(re.findall(r'id="row-([A-Z0-9]+-\d+)"', listed))
    assert shown == {c.reference for c in blocked["waiting"]}
    assert Comment.objects.awaiting_moderation().count() == 2

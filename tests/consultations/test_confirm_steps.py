"""Closing the comment period and publishing the outcome ask first, without JavaScript; the
public sees why a consultation closed early (issue 12, item 8)."""

import pytest
from django.urls import reverse
from django.utils import timezone

from consultations.models import Outcome

from .factories import commenter, published_comment, respond

pytestmark = pytest.mark.django_db

OUTCOME = {
    "decision": "Approved with conditions.",
    # The decision cannot predate the close of the comment period (today, in these tests).
    "decision_date": timezone.localdate().isoformat(),
    "comments_taken_into_account": "One comment led to a change.",
}


def _state(page):
    return type(page).objects.get(pk=page.pk).state


def test_closing_asks_first_then_closes_and_the_public_sees_why(client, consultation, officer_user):
    client.force_login(officer_user)
    url = reverse("consultations:close", args=[consultation.pk])
    asked = client.post(url, {"reason": "Application withdrawn."})
    assert asked.status_code == 200 and _state(consultation) == "open"
    html = asked.content.decode()
    assert "Close the comment period now?" in html and "Application withdrawn." in html
    assert 'name="reason" value="Application withdrawn."' in html  # carried, hidden
    back = client.post(url, {"reason": "Application withdrawn.", "change": "1"})
    assert _state(consultation) == "open" and "Application withdrawn." in back.content.decode()
    done = client.post(url, {"reason": "Application withdrawn.", "confirm": "1"})
    assert done.status_code == 302 and _state(consultation) == "closed"
    public = client.get(type(consultation).objects.get(pk=consultation.pk).url).content.decode()
    assert "Closed early" in public and "Application withdrawn." in public


def test_publishing_the_outcome_asks_first(client, consultation, officer_user):
    comment = published_comment(consultation, commenter(), officer_user)
    respond(comment, officer_user)
    client.force_login(officer_user)
    client.post(
        reverse("consultations:close", args=[consultation.pk]),
        {"reason": "Decision due.", "confirm": "1"},
    )
    url = reverse("consultations:outcome", args=[consultation.pk])
    asked = client.post(url, OUTCOME)
    assert asked.status_code == 200 and not Outcome.objects.exists()
    assert "Publish the outcome?" in asked.content.decode()
    assert client.post(url, {**OUTCOME, "confirm": "1"}).status_code == 302
    assert Outcome.objects.get().decision == "Approved with conditions."

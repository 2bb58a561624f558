"""The permission matrix: role × state → read, comment, moderate, respond, export, publish
the outcome. Checked through HTTP, by what changed in the database, as a user would see it."""

import hashlib
import uuid

import pytest
from django.urls import reverse
from django.utils import timezone

from consultations import rules
from consultations.models import Comment, Outcome
from consultations.services import _next_sequence

from .factories import STATES, commenter, editor, make_consultation, officer

pytestmark = pytest.mark.django_db

ROLES = ("anonymous", "verified", "author", "officer", "editor")
ACTIONS = ("read", "comment", "moderate", "respond", "export", "publish_outcome")

# What each role may do in each state (everything else is refused).
ALLOWED = {
    "anonymous": {s: {"read"} for s in STATES},
    "verified": {**{s: {"read"} for s in STATES}, "open": {"read", "comment"}},
    "author": {**{s: {"read"} for s in STATES}, "open": {"read", "comment"}},
    "editor": {**{s: {"read"} for s in STATES}, "open": {"read", "comment"}},
    "officer": {
        "upcoming": {"read", "export"},
        "open": {"read", "comment", "moderate", "respond", "export"},
        "closed": {"read", "moderate", "respond", "export", "publish_outcome"},
        # The record is fixed with the outcome: only hiding a published comment remains
        # (tested in test_moderation_and_outcome.py); rejecting here is refused.
        "outcome": {"read", "export"},
    },
}


def _stored_comment(page, author) -> Comment:
    """A pending comment in any state (the service only takes them while open)."""
    sequence = _next_sequence(page)
    return Comment.objects.create(
        consultation=page,
        sequence=sequence,
        reference=f"{page.reference_code}-{sequence:04d}",
        author=author,
        submission_token=uuid.uuid4(),
        body="<p>Existing.</p>",
        body_sha256=hashlib.sha256(b"<p>Existing.</p>").hexdigest(),
        author_name="A",
        submitted_at=timezone.now(),
    )


def _user(role, author):
    return {
        "anonymous": None,
        "verified": commenter(),
        "author": author,
        "officer": officer(),
        "editor": editor(),
    }[role]


def _outcome_count(page):
    return Outcome.objects.filter(consultation=page, published_at__isnull=False).count()


@pytest.mark.parametrize("state", STATES)
@pytest.mark.parametrize("role", ROLES)
def test_permission_matrix(client, home, role, state):
    page = make_consultation(home, state=state)
    author = commenter()
    comment = _stored_comment(page, author)
    user = _user(role, author)
    if user is not None:
        client.force_login(user)
    done = set()

    if client.get(page.url).status_code == 200:
        done.add("read")

    before = Comment.objects.count()
    client.post(
        reverse("consultations:comment_create", args=[page.pk]),
        {"token": str(uuid.uuid4()), "body": "<p>New.</p>"},
    )
    if Comment.objects.count() > before:
        done.add("comment")

    client.post(
        reverse("consultations:moderate", args=[comment.pk]),
        {f"m{comment.pk}-decision": "rejected", f"m{comment.pk}-reason_code": "spam"},
    )
    comment.refresh_from_db()
    if comment.moderation_status == "rejected":
        done.add("moderate")
        Comment.objects.filter(pk=comment.pk).update(moderation_status="pending")

    client.post(
        reverse("consultations:respond", args=[comment.pk]),
        {f"r{comment.pk}-disposition": "noted", f"r{comment.pk}-response": "Noted."},
    )
    comment.refresh_from_db()
    if comment.disposition == "noted":
        done.add("respond")
        # The outcome needs every comment answered and moderated.
    Comment.objects.filter(consultation=page).update(
        moderation_status="published", disposition="noted", response="Noted."
    )

    export = client.get(reverse("consultations:export", args=[page.pk, "all", "csv"]))
    if export.status_code == 200 and author.email in b"".join(export.streaming_content).decode():
        done.add("export")

    outcomes = _outcome_count(page)
    client.post(
        reverse("consultations:outcome", args=[page.pk]),
        {
            "decision": "Approved.",
            "decision_date": timezone.localdate().isoformat(),
            "comments_taken_into_account": "All noted.",
            "confirm": "1",
        },
    )
    if _outcome_count(page) > outcomes:
        done.add("publish_outcome")

    assert done == ALLOWED[role][state]


@pytest.mark.parametrize("state", STATES)
def test_rules_agree_with_the_matrix_for_officers(home, state):
    page = make_consultation(home, state=state)
    user = officer()
    allowed = ALLOWED["officer"][state]
    assert rules.can_moderate_to(user, page, "rejected") == ("moderate" in allowed)
    assert rules.can_moderate_to(user, page, "hidden") == (state != "upcoming")
    assert rules.can_respond(user, page) == ("respond" in allowed)
    assert rules.can_publish_outcome(user, page) == ("publish_outcome" in allowed)
    assert rules.can_export_all(user, page) == ("export" in allowed)


def test_comment_page_is_private_to_author_and_officers_until_published(client, home):
    page = make_consultation(home)
    author = commenter()
    comment = _stored_comment(page, author)
    url = reverse("consultations:comment", args=[comment.reference])
    # Not found, as a reference never given (finding 17); the page offers to sign in.
    assert client.get(url).status_code == 404
    client.force_login(commenter())
    assert client.get(url).status_code == 404
    client.force_login(author)
    assert client.get(url).status_code == 200
    client.force_login(officer())
    assert client.get(url).status_code == 200
    client.force_login(editor())
    assert client.get(url).status_code == 404

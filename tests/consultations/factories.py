"""Consultations in each state, comments and PDFs for the tests."""

import io
import itertools
import json
import uuid
from datetime import timedelta

from django.utils import timezone
from wagtail.models import Locale

from accounts.roles import Role
from consultations.models import ConsultationIndexPage, ConsultationPage, Outcome
from consultations.services import (
    comment_moderate,
    comment_respond,
    comment_submit,
    consultation_close_now,
    outcome_publish,
)
from tests.accounts.factories import make_user

_seq = itertools.count(1)
SECTIONS = [
    {"number": "1", "heading": "Scope", "body": "<p>Scope of the decision.</p>"},
    {"number": "2", "heading": "Risk assessment", "body": "<p>Conclusions (Annex III).</p>"},
    {"number": "3", "heading": "Conditions", "body": "<p>Documentation (Art. 18.2(a)).</p>"},
]
STATES = ("upcoming", "open", "closed", "outcome")


def index_page(home) -> ConsultationIndexPage:
    index = ConsultationIndexPage.objects.child_of(home).first()
    if index is None:
        index = ConsultationIndexPage(title="Consultations", slug="consultations")
        home.add_child(instance=index)
        index.save_revision().publish()
    return index


def sections_json(sections=SECTIONS) -> str:
    return json.dumps([{"type": "section", "value": s, "id": str(uuid.uuid4())} for s in sections])


def make_consultation(home, *, state="open", moderation_mode="pre", **fields):
    """A published consultation page in `state` (the outcome state gets a published outcome)."""
    now = timezone.now()
    opens, closes = {
        "upcoming": (now + timedelta(days=2), now + timedelta(days=30)),
        "open": (now - timedelta(days=2), now + timedelta(days=30)),
        "closed": (now - timedelta(days=30), now - timedelta(days=2)),
        "outcome": (now - timedelta(days=30), now - timedelta(days=2)),
    }[state]
    n = next(_seq)
    defaults = dict(
        title=f"Draft decision {n}",
        slug=f"draft-decision-{n}",
        decision_type="art11",
        authority="National Biosafety Authority",
        lmo_name="Maize MON 89034",
        lmo_identifier="MON-89Ø34-3",
        summary="<p>An Art. 11 application.</p>",
        # Art. 21.6: never confidential, required on a notified decision.
        notifier_name="Example Seeds Ltd",
        notifier_address="1 Example Road, Example City",
        lmo_description="Insect-resistant maize.",
        risk_assessment_summary="No greater risk than conventional maize.",
        emergency_response="Spilled grain is collected and destroyed.",
        opens_at=opens,
        closes_at=closes,
        moderation_mode=moderation_mode,
        sections=sections_json(),
        reference_code=f"T{n}",
    )
    defaults.update(fields)
    page = ConsultationPage(**defaults)
    index_page(home).add_child(instance=page)
    page.save_revision().publish()
    if state == "outcome":
        Outcome.objects.create(
            consultation=page,
            decision="Approved with conditions.",
            decision_date=now.date(),
            comments_taken_into_account="See the table.",
            published_at=now,
        )
    return ConsultationPage.objects.get(pk=page.pk)


def translate(page, language="zh-hans"):
    locale = Locale.objects.get(language_code=language)
    translated = page.copy_for_translation(locale, copy_parents=True).specific
    translated.title = f"{page.title} (中文)"
    translated.save_revision().publish()
    return ConsultationPage.objects.get(pk=translated.pk)


def section_key(page, number: str) -> str:
    return next(s["key"] for s in page.section_list if s["number"] == number)


def commenter(**profile):
    profile.setdefault("country", "KE")
    profile.setdefault("organisation", "Biosafety Watch")
    profile.setdefault("stakeholder_category", "ngo")
    return make_user(**profile)


def officer(**kwargs):
    return make_user(roles=[Role.CONSULTATION_OFFICERS], **kwargs)


def editor(**kwargs):
    return make_user(roles=[Role.EDITORS], **kwargs)


def submit(page, author, body="<p>A comment.</p>", **kwargs):
    kwargs.setdefault("submission_token", uuid.uuid4())
    return comment_submit(consultation=page, author=author, body=body, **kwargs).comment


def published_comment(page, author, officer_user, **kwargs):
    comment = submit(page, author, **kwargs)
    if not comment.is_published and not comment.confidential:
        comment_moderate(comment=comment, actor=officer_user, to_status="published")
    return comment


def respond(comment, officer_user, disposition="accepted", response="Thank you; changed."):
    return comment_respond(
        comment=comment, actor=officer_user, disposition=disposition, response=response
    )


def close_and_publish_outcome(page, officer_user, **fields):
    """Close the comment period now and publish the outcome; the page as it then is."""
    consultation_close_now(consultation=page, actor=officer_user, reason="Decision due.")
    page = type(page).objects.get(pk=page.pk)
    fields.setdefault("decision", "Approved.")
    fields.setdefault("decision_date", timezone.localdate())
    fields.setdefault("comments_taken_into_account", "As above.")
    outcome_publish(consultation=page, actor=officer_user, **fields)
    return type(page).objects.get(pk=page.pk)


def pdf_bytes(*, encrypted=False, pages=1) -> bytes:
    from pypdf import PdfWriter

    writer = PdfWriter()
    for _ in range(pages):
        writer.add_blank_page(width=200, height=200)
    if encrypted:
        writer.encrypt("secret")
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()

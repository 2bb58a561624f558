"""Demo content of the consultations app, loaded by `manage.py load_demo` (idempotent).

From fixtures/consultations.json: the index page, an open consultation on an Art. 11
decision (maize MON-89Ø34-3) with comments in every moderation state and the notifier's
confidentiality claims (one kept, one refused under Art. 21.6), a closed one with its published
outcome and response table, and an upcoming confined field trial under the advance informed
agreement (its Art. 9 and 10 clocks, one request for further information, the Aarhus GMO
amendment); each in English and Chinese.
A second run finds everything in place and creates nothing.
"""

import hashlib
import json
import uuid
from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from wagtail.models import Locale

from core.demo import demo_person, read_fixture
from core.moderation import ModerationStatus, moderation_decide

from .campaigns.placement import place_comment
from .models import Comment, ConfidentialityClaim, ConsultationIndexPage, ConsultationPage, Outcome
from .services import _next_sequence

PAGE_FIELDS = (
    "title",
    "authority",
    "lmo_name",
    "summary",
    # The decision file: Art. 21.6 items, in each language.
    "notifier_name",
    "notifier_address",
    "lmo_description",
    "risk_assessment_summary",
    "emergency_response",
)


def _day(now, days):
    return (now + timedelta(days=days)).date() if days is not None else None


def _decision_file(spec: dict, now) -> dict:
    """The page fields of the procedure (dates relative to the load)."""
    return {
        "notification_received_on": _day(now, spec.get("notification_received_days")),
        "acknowledged_on": _day(now, spec.get("acknowledged_days")),
        "applies_aarhus_gmo_amendment": spec.get("aarhus", False),
        "information_requests": json.dumps(
            [
                {
                    "type": "request",
                    "value": {
                        "requested_on": _day(now, r["requested_days"]).isoformat(),
                        "received_on": (
                            _day(now, r["received_days"]).isoformat()
                            if r.get("received_days") is not None
                            else None
                        ),
                        "note": r.get("note", ""),
                    },
                    "id": str(uuid.uuid4()),
                }
                for r in spec.get("information_requests", [])
            ]
        ),
    }


def _claims(spec: dict, now) -> list[ConfidentialityClaim]:
    """The notifier's Art. 21 claims and the authority's decisions on them."""
    return [
        ConfidentialityClaim(
            item=c["item"],
            art_21_6=c.get("art_21_6", ""),
            notifier_reasons=c.get("notifier_reasons", ""),
            claimed_on=_day(now, c.get("claimed_days")),
            decision=c["decision"],
            decision_reasons=c.get("decision_reasons", ""),
            decided_on=_day(now, c.get("decided_days")),
            notifier_consulted_on=_day(now, c.get("consulted_days")),
            notifier_informed_on=_day(now, c.get("informed_days")),
            disclosed_on=_day(now, c.get("disclosed_days")),
        )
        for c in spec.get("claims", [])
    ]


def _sections_json(sections: list[dict], ids: list[str] | None = None) -> str:
    ids = ids or [str(uuid.uuid4()) for _ in sections]
    return json.dumps(
        [
            {"type": "section", "value": section, "id": block_id}
            for section, block_id in zip(sections, ids, strict=True)
        ]
    )


def _translate(page, locale, fields: dict, sections: list[dict] | None = None):
    translated = page.get_translation_or_none(locale)
    if translated is not None:
        return translated.specific
    translated = page.copy_for_translation(locale).specific
    for name, value in fields.items():
        setattr(translated, name, value)
    if sections is not None:
        # The same block ids as the source: a comment's section is the same in every language.
        ids = [block.id for block in page.sections]
        translated.sections = _sections_json(sections, ids)
    translated.save_revision().publish()
    return translated


def _risk_summary_document(spec: dict):
    """A short PDF standing in for the risk assessment summary (Annex III), made once."""
    import io

    from django.core.files.base import ContentFile
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.pdfgen import canvas
    from wagtail.documents import get_document_model

    Document = get_document_model()
    title = spec["title"]
    document = Document.objects.filter(title=title).first()
    if document is not None:
        return document
    pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light"))
    buffer = io.BytesIO()
    pdf = canvas.Canvas(buffer, pagesize=A4)
    y = 800
    for line in spec["lines"]:
        pdf.setFont("STSong-Light", 11)
        pdf.drawString(56, y, line)
        y -= 18
    pdf.showPage()
    pdf.save()
    document = Document(title=title)
    document.file.save(spec["file"], ContentFile(buffer.getvalue()), save=False)
    document.save()
    return document


def _commenters(specs: list[dict]) -> dict:
    return {spec["email"]: demo_person(spec) for spec in specs}


def _comment(page, spec: dict, author, officer, when) -> Comment | None:
    body = spec["body"]
    if Comment.objects.filter(consultation=page, author=author, body=body).exists():
        return None
    section = (
        next((s for s in page.section_list if s["number"] == spec["section"]), None)
        if spec["section"]
        else None
    )
    profile = author.profile
    with transaction.atomic():
        sequence = _next_sequence(page)
        comment = Comment.objects.create(
            consultation=page,
            sequence=sequence,
            reference=f"{page.reference_prefix}-{sequence:04d}",
            author=author,
            submission_token=uuid.uuid4(),
            section_key=section["key"] if section else "",
            section_number=section["number"] if section else "",
            body=body,
            body_sha256=hashlib.sha256(body.encode()).hexdigest(),
            author_name=profile.display_name,
            author_organisation=profile.organisation,
            author_country=profile.country,
            author_category=profile.stakeholder_category,
            show_name=spec.get("show_name", False),
            language=profile.preferred_language,
            confidential=spec.get("confidential", False),
            confidential_justification=spec.get("justification", ""),
            submitted_at=when,
        )
        status = spec["status"]
        if status in ("published", "hidden"):
            moderation_decide(item=comment, to_status=ModerationStatus.PUBLISHED, actor=officer)
        if status in ("rejected", "hidden"):
            moderation_decide(
                item=comment,
                to_status=status,
                actor=officer,
                reason_code=spec.get("reason_code", "other"),
            )
        if spec.get("disposition"):
            Comment.objects.filter(pk=comment.pk).update(
                disposition=spec["disposition"],
                response=spec["response"],
                responded_by=officer,
                responded_at=when + timedelta(days=20),
            )
    return comment


@transaction.atomic
def demo_load(*, home, users) -> dict:
    data = read_fixture("consultations.json")
    zh = Locale.objects.get(language_code="zh-hans")
    officer = users.get("officer@example.org")
    commenters = {**users, **_commenters(data["commenters"])}
    now = timezone.now()

    spec = data["index"]
    index = ConsultationIndexPage.objects.child_of(home).filter(slug=spec["slug"]).first()
    if index is None:
        index = ConsultationIndexPage(slug=spec["slug"], **spec["en"])
        home.add_child(instance=index)
        index.save_revision().publish()
    _translate(index, zh, spec["zh-hans"])

    pages, created_comments = [], 0
    for spec in data["consultations"]:
        page = ConsultationPage.objects.child_of(index).filter(slug=spec["slug"]).first()
        documents = []
        if "document" in spec:
            document = _risk_summary_document(spec["document"])
            documents = [
                ("document", {"document": document, "description": spec["document"]["description"]})
            ]
        if page is None:
            page = ConsultationPage(
                documents=documents,
                slug=spec["slug"],
                reference_code=spec["reference_code"],
                decision_type=spec["decision_type"],
                lmo_identifier=spec["lmo_identifier"],
                bch_url=spec["bch_url"],
                moderation_mode=spec["moderation_mode"],
                opens_at=now + timedelta(days=spec["opens_days"]),
                closes_at=now + timedelta(days=spec["closes_days"]),
                sections=_sections_json(spec["en"]["sections"]),
                **_decision_file(spec, now),
                **{name: spec["en"].get(name, "") for name in PAGE_FIELDS},
            )
            page.confidentiality_claims = _claims(spec, now)
            index.add_child(instance=page)
            page.save_revision().publish()
        _translate(
            page,
            zh,
            {name: spec["zh-hans"].get(name, "") for name in PAGE_FIELDS},
            spec["zh-hans"]["sections"],
        )
        period = page.closes_at - page.opens_at
        for number, comment_spec in enumerate(spec["comments"], start=1):
            # Spread over the period so far, so that the statistics by day show something.
            elapsed = min(now, page.closes_at) - page.opens_at
            when = page.opens_at + min(elapsed, period) * number / (len(spec["comments"]) + 1)
            author = commenters[comment_spec["by"]]
            created = _comment(page, comment_spec, author, officer, when)
            if created is not None:
                created_comments += 1
                # Grouped as a real submission is, after it is stored (the demo's campaigns).
                place_comment(created.pk)
        if "outcome" in spec and not Outcome.objects.filter(consultation=page).exists():
            outcome_spec = spec["outcome"]
            language = settings.LANGUAGE_CODE
            Outcome.objects.create(
                consultation=page,
                decision=outcome_spec[language]["decision"],
                decision_date=(now + timedelta(days=outcome_spec["decision_days"])).date(),
                comments_taken_into_account=outcome_spec[language]["how"],
                result=outcome_spec.get("result", ""),
                language=language,
                translations={
                    code: {"decision": text["decision"], "comments_taken_into_account": text["how"]}
                    for code, text in outcome_spec.items()
                    if code not in (language, "decision_days", "result")
                },
                published_at=now + timedelta(days=outcome_spec["decision_days"] + 1),
                published_by=officer,
            )
            _summary_from_synthesis(page, officer)
        pages.append(page)
    _other_languages(index, pages)
    return {"consultations": pages, "consultation_comments": created_comments}


def _summary_from_synthesis(page, officer) -> None:
    """The published outcome's summary of comments received, as an officer would start it:
    the quotes of each topic the synthesis finds, each linked to its comment."""
    from .models import SummaryStatement
    from .summaries import consultation_synthesis

    whole, _sections = consultation_synthesis(page)
    quotes = [quote for group in whole.result.groups for quote in group.quotes]
    sources = {c.reference: c for c in Comment.objects.filter(consultation=page)}
    for order, quote in enumerate(quotes, start=1):
        source = sources[quote.ref]
        statement = SummaryStatement.objects.create(
            consultation=page,
            section_key=source.section_key,
            text=quote.text,
            language=source.language,
            order=order,
            created_by=officer,
        )
        statement.sources.set([source])


def _other_languages(index, pages) -> None:
    """The index and each consultation's title (and authority, LMO name) in the languages
    consultations.json does not carry, from fixtures/translations.json; the summary and the
    draft sections stay as written. The comments and the outcome belong to the English page."""
    data = read_fixture("translations.json")["consultations"]
    for code, fields in data["index"].items():
        locale = Locale.objects.get(language_code=code)
        _translate(index, locale, fields)
        for page in pages:
            translated = data["pages"].get(page.slug, {}).get(code)
            if translated:
                _translate(page, locale, translated)

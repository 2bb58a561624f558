"""Officers' edits of the outcome's summary of comments received: add a statement (usually
a sentence the synthesis quoted), edit it, remove it. Each is checked against rules.py and
logged in the audit log, like the campaign decisions.

A statement's sources must be public comments of the consultation (published, not withheld
at the commenter's request): the summary is published with the outcome, and every source is
a link the public can follow.
"""

import re

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from core.moderation import moderation_record
from core.page_cache import invalidate

from .. import rules
from ..models import Comment, ConsultationPage, SummaryStatement
from ..models.pages import consultation_tag

TEXT_MAX = 2_000
SOURCES_MAX = 50
_REFERENCE = re.compile(r"[A-Z0-9]{1,16}-\d{1,9}")


def _check(actor, consultation):
    if not rules.can_edit_summary(actor, consultation):
        raise PermissionDenied(
            _(
                "The summary of comments is written by consultation officers before the "
                "outcome is published."
            )
        )


def parse_references(value: str) -> list[str]:
    """References typed or sent as "A-0001, A-0002": in order, each once."""
    found = []
    for part in re.split(r"[\s,;]+", (value or "").strip().upper()):
        if part and part not in found:
            found.append(part)
    return found


def _clean(consultation, text: str, references: list[str], section_key: str):
    errors = {}
    text = (text or "").strip()
    if not text:
        errors["text"] = _("Please write the statement.")
    elif len(text) > TEXT_MAX:
        errors["text"] = _("A statement has at most %(max)s characters.") % {"max": TEXT_MAX}
    sources = []
    if not references:
        errors["sources"] = _("Give at least one source: the reference of a published comment.")
    elif len(references) > SOURCES_MAX:
        errors["sources"] = _("At most %(max)s sources.") % {"max": SOURCES_MAX}
    else:
        bad = [r for r in references if not _REFERENCE.fullmatch(r)]
        found = {
            c.reference: c
            for c in Comment.objects.for_consultation(consultation)
            .public()
            .filter(reference__in=[r for r in references if r not in bad])
        }
        missing = [r for r in references if r not in found]
        if missing:
            errors["sources"] = _(
                "Not a published comment of this consultation: %(refs)s. Only published "
                "comments can be sources of the public summary."
            ) % {"refs": ", ".join(m[:20] for m in missing[:10])}
        sources = [found[r] for r in references if r in found]
    keys = {s["key"] for s in consultation.section_list}
    if section_key and section_key not in keys:
        errors["section"] = _("Unknown section.")
    if errors:
        raise ValidationError(errors)
    return text, sources


def statement_add(
    *,
    consultation: ConsultationPage,
    actor,
    text: str,
    references: list[str],
    section_key: str = "",
) -> SummaryStatement:
    """Add a statement at the end of its section's list, linked to its sources."""
    consultation = consultation.canonical
    _check(actor, consultation)
    text, sources = _clean(consultation, text, references, section_key)
    with transaction.atomic():
        last = (
            SummaryStatement.objects.filter(consultation=consultation)
            .order_by("-order")
            .values_list("order", flat=True)
            .first()
        )
        statement = SummaryStatement.objects.create(
            consultation=consultation,
            section_key=section_key,
            text=text,
            language=(get_language() or settings.LANGUAGE_CODE)[:8],
            order=(last or 0) + 1,
            created_by=actor,
        )
        statement.sources.set(sources)
        moderation_record(
            item=statement,
            action="summary_add",
            actor=actor,
            note=", ".join(c.reference for c in sources),
        )
    invalidate(consultation_tag(consultation.pk))
    return statement


def statement_edit(
    *, statement: SummaryStatement, actor, text: str, references: list[str], order: int
) -> SummaryStatement:
    consultation = statement.consultation.canonical
    _check(actor, consultation)
    text, sources = _clean(consultation, text, references, statement.section_key)
    if not 0 <= order <= 1_000_000:
        raise ValidationError({"order": _("Give a position between 0 and 1,000,000.")})
    before = f"{statement.text} [{', '.join(s.reference for s in statement.sources.all())}]"
    with transaction.atomic():
        statement.text, statement.order = text, order
        statement.save(update_fields=["text", "order", "updated_at"])
        statement.sources.set(sources)
        moderation_record(
            item=statement,
            action="summary_edit",
            actor=actor,
            reason=before[:4000],
            note=", ".join(c.reference for c in sources),
        )
    invalidate(consultation_tag(consultation.pk))
    return statement


def statement_delete(*, statement: SummaryStatement, actor) -> None:
    consultation = statement.consultation.canonical
    _check(actor, consultation)
    with transaction.atomic():
        moderation_record(
            item=statement,
            action="summary_delete",
            actor=actor,
            reason=statement.text[:4000],
            note=", ".join(s.reference for s in statement.sources.all()),
        )
        statement.delete()
    invalidate(consultation_tag(consultation.pk))

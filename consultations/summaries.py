"""Reads for the outcome's summary of comments received: the synthesis officers work from,
and the summary the public reads.

Both start from the public comments only (`Comment.objects...public()`: published and not
withheld at the commenter's request): a synthesis is material for a text that becomes
public, so a comment that is pending, rejected, hidden or withheld never enters it, not
even on the officers' screen. A campaign's public copies are one document (the text of the
first public copy, weighted by their number), as the campaign page shows them.
"""

import hashlib
from dataclasses import dataclass

from django.core.cache import cache
from django.db.models import Prefetch

from core import synthesis

from .models import Comment, SummaryStatement

GENERAL = ""  # the section key of comments and statements on the whole draft


@dataclass
class SectionSynthesis:
    key: str
    number: str
    heading: str
    result: synthesis.Synthesis


def _documents(rows) -> list[synthesis.Document]:
    """Public comment rows (reference, body, language, campaign id) in order → documents,
    a campaign's public copies counted once with their number as weight."""
    docs, campaign_doc = [], {}
    for reference, body, language, campaign_id in rows:
        if campaign_id and campaign_id in campaign_doc:
            campaign_doc[campaign_id]["weight"] += 1
            continue
        doc = {"ref": reference, "text": synthesis.plain(body), "language": language, "weight": 1}
        if campaign_id:
            campaign_doc[campaign_id] = doc
        docs.append(doc)
    return [synthesis.Document(**d) for d in docs]


SYNTHESIS_CACHE_SECONDS = 24 * 3600


def consultation_synthesis(page) -> tuple[SectionSynthesis, list[SectionSynthesis]]:
    """The synthesis of the whole consultation and of each section with public comments.

    Kept in the cache under the exact set of public comments and their campaigns (a
    comment's text and section never change once stored): a comment published, hidden or
    regrouped gives a new key, so a cached synthesis never holds a comment that is no longer
    public. Two queries on a miss, one on a hit, whatever the number of comments."""
    public = Comment.objects.for_consultation(page).public().order_by("sequence")
    state = hashlib.blake2b(digest_size=16)
    for pk, campaign_id in public.values_list("pk", "campaign_id"):
        state.update(f"{pk}:{campaign_id or ''},".encode())
    sections_key = "|".join(
        s["key"] + s["number"] + s["heading"] for s in page.canonical.section_list
    )
    state.update(sections_key.encode())
    key = f"consultations:synthesis:{page.canonical.pk}:{state.hexdigest()}"
    found = cache.get(key)
    if found is None:
        found = _synthesise(page, public)
        cache.set(key, found, SYNTHESIS_CACHE_SECONDS)
    return found


def _synthesise(page, public):
    rows = list(public.values_list("reference", "body", "language", "campaign_id", "section_key"))
    by_section: dict[str, list] = {}
    for *row, section_key in rows:
        by_section.setdefault(section_key, []).append(row)
    whole = SectionSynthesis(
        GENERAL, "", "", synthesis.synthesise(_documents([r[:4] for r in rows]))
    )
    sections = [
        SectionSynthesis(
            s["key"],
            s["number"],
            s["heading"],
            synthesis.synthesise(_documents(by_section[s["key"]])),
        )
        for s in page.canonical.section_list
        if s["key"] in by_section
    ]
    return whole, sections


def statements_for_officers(page) -> list[SummaryStatement]:
    """Every statement with every source, each source marked `is_public` (two queries)."""
    return list(
        SummaryStatement.objects.for_consultation(page)
        .prefetch_related(
            Prefetch(
                "sources",
                queryset=Comment.objects.order_by("sequence").only(
                    "pk", "reference", "moderation_status", "confidential", "consultation_id"
                ),
            )
        )
        .order_by("order", "pk")
    )


def public_summary(page) -> list[dict]:
    """The published summary, by section in the draft's order (the whole draft first): each
    statement with its sources that are public now; a statement with none left is left out
    (two queries)."""
    statements = (
        SummaryStatement.objects.for_consultation(page)
        .prefetch_related(
            Prefetch(
                "sources",
                queryset=Comment.objects.public().order_by("sequence").only("pk", "reference"),
                to_attr="public_sources",
            )
        )
        .order_by("order", "pk")
    )
    by_section: dict[str, list] = {}
    for statement in statements:
        if statement.public_sources:
            by_section.setdefault(statement.section_key, []).append(statement)
    sections = [{"number": "", "heading": "", "statements": by_section.pop(GENERAL, [])}]
    for section in page.canonical.section_list:
        sections.append({**section, "statements": by_section.pop(section["key"], [])})
    # Statements on a section since removed from the draft read as on the whole draft.
    for orphans in by_section.values():
        sections[0]["statements"].extend(orphans)
    return [s for s in sections if s["statements"]]

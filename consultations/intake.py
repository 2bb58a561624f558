"""What taking a comment reads of its page, from the cache (issue 16).

A consultation that makes the news takes its comments in the last hours before the deadline,
hundreds a minute on one page. Each comment POST needs the same few facts of that page: may
this viewer see it (live, its view restrictions), is the period open, how are comments
moderated, which sections may be named, the reference's prefix. Read through the ORM they
cost a page query (1.4 ms of CPU) and the restrictions' cache round trips on every comment;
here the page with those columns and its restrictions is kept in the cache under the page
cache's tags (core.page_cache), which publishing or unpublishing any language version, a
privacy change or a move of any page changes on every worker.

What the cache says is never the last word on the period or on `live`: the insert checks
both against the database row in the same statement (services.comments), so a page closed
by a write that bypassed Wagtail's signals still refuses the comment.
"""

from django.conf import settings

from core.page_cache import SITE, cached_under_tags
from core.page_cache_events import page_tag

from .models import ConsultationPage

INTAKE_SECONDS = 600
KEY_VERSION = "1"

# The columns intake reads: the view restrictions' (path, depth), `live`, the period, the
# moderation mode, the sections and the reference's code; the rest of Wagtail's 54 are not
# read (a form sent back with errors reads the whole page to render it).
FIELDS = (
    "id", "path", "depth", "live", "locale_id", "translation_key", "url_path",
    "content_type_id", "opens_at", "closes_at", "moderation_mode", "reference_code", "sections",
)  # fmt: skip


def intake_page(page_id: int) -> ConsultationPage | None:
    """The page with the columns intake reads, its view restrictions in hand and, for a
    translation, its default-language page (`canonical`, which owns the comments) the same
    way. None when there is no such page. Who may see it is still the caller's question to
    rules.py."""
    entry = cached_under_tags(*cache_entry(page_id), lambda: _read(page_id), INTAKE_SECONDS)
    if entry is None:
        return None
    page, restriction_rows, canonical_id = entry
    # The rows themselves: intake only iterates them (CachedPage.get_view_restrictions).
    page._view_restrictions = restriction_rows
    if canonical_id != page.pk:
        # Cached under its own page's tag: publishing it clears it, whichever page was asked.
        canonical = intake_page(canonical_id)
        if canonical is not None:
            page.canonical = canonical
    return page


def cache_entry(page_id: int) -> tuple[str, list[str]]:
    """The cache key of the page's intake facts and the tags they are kept under (for
    core.page_cache.want_entries)."""
    return f"consultations:intake-page:{KEY_VERSION}:{page_id}", [SITE, page_tag(page_id)]


def _read(page_id: int):
    from core.templatetags.site_ui import locale_code

    page = ConsultationPage.objects.only(*FIELDS).filter(pk=page_id).first()
    if page is None:
        return None
    # Read through the restrictions' own cache; the page's pickled state leaves them out.
    rows = list(page.get_view_restrictions())
    canonical_id = page.pk
    if locale_code(page.locale_id) != settings.LANGUAGE_CODE:
        canonical_id = (
            ConsultationPage.objects.filter(
                translation_key=page.translation_key,
                locale__language_code=settings.LANGUAGE_CODE,
            )
            .values_list("pk", flat=True)
            .first()
        ) or page.pk
    return page, rows, canonical_id

"""Reads of the consultations app: listings, a page's comments, and what the home page and
the site header show. Counts do not grow with content (see the query-budget tests)."""

from datetime import UTC

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.paginator import Paginator
from django.db.models import Case, Exists, IntegerField, OuterRef, Q, Value, When
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core.area_links import Area, area_link
from core.page_cache import SITE, cached_under_tags

from . import rules
from .campaigns.selectors import group_public, response_rows
from .models import (
    Comment,
    ConsultationIndexPage,
    ConsultationPage,
    ConsultationState,
    DecisionType,
    Outcome,
)
from .models.pages import consultation_tag
from .summaries import public_summary

PAGE_SIZE = 20
NAV_CACHE_SECONDS = 300


def listed(queryset):
    """The consultations listings advertise: live and under no Wagtail page privacy (the same
    for every reader; those a private page is open to reach it by its address)."""
    return queryset.live().public()


def with_outcome_flag(queryset):
    published = Outcome.objects.filter(
        consultation__translation_key=OuterRef("translation_key"), published_at__isnull=False
    )
    return queryset.annotate(has_outcome=Exists(published))


def in_state(queryset, state: str, now=None):
    """Filter annotated consultations (see `with_outcome_flag`) by state, in the database."""
    now = now or timezone.now()
    conditions = {
        ConsultationState.UPCOMING: Q(opens_at__gt=now),
        ConsultationState.OPEN: Q(opens_at__lte=now, closes_at__gt=now),
        ConsultationState.CLOSED: Q(closes_at__lte=now, has_outcome=False),
        ConsultationState.OUTCOME: Q(closes_at__lte=now, has_outcome=True),
    }
    return queryset.filter(conditions[state])


def by_relevance(queryset, now=None):
    """Open ones first, nearest deadline first; then upcoming; then the most recently closed."""
    now = now or timezone.now()
    rank = Case(
        When(opens_at__lte=now, closes_at__gt=now, then=Value(0)),
        When(opens_at__gt=now, then=Value(1)),
        default=Value(2),
        output_field=IntegerField(),
    )
    return queryset.annotate(rank=rank).order_by("rank", "closes_at", "pk")


def _order_closed_last(pages: list) -> list:
    # Closed ones read best newest first; the database sorted every group by closes_at.
    head = [p for p in pages if p.rank < 2]
    tail = [p for p in pages if p.rank == 2]
    return head + tail[::-1]


def index_listing(index_page, params) -> dict:
    """The index page's list: filters from the query string, unknown values reported."""
    state = params.get("state", "")
    decision = params.get("type", "")
    filter_errors = []
    if state and state not in ConsultationState.values:
        filter_errors.append(
            _("Unknown state “%(value)s”: showing every state.") % {"value": state[:40]}
        )
        state = ""
    if decision and decision not in DecisionType.values:
        filter_errors.append(
            _("Unknown decision type “%(value)s”: showing every type.") % {"value": decision[:40]}
        )
        decision = ""
    pages = with_outcome_flag(listed(ConsultationPage.objects.child_of(index_page)))
    if state:
        pages = in_state(pages, state)
    if decision:
        pages = pages.filter(decision_type=decision)
    pages = list(by_relevance(pages))
    pages = _order_closed_last(pages)
    paginator = Paginator(pages, PAGE_SIZE)
    page_obj = paginator.get_page(params.get("page"))
    return {
        "consultations": page_obj.object_list,
        "page_obj": page_obj,
        "filter_state": state,
        "filter_type": decision,
        "filter_errors": filter_errors,
        "state_choices": ConsultationState.choices,
        "type_choices": DecisionType.choices,
    }


def early_close(consultation):
    """The officer's record of ending the comment period before its deadline (reason and
    time), or None: the public is told why a consultation closed early."""
    from core.moderation import ModerationLog

    if consultation.pk is None:
        return None
    return (
        ModerationLog.objects.filter(
            content_type=ContentType.objects.get_for_model(ConsultationPage),
            object_id=str(consultation.canonical.pk),
            action="close_early",
        )
        .only("reason", "created_at")
        .first()
    )


DECISION_FILE_SECONDS = 600


def fill_decision_file(canonical) -> None:
    """The published outcome and the notifier's Art. 21 claims of a consultation, from the
    cache: the same for every reader (the claims' reasons are shown to officers only by the
    template), and kept under the consultation's page-cache tag, which a save or delete of
    either changes (consultations/page_cache.py), as it does a publish of the page."""
    if canonical.pk is None:  # a new page in the editor's preview
        return

    def read():
        return canonical.outcome, canonical.claims

    outcome, claims = cached_under_tags(
        f"consultations:decision-file:{canonical.pk}",
        [consultation_tag(canonical.pk), SITE],
        read,
        DECISION_FILE_SECONDS,
    )
    canonical.__dict__.update(outcome=outcome, claims=claims)


def consultation_page_context(page, request, *, form=None) -> dict:
    """What the consultation page shows, in a fixed number of queries."""
    from .forms import CommentForm

    user = request.user
    canonical = page.canonical
    if not getattr(request, "is_preview", False):  # a preview shows the editor's unsaved claims
        fill_decision_file(canonical)
    # Wagtail served the page after its own privacy check; the comments ask the same policy.
    visible = Comment.objects.visible_to(user, page, request=request)
    # One query for both lists; an officer's `visible` holds everyone's, hence the filter.
    rows = list(visible.public_or_own(user).order_by("sequence"))
    comments = [c for c in rows if c.is_public]
    # Each campaign once, with "and N others sent this text" (its other public members).
    shown = group_public(comments)
    by_section: dict[str, list] = {}
    for comment in shown:
        by_section.setdefault(comment.section_key, []).append(comment)
    sections = [
        {
            **section,
            "comments": by_section.get(section["key"], []),
            "count": len(by_section.get(section["key"], [])),
        }
        for section in page.section_list
    ]
    # Comments on a section the editors have since removed stay visible, with the general ones.
    current = {section["key"] for section in page.section_list}
    orphans = [c for key, group in by_section.items() if key and key not in current for c in group]
    own = [c for c in rows if not c.is_public and c.author_id == user.pk]
    can_comment = rules.can_comment(user, page, request=request)
    if form is None and can_comment:
        form = CommentForm(
            consultation=page, initial={"section": request.GET.get("section", "")[:64]}
        )
    outcome = canonical.outcome if rules.responses_are_public(page) else None
    closed = page.state in (ConsultationState.CLOSED, ConsultationState.OUTCOME)
    return {
        "early_close": early_close(canonical) if closed else None,
        "canonical": canonical,
        "state": page.state,
        "sections": sections,
        "general_comments": by_section.get("", []) + orphans,
        "public_count": len(comments),
        "own_comments": own,
        "can_comment": can_comment,
        "can_manage": rules.can_manage(user, canonical),
        "comment_form": form,
        "outcome": outcome,
        "outcome_text": outcome.in_language(translation.get_language()) if outcome else None,
        "responses": response_rows(shown) if outcome else [],
        "comment_summary": public_summary(canonical) if outcome else [],
        "identifier": page.identifier_check,
    }


# --- for the rest of the site ----------------------------------------------------------


def _index_for_language():
    index = (
        ConsultationIndexPage.objects.live()
        .public()
        .filter(locale__language_code=translation.get_language() or settings.LANGUAGE_CODE)
        .first()
    )
    return (
        index
        or ConsultationIndexPage.objects.live()
        .public()
        .filter(locale__language_code=settings.LANGUAGE_CODE)
        .first()
    )


class HomeItem:
    def __init__(self, url, title, note):
        self.url, self.title, self.note = url, title, note


def consultations_for_home(limit: int = 6) -> list:
    """Open comment periods in the reader's language, nearest deadline first (1–2 queries)."""
    now = timezone.now()
    language = translation.get_language() or settings.LANGUAGE_CODE
    pages = list(
        listed(ConsultationPage.objects)
        .filter(opens_at__lte=now, closes_at__gt=now)
        .filter(locale__language_code__in={language, settings.LANGUAGE_CODE})
        .select_related("locale")
        .order_by("closes_at", "pk")
    )
    # One per consultation: the reader's language if translated, else the default.
    chosen: dict = {}
    for page in pages:
        if page.translation_key not in chosen or page.locale.language_code == language:
            chosen[page.translation_key] = page
    items = []
    for page in sorted(chosen.values(), key=lambda p: (p.closes_at, p.pk))[:limit]:
        note = _("comments until %(when)s UTC") % {
            "when": page.closes_at.astimezone(UTC).strftime("%Y-%m-%d %H:%M")
        }
        items.append(HomeItem(page.url, page.title, note))
    return items


def _nav_key() -> str:
    return f"consultations:nav:{translation.get_language() or settings.LANGUAGE_CODE}"


def _nav_url() -> str:
    index = _index_for_language()
    return index.url if index is not None else ""


# The header's "Consultations": the index in the reader's language, cached per language.
NAV = Area(gettext_lazy("Consultations"), _nav_key, _nav_url, NAV_CACHE_SECONDS)


def nav_link():
    """("Consultations", url of the index in the current language), or None."""
    return area_link(NAV)


def comments_by(user, *, limit: int = 100) -> list:
    """A person's own comments, newest first, for "My contributions": each with its
    consultation (in the reader's language where translated) and `response_public`, true once
    the outcome is published (Art. 23.2), when the response becomes theirs to read."""
    comments = list(Comment.objects.filter(author=user).order_by("-submitted_at")[:limit])
    # One query for the consultations, with their outcome flag and the reader's translation.
    pages = with_outcome_flag(
        ConsultationPage.objects.filter(pk__in={c.consultation_id for c in comments})
    )
    by_pk = {page.pk: page for page in pages}
    titles = dict(
        ConsultationPage.objects.filter(
            translation_key__in=[p.translation_key for p in by_pk.values()],
            locale__language_code=translation.get_language(),
        ).values_list("translation_key", "title")
    )
    for comment in comments:
        page = by_pk[comment.consultation_id]
        comment.consultation = page
        page.reader_title = titles.get(page.translation_key, page.title)
        comment.response_public = bool(comment.disposition) and (
            page.state == ConsultationState.OUTCOME
        )
    return comments


def next_deadline(now=None):
    """The next moment a listed comment period opens or closes (None: none to come); pages
    that show periods' states are cached no longer than this (core.page_cache)."""
    from django.db.models import Min

    now = now or timezone.now()
    listed_pages = listed(ConsultationPage.objects)
    opens = listed_pages.filter(opens_at__gt=now).aggregate(m=Min("opens_at"))["m"]
    closes = listed_pages.filter(closes_at__gt=now).aggregate(m=Min("closes_at"))["m"]
    return min([m for m in (opens, closes) if m is not None], default=None)

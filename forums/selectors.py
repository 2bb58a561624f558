"""Reads: what pages and other parts of the site show. Each keeps a fixed number of queries,
whatever the amount of content (tests/forums/test_query_budgets.py)."""

from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.db.models import Count, Prefetch, Q
from django.db.models.functions import TruncDate
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _
from django_countries import countries

from core.area_links import Area, area_link
from core.moderation import ModerationStatus
from core.stakeholders import StakeholderCategory

from . import rules
from .models import DiscussionGroup, Flag, FlagStatus, Forum, Post, Registration, Thread
from .models.forums import RegistrationStatus


@dataclass(frozen=True)
class HomeItem:
    url: str
    title: str
    note: str


def rounds_for_home(limit: int = 6) -> list[HomeItem]:
    """Open and upcoming rounds for the home page (one query)."""
    now = timezone.now()
    groups = (
        DiscussionGroup.objects.not_closed(now)
        .select_related("forum")
        .order_by("opens_at", "pk")[:limit]
    )
    items = []
    for group in groups:
        if group.opens_at <= now:
            note = _("open until %(date)s UTC") % {
                "date": formats.date_format(group.closes_at, "DATETIME_FORMAT")
            }
        else:
            note = _("opens on %(date)s UTC") % {
                "date": formats.date_format(group.opens_at, "DATETIME_FORMAT")
            }
        items.append(
            HomeItem(
                url=group.get_absolute_url(),
                title=f"{group.forum.display_title}: {group.display_theme}",
                note=note,
            )
        )
    return items


def _nav_key() -> str:
    return f"forums:nav:{get_language() or settings.LANGUAGE_CODE}"


def _nav_url() -> str:
    return reverse("forums:index") if Forum.objects.exists() else ""


# The header's "Forums", once a forum exists; cached a minute, since every page asks.
NAV = Area(gettext_lazy("Forums"), _nav_key, _nav_url, 60)


def nav_link():
    """("Forums", url) once a forum exists, else None."""
    return area_link(NAV)


def forums_list():
    return Forum.objects.prefetch_related(
        Prefetch("groups", queryset=DiscussionGroup.objects.order_by("number", "pk"))
    ).annotate(
        registered=Count(
            "registrations", filter=Q(registrations__status=RegistrationStatus.APPROVED)
        )
    )


def group_threads(group: DiscussionGroup, user, *, moderator: bool):
    """The group's threads as this reader sees them, pinned first, with published post counts
    and the last activity."""
    return (
        Thread.objects.filter(group=group)
        .listed_for(user, moderator=moderator)
        .select_related("author__profile")
        .annotate(
            post_count=Count(
                "posts", filter=Q(posts__moderation_status=ModerationStatus.PUBLISHED)
            ),
            pending_count=Count(
                "posts", filter=Q(posts__moderation_status=ModerationStatus.PENDING)
            ),
        )
        .order_by("-pinned", "-last_activity_at", "-pk")
    )


def thread_posts(thread: Thread, user, *, moderator: bool):
    """The thread's posts as this reader may see them, each with the number of its earlier
    versions this reader may read (PostRevision.objects.visible_to says the same per post)."""
    if moderator:
        revisions = Count("revisions")
    else:
        readable = Q(revisions__public=True)
        if user.is_authenticated:
            readable |= Q(author=user)
        revisions = Count("revisions", filter=readable)
    return (
        Post.objects.filter(thread=thread)
        .visible_to(user, moderator=moderator)
        .with_related()
        .annotate(revision_count=revisions)
        .order_by("created_at", "pk")
    )


def moderation_queue(group: DiscussionGroup):
    """Pending posts (oldest first) and published posts with open flags."""
    pending = Post.objects.filter(group=group).pending().with_related().order_by("created_at", "pk")
    flagged = (
        Post.objects.filter(group=group, flags__status=FlagStatus.OPEN)
        .distinct()
        .with_related()
        .prefetch_related(
            Prefetch(
                "flags",
                queryset=Flag.objects.filter(status=FlagStatus.OPEN).select_related(
                    "reporter__profile"
                ),
                to_attr="open_flags",
            )
        )
        .order_by("created_at", "pk")
    )
    return pending, flagged


# --- statistics ----------------------------------------------------------------------------


def _label(choices, value) -> str:
    return str(dict(choices).get(value, _("Not stated"))) if value else _("Not stated")


def _bars(rows) -> list[dict]:
    """[(label, n)] → rows with a percentage of the largest, for CSS bar charts."""
    rows = list(rows)
    top = max((n for _label, n in rows), default=0) or 1
    return [{"label": label, "count": n, "percent": round(100 * n / top)} for label, n in rows]


def forum_statistics(forum: Forum, groups: list[DiscussionGroup]) -> dict:
    """Registered participants by stakeholder category and by country, posts per group and per
    day, active participants: what the 2012 forum reported (98 participants, 155 posts)."""
    registrations = Registration.objects.filter(forum=forum).approved()
    by_category = registrations.values_list("stakeholder_category").annotate(n=Count("pk"))
    by_country = registrations.values_list("country").annotate(n=Count("pk"))
    published = Post.objects.filter(group__forum=forum).public()
    per_group = dict(published.values_list("group_id").annotate(n=Count("pk")).order_by())
    active = dict(
        published.values_list("group_id").annotate(n=Count("author", distinct=True)).order_by()
    )
    per_day = list(
        published.annotate(day=TruncDate("created_at"))
        .values_list("day")
        .annotate(n=Count("pk"))
        .order_by("day")
    )
    return {
        "registered": registrations.count(),
        "active": published.aggregate(n=Count("author", distinct=True))["n"],
        "posts": sum(per_group.values()),
        "by_category": _bars(
            sorted(
                ((_label(StakeholderCategory.choices, c), n) for c, n in by_category),
                key=lambda row: -row[1],
            )
        ),
        "by_country": _bars(
            sorted(
                (
                    (countries.name(c) or _("Not stated") if c else _("Not stated"), n)
                    for c, n in by_country
                ),
                key=lambda row: -row[1],
            )
        ),
        "per_group": [
            {
                "group": group,
                "posts": per_group.get(group.pk, 0),
                "active": active.get(group.pk, 0),
                "percent": round(
                    100 * per_group.get(group.pk, 0) / (max(per_group.values(), default=0) or 1)
                ),
            }
            for group in groups
        ],
        "per_day": _bars((formats.date_format(day, "SHORT_DATE_FORMAT"), n) for day, n in per_day),
    }


def group_active_by_category(group: DiscussionGroup) -> list[dict]:
    """Who wrote in this round, by stakeholder category (from their registrations)."""
    authors = Post.objects.filter(group=group).public().values("author_id")
    rows = (
        Registration.objects.filter(forum_id=group.forum_id, user_id__in=authors)
        .values_list("stakeholder_category")
        .annotate(n=Count("pk"))
    )
    return _bars(
        sorted(
            ((_label(StakeholderCategory.choices, c), n) for c, n in rows),
            key=lambda row: -row[1],
        )
    )


def group_report(group: DiscussionGroup) -> list[dict]:
    """Every public post of the round by thread, for the printable report: what anyone may
    read (Post.objects.public()), quotes only of posts anyone may still read, whoever prints
    it (the report is published)."""
    posts = (
        Post.objects.filter(group=group)
        .public()
        .with_related()
        .order_by("thread__created_at", "thread_id", "created_at", "pk")
    )
    public = AnonymousUser()
    threads: list[dict] = []
    for post in posts:
        post.quote_visible = rules.quote_visible(public, post, moderator=False)
        if not threads or threads[-1]["thread"].pk != post.thread_id:
            threads.append({"thread": post.thread, "posts": []})
        threads[-1]["posts"].append(post)
    return threads


def posts_by(user, *, limit: int = 100) -> list:
    """A person's own forum posts, newest first, in every state, for "My contributions"
    (the author may always see their own post and, if refused or hidden, why)."""
    return list(
        Post.objects.filter(author=user)
        .select_related("thread", "group__forum")
        .order_by("-created_at")[:limit]
    )


def next_round_change(now=None, *, groups=None):
    """The next moment a round (of `groups`, else of every forum) opens or closes; pages that
    show rounds' states are cached no longer than this (core.page_cache)."""
    from django.db.models import Min

    now = now or timezone.now()
    groups = DiscussionGroup.objects.all() if groups is None else groups
    opens = groups.filter(opens_at__gt=now).aggregate(m=Min("opens_at"))["m"]
    closes = groups.filter(closes_at__gt=now).aggregate(m=Min("closes_at"))["m"]
    return min([m for m in (opens, closes) if m is not None], default=None)


def round_change_of(group, now=None):
    """When this round next opens or closes (None once closed)."""
    now = now or timezone.now()
    return min([m for m in (group.opens_at, group.closes_at) if m > now], default=None)

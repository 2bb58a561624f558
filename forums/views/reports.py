"""Statistics, the CSV of posts for moderators, and the printable round report."""

import csv
from datetime import UTC

from django.core.exceptions import PermissionDenied
from django.http import StreamingHttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils import timezone
from django.utils.translation import gettext as _

from core.sanitize import html_to_text

from .. import rules, selectors
from ..models import Forum, Post
from ..payloads import author_label
from .common import get_group, refuse

CSV_COLUMNS = (
    "post_id",
    "forum",
    "group",
    "thread_id",
    "thread",
    "created_at_utc",
    "edited_at_utc",
    "author",
    "public_label",
    "country",
    "organisation",
    "stakeholder_category",
    "reply_to",
    "text",
)
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def statistics(request, slug):
    forum = get_object_or_404(Forum, slug=slug)
    groups = list(forum.groups.order_by("number", "pk"))
    return render(
        request,
        "forums/statistics.html",
        {
            "forum": forum,
            "groups": groups,
            "stats": selectors.forum_statistics(forum, groups),
            "can_export": rules.can_export(request.user, forum),
        },
    )


class _Echo:
    def write(self, value):
        return value


def _cell(value) -> str:
    """Spreadsheets run cells that start like a formula: defuse them (CSV injection)."""
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(_FORMULA_START) else text


def posts_csv(request, slug):
    forum = get_object_or_404(Forum, slug=slug)
    if not rules.can_export(request.user, forum):
        return refuse(request, PermissionDenied(_("The export is for this forum's moderators.")))
    posts = (
        # What anyone may read: the export is of the public record, whichever group its
        # moderator moderates (never a thread awaiting approval, nor a hidden post).
        Post.objects.filter(group__forum=forum)
        .public()
        .select_related("group", "thread", "author__profile")
        .order_by("created_at", "pk")
    )

    def rows():
        writer = csv.writer(_Echo())
        yield "\ufeff" + writer.writerow(CSV_COLUMNS)  # BOM: Excel reads UTF-8 (Chinese)
        for post in posts.iterator(chunk_size=500):
            profile = getattr(post.author, "profile", None)
            yield writer.writerow(
                _cell(v)
                for v in (
                    post.pk,
                    forum.title,
                    post.group.theme,
                    post.thread_id,
                    post.thread.title,
                    post.created_at.astimezone(UTC).isoformat(),
                    post.edited_at.astimezone(UTC).isoformat() if post.edited_at else "",
                    profile.display_name if profile else post.author.email,
                    author_label(post.author),
                    profile.country.code if profile and profile.country else "",
                    profile.organisation if profile else "",
                    profile.stakeholder_category if profile else "",
                    post.reply_to_id or "",
                    html_to_text(post.body),
                )
            )

    response = StreamingHttpResponse(rows(), content_type="text/csv; charset=utf-8")
    stamp = timezone.now().strftime("%Y%m%d")
    response["Content-Disposition"] = f'attachment; filename="forum-{forum.slug}-posts-{stamp}.csv"'
    response["X-Accel-Buffering"] = "no"  # nginx passes each chunk on as it is written
    return response


def round_report(request, group_id):
    group = get_group(group_id)
    groups = [group]
    stats = selectors.forum_statistics(group.forum, groups)
    threads = selectors.group_report(group)
    return render(
        request,
        "forums/report.html",
        {
            "group": group,
            "forum": group.forum,
            "stats": stats,
            "group_stats": stats["per_group"][0],
            "active_by_category": selectors.group_active_by_category(group),
            "threads": threads,
            "generated_at": timezone.now(),
        },
    )

"""The moderator's round synthesis for a discussion group (a round): who took part, by
stakeholder category, posts per thread, and the main points — topic groups of the posts
(core.synthesis) with quotes and links to the posts — in the spirit of the Secretariat's
account of the 2012 CBD–Aarhus online forum to COP-MOP 6.

Made only of the public posts (`Post.objects.public()`: published, in threads that are
public), whoever reads it: it is material for the round summary, which is published. Three
queries, whatever the number of posts.
"""

from django.db.models import Count
from django.urls import reverse
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from core import synthesis
from core.stakeholders import StakeholderCategory

from .models import Post, Registration


def _post_url(group_id: int, thread_id: int, post_id: int) -> str:
    # As Post.get_absolute_url, without loading the thread.
    return (
        reverse("forums:thread", kwargs={"group_id": group_id, "thread_id": thread_id})
        + f"#post-{post_id}"
    )


def round_synthesis(group) -> dict:
    posts = list(
        Post.objects.filter(group=group)
        .public()
        .order_by("created_at", "pk")
        .values_list("pk", "thread_id", "thread__title", "author_id", "body", "language")
    )
    threads: dict[int, dict] = {}
    for pk, thread_id, title, _author, _body, _language in posts:
        entry = threads.setdefault(thread_id, {"title": title, "posts": 0, "first": pk})
        entry["posts"] += 1
    authors = {author for _pk, _t, _title, author, _b, _l in posts}
    labels = dict(StakeholderCategory.choices)
    by_category = (
        Registration.objects.filter(forum_id=group.forum_id, user_id__in=authors)
        .values("stakeholder_category")
        .annotate(n=Count("pk"))
        .order_by("-n", "stakeholder_category")
    )
    categories = [
        {"label": labels.get(row["stakeholder_category"]) or _("Not given"), "n": row["n"]}
        for row in by_category
    ]
    registered = sum(c["n"] for c in categories)
    if len(authors) > registered:  # moderators and others who post without a registration
        categories.append({"label": _("Not registered"), "n": len(authors) - registered})
    documents = [
        synthesis.Document(
            ref=str(pk),
            text=synthesis.plain(body),
            language=language,
            url=_post_url(group.pk, thread_id, pk),
        )
        for pk, thread_id, _title, _author, body, language in posts
    ]
    return {
        "participants": len(authors),
        "posts": len(posts),
        "categories": categories,
        "threads": [
            {**entry, "url": _post_url(group.pk, thread_id, entry["first"])}
            for thread_id, entry in sorted(threads.items(), key=lambda t: -t[1]["posts"])
        ],
        "synthesis": synthesis.synthesise(documents),
    }


def summary_draft(result: dict) -> str:
    """A starting text for the round summary: the figures and the main points as their
    terms with links to the posts. Quotes are left out on purpose: the summary is stored
    as written, and a post hidden later must not live on in it (the links then show the
    post's placeholder)."""
    points = format_html_join(
        "",
        "<li>{} ({}): {}</li>",
        (
            (
                " · ".join(group.label),
                ngettext("%(n)s post", "%(n)s posts", group.size) % {"n": group.size},
                format_html_join(
                    ", ", '<a href="{}">#{}</a>', ((q.url, q.ref) for q in group.quotes)
                ),
            )
            for group in result["synthesis"].groups
        ),
    )
    return format_html(
        "<p>{}</p><ul>{}</ul>",
        _("%(participants)s participants, %(posts)s posts. Main points:")
        % {"participants": result["participants"], "posts": result["posts"]},
        points,
    )

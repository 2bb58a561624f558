"""An RSS feed of a consultation's published comments: public ones only (Art. 21), and only
while the page is for the reader (rules.can_read: published, Wagtail page privacy)."""

from dataclasses import dataclass

from django.contrib.syndication.views import Feed
from django.db.models import QuerySet
from django.urls import reverse
from django.utils.translation import gettext as _

from core.sanitize import html_to_text

from .models import Comment, ConsultationPage

FEED_SIZE = 50


@dataclass(frozen=True)
class _Source:
    """The page and its comments as this request may read them (the feed object is shared
    between requests, so nothing about the reader is kept on it)."""

    page: ConsultationPage
    comments: QuerySet


class CommentsFeed(Feed):
    def get_object(self, request, page_id):
        from .views.public import _readable_consultation

        page = _readable_consultation(request, page_id)
        comments = Comment.objects.visible_to(request.user, page, request=request).public()
        return _Source(page=page, comments=comments)

    def title(self, source):
        return _("Comments on “%(title)s”") % {"title": source.page.title}

    def link(self, source):
        return source.page.url or "/"  # None for a page no site routes (officers only)

    def description(self, source):
        return _("Published comments, newest first.")

    def items(self, source):
        return source.comments.order_by("-submitted_at")[:FEED_SIZE]

    def item_title(self, comment):
        return f"{comment.reference} · {comment.public_label}"

    def item_description(self, comment):
        return html_to_text(comment.body)

    def item_link(self, comment):
        return reverse("consultations:comment", args=[comment.reference])

    def item_pubdate(self, comment):
        return comment.submitted_at

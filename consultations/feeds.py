"""An RSS feed of a consultation's published comments: public ones only (Art. 21)."""

from django.contrib.syndication.views import Feed
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _

from core.sanitize import html_to_text

from .models import Comment, ConsultationPage

FEED_SIZE = 50


class CommentsFeed(Feed):
    def get_object(self, request, page_id):
        return get_object_or_404(ConsultationPage.objects.live(), pk=page_id)

    def title(self, page):
        return _("Comments on “%(title)s”") % {"title": page.title}

    def link(self, page):
        return page.url

    def description(self, page):
        return _("Published comments, newest first.")

    def items(self, page):
        return (
            Comment.objects.public()
            .filter(consultation=page.canonical)
            .order_by("-submitted_at")[:FEED_SIZE]
        )

    def item_title(self, comment):
        return f"{comment.reference} · {comment.public_label}"

    def item_description(self, comment):
        return html_to_text(comment.body)

    def item_link(self, comment):
        from django.urls import reverse

        return reverse("consultations:comment", args=[comment.reference])

    def item_pubdate(self, comment):
        return comment.submitted_at

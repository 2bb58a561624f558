"""The officers' overview of every consultation."""

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db.models import Count, OuterRef, Subquery
from django.db.models.functions import Coalesce
from django.template.response import TemplateResponse

from .. import rules
from ..models import Comment, ConsultationPage
from .officers import _LoginRequired, _officer_view


def _count(comments):
    """A subquery counting `comments` of each consultation in the outer query."""
    per_page = (
        comments.filter(consultation=OuterRef("pk"))
        .order_by()
        .values("consultation")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return Coalesce(Subquery(per_page), 0)


@_officer_view
def officer_home(request):
    """Every consultation with its comments awaiting moderation or a response."""
    if not request.user.is_authenticated:
        raise _LoginRequired
    if not rules.can_manage(request.user, None):
        raise PermissionDenied
    pages = (
        ConsultationPage.objects.filter(locale__language_code=settings.LANGUAGE_CODE)
        .annotate(
            total=Count("comments", distinct=True),
            # The same selectors as the outcome check and the officers' filters.
            pending=_count(Comment.objects.awaiting_moderation()),
            unanswered=_count(Comment.objects.needing_response()),
        )
        .order_by("-closes_at")
    )
    return TemplateResponse(request, "consultations/officer_home.html", {"pages": pages})

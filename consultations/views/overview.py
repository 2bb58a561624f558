"""The officers' overview of every consultation."""

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db.models import Count, Q
from django.template.response import TemplateResponse

from .. import rules
from ..models import ConsultationPage
from .officers import _LoginRequired, _officer_view


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
            pending=Count(
                "comments", filter=Q(comments__moderation_status="pending"), distinct=True
            ),
            unanswered=Count(
                "comments",
                filter=Q(comments__disposition="")
                & (
                    Q(comments__moderation_status="published")
                    | Q(comments__moderation_status="pending", comments__confidential=True)
                ),
                distinct=True,
            ),
        )
        .order_by("-closes_at")
    )
    return TemplateResponse(request, "consultations/officer_home.html", {"pages": pages})

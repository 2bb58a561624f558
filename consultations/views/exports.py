"""Exports and statistics. What each viewer may see comes from rules.py and
`Comment.objects.visible_to`, as on the consultation page."""

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponseNotAllowed
from django.template.response import TemplateResponse

from .. import exports, rules, statistics
from ..campaigns.selectors import campaign_counts, with_same_text_as
from ..models import Comment
from .public import _consultation, _readable_consultation

# --- exports and statistics ------------------------------------------------------------


def export(request, page_id: int, scope: str, fmt: str):
    if scope == "all":
        page = _consultation(page_id).canonical
        if not rules.can_export_all(request.user, page):
            if not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            raise PermissionDenied
        queryset = Comment.objects.for_consultation(page)
        columns = exports.OFFICER_COLUMNS
    elif scope == "public":
        # The page's own public record: the same comments, and the responses only once the
        # outcome is published, whoever downloads it (officers have the other export).
        localized = _readable_consultation(request, page_id)
        page = localized.canonical
        queryset = with_same_text_as(
            Comment.objects.visible_to(request.user, localized, request=request).public()
        )
        columns = exports.public_columns(with_responses=rules.responses_are_public(page))
    else:
        raise Http404
    if request.method not in ("GET", "HEAD"):
        return HttpResponseNotAllowed(["GET", "HEAD"])
    filename = f"{page.reference_prefix}-comments-{scope}"
    if fmt == "csv":
        return exports.csv_response(queryset, columns, filename)
    if fmt == "xlsx":
        return exports.xlsx_response(queryset, columns, filename)
    raise Http404


def stats(request, page_id: int):
    """Statistics: officers count every comment; everyone else the public ones."""
    localized = _readable_consultation(request, page_id)
    everything = rules.can_manage(request.user, localized)
    queryset = Comment.objects.visible_to(request.user, localized, request=request)
    if not everything:
        queryset = queryset.public()
    return TemplateResponse(
        request,
        "consultations/statistics.html",
        {
            "page": localized,
            "everything": everything,
            "tables": statistics.tables(queryset, localized),
            "campaign_counts": campaign_counts(queryset),
        },
    )

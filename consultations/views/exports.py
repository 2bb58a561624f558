"""Exports and statistics."""

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponseNotAllowed
from django.template.response import TemplateResponse

from .. import exports, rules, statistics
from ..models import Comment
from .public import _consultation

# --- exports and statistics ------------------------------------------------------------


def export(request, page_id: int, scope: str, fmt: str):
    page = _consultation(page_id).canonical
    if scope == "all":
        if not rules.can_export_all(request.user, page):
            if not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            raise PermissionDenied
        queryset = Comment.objects.filter(consultation=page)
        columns = exports.OFFICER_COLUMNS
    elif scope == "public":
        queryset = Comment.objects.public().filter(consultation=page)
        columns = exports.PUBLIC_COLUMNS
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
    localized = _consultation(page_id)
    page = localized.canonical
    everything = rules.can_manage(request.user, page)
    queryset = Comment.objects.filter(consultation=page)
    if not everything:
        queryset = queryset.public()
    return TemplateResponse(
        request,
        "consultations/statistics.html",
        {
            "page": localized,
            "everything": everything,
            "tables": statistics.tables(queryset, localized),
        },
    )

from django.shortcuts import render
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from .forms import parse_params
from .query import MAX_PAGES, search
from .text import MAX_TERMS


def results(request):
    """The search page: the form, and with a query its results, facets and pages."""
    params = parse_params(request.GET)
    found = None
    notes = list(params.notes)
    if params.text:
        found = search(
            user=request.user,
            text=params.text,
            filters=params.filters,
            page=params.page,
            language=get_language(),
        )
        if found.query.truncated and not notes:
            notes.append(_("Only the first %(count)d words were searched.") % {"count": MAX_TERMS})
    return render(
        request,
        "search/results.html",
        {
            "q": params.text,
            "params": params,
            "found": found,
            "notes": notes,
            "facet_links": _facet_links(request, found) if found else {},
            "page_links": _page_links(request, found) if found else None,
            "max_pages": MAX_PAGES,
        },
    )


def _with(request, **changes) -> str:
    query = request.GET.copy()
    query.pop("page", None)
    for name, value in changes.items():
        if value is None:
            query.pop(name, None)
        else:
            query.setlist(name, value if isinstance(value, list) else [value])
    return "?" + query.urlencode()


def _facet_links(request, found) -> dict:
    """Each facet value as a link that toggles it (works without JavaScript)."""
    links = {}
    for name, values in found.facets.items():
        current = request.GET.getlist(name)
        items = []
        for value in values:
            if name == "date":
                target = None if value.selected else value.value
            else:
                chosen = [v for v in current if v != value.value]
                target = chosen if value.selected else [*chosen, value.value]
                target = target or None
            items.append({"facet": value, "url": _with(request, **{name: target})})
        links[name] = items
    return links


def _page_links(request, found) -> dict:
    def link(number):
        query = request.GET.copy()
        query["page"] = str(number)
        return "?" + query.urlencode()

    return {
        "previous": link(found.page - 1) if found.page > 1 else "",
        "next": link(found.page + 1) if found.page < found.pages else "",
    }

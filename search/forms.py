"""The search page's parameters, validated: anything typed gives a page, never an error."""

from dataclasses import dataclass, field

from django.conf import settings
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from .models import Area, Kind
from .query import AGES, MAX_PAGES, STATES, Filters
from .text import MAX_QUERY, clean

# name → (allowed values, the note for an unknown one)
MULTI = {
    "area": (Area.values, gettext_lazy("Unknown area “%(value)s” was ignored.")),
    "language": (
        [code for code, _name in settings.LANGUAGES],
        gettext_lazy("Unknown language “%(value)s” was ignored."),
    ),
    "kind": (Kind.values, gettext_lazy("Unknown content type “%(value)s” was ignored.")),
    "state": (list(STATES), gettext_lazy("Unknown consultation state “%(value)s” was ignored.")),
}


@dataclass
class SearchParams:
    text: str = ""
    filters: Filters = field(default_factory=Filters)
    page: int = 1
    notes: list[str] = field(default_factory=list)


def parse_params(data) -> SearchParams:
    """q, area, language, kind, state (repeatable), date and page from a query string.
    Unknown values are dropped with a note saying so."""
    params = SearchParams()
    text = " ".join(clean(data.get("q", "")).split())
    if len(text) > MAX_QUERY:
        params.notes.append(
            _("Only the first %(count)d characters of your search were used.")
            % {"count": MAX_QUERY}
        )
    params.text = text[: MAX_QUERY + 1]
    chosen = {}
    for name, (allowed, note) in MULTI.items():
        values = {clean(v)[:40] for v in data.getlist(name)[:20] if v}
        unknown = values - set(allowed)
        if unknown:
            params.notes.append(str(note) % {"value": sorted(unknown)[0]})
        chosen[name] = frozenset(values & set(allowed))
    date = clean(data.get("date", ""))[:40]
    if date and date not in AGES:
        params.notes.append(_("Unknown date range “%(value)s” was ignored.") % {"value": date})
        date = ""
    params.filters = Filters(date=date, **chosen)
    try:
        params.page = max(1, min(int(data.get("page", "1")), MAX_PAGES))
    except (TypeError, ValueError):
        params.page = 1
    return params

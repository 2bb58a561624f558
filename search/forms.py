"""The search page's parameters, validated: anything typed gives a page, never an error."""

from dataclasses import dataclass, field

from django.conf import settings
from django.utils.translation import gettext as _

from .models import Area, Kind
from .query import AGES, MAX_PAGES, STATES, Filters
from .text import MAX_QUERY, clean

MULTI = {
    "area": (Area.values, _("area")),
    "language": ([code for code, _name in settings.LANGUAGES], _("language")),
    "kind": (Kind.values, _("content type")),
    "state": (list(STATES), _("consultation state")),
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
    for name, (allowed, label) in MULTI.items():
        values = {clean(v)[:40] for v in data.getlist(name)[:20] if v}
        unknown = values - set(allowed)
        if unknown:
            params.notes.append(
                _("Unknown %(what)s “%(value)s” was ignored.")
                % {"what": label, "value": sorted(unknown)[0]}
            )
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

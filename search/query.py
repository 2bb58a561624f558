"""Running a search: what a person typed and chose → a page of results with facets.

Two SQL queries whatever the amount of content: one groups the matching rows this person
may see by area, language, kind, consultation state and age (every facet's counts are
computed from those few groups), one fetches the page of results. Then the policy checks
the results' objects once more (search.policy.visible) and each result gets its escaped,
highlighted snippet.
"""

from dataclasses import dataclass, field
from datetime import timedelta

from django.conf import settings
from django.db import connection
from django.utils import timezone
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext_lazy as _

from . import policy
from .backends import get_backend
from .models import Area, Kind, SearchEntry
from .text import Query, highlight_spans, parse_query

PAGE_SIZE = 10
MAX_PAGES = 50  # deeper pages are not served: refine the query instead
SNIPPET = 240  # characters around the first match
SCAN = 8000  # characters of a body searched for the snippet's match

STATES = {
    "upcoming": _("Upcoming"),
    "open": _("Open for comment"),
    "closed": _("Closed, decision pending"),
    "outcome": _("Outcome published"),
}
AGES = {"week": _("Past week"), "month": _("Past month"), "year": _("Past year")}
AGE_ORDER = ("week", "month", "year", "older")
DIMENSIONS = ("area", "language", "kind", "state", "date")


@dataclass
class Filters:
    area: frozenset = frozenset()
    language: frozenset = frozenset()
    kind: frozenset = frozenset()
    state: frozenset = frozenset()
    date: str = ""  # "", "week", "month", "year"

    def keeps(self, row: dict, *, ignore: str = "") -> bool:
        for name in ("area", "language", "kind", "state"):
            chosen = getattr(self, name)
            if name != ignore and chosen and row[name] not in chosen:
                return False
        if ignore != "date" and self.date:
            return AGE_ORDER.index(row["date"]) <= AGE_ORDER.index(self.date)
        return True


@dataclass
class FacetValue:
    value: str
    label: str
    count: int
    selected: bool


@dataclass
class Result:
    entry: SearchEntry
    url: str
    title: SafeString
    snippet: SafeString
    mark: str = ""


@dataclass
class Results:
    query: Query
    results: list[Result] = field(default_factory=list)
    total: int = 0
    page: int = 1
    pages: int = 0
    facets: dict[str, list[FacetValue]] = field(default_factory=dict)

    @property
    def start(self) -> int:
        return (self.page - 1) * PAGE_SIZE + 1


def _state_sql(now) -> tuple[str, list]:
    return (
        "CASE WHEN e.opens_at IS NULL THEN '' WHEN e.opens_at > %s THEN 'upcoming' "
        "WHEN e.closes_at > %s THEN 'open' WHEN e.has_outcome THEN 'outcome' "
        "ELSE 'closed' END",
        [now, now],
    )


def _age_sql(now) -> tuple[str, list]:
    return (
        "CASE WHEN e.date >= %s THEN 'week' WHEN e.date >= %s THEN 'month' "
        "WHEN e.date >= %s THEN 'year' ELSE 'older' END",
        [now - timedelta(days=7), now - timedelta(days=31), now - timedelta(days=366)],
    )


def _in(column: str, values) -> tuple[str, list]:
    values = sorted(values)
    return f"{column} IN ({', '.join('%s' for _ in values)})", values


FIELDS = ", ".join(  # all but the lexemes
    f"e.{f.column}" for f in SearchEntry._meta.concrete_fields if f.column != "vector"
)


def _other_copies_sql(match, reader: str) -> tuple[str, list]:
    """Leaves out a page (or one of its sections) in another language when its copy in the
    reader's language matches too, or, failing that, its copy in the site's default language:
    a French reader does not get the same draft section once per language it was copied into.
    A copy that does not match (a real translation worded otherwise) leaves the others listed."""
    sources = ", ".join(["%s"] * len(policy.PAGE_SOURCES))
    sibling = match.row_matches.format(row="t")
    default = settings.LANGUAGE_CODE
    return (
        f"NOT (e.source IN ({sources}) AND e.language <> %s AND EXISTS ("  # noqa: S608
        # t.id <> e.id keeps the subquery correlated (one index lookup by family for the
        # few page rows in another language), not a hashed scan of every match.
        "SELECT 1 FROM search_searchentry t WHERE t.id <> e.id AND t.source = e.source "
        "AND t.family = e.family AND t.kind = e.kind AND t.part = e.part AND t.public "
        "AND (t.language = %s OR (t.language = %s AND e.language <> %s)) "
        f"AND {sibling}))",
        [*policy.PAGE_SOURCES, reader, reader, default, default, *match.params_row_matches],
    )


def search(*, user, text: str, filters: Filters, page: int = 1, language: str = "") -> Results:
    query = parse_query(text)
    outcome = Results(query=query)
    if not query:
        return outcome
    now = timezone.now()
    match = get_backend(connection).match(query)
    who, who_params = policy.viewer(user).restricted_sql
    state_sql, state_params = _state_sql(now)
    age_sql, age_params = _age_sql(now)
    reader = language or settings.LANGUAGE_CODE
    copies, copies_params = _other_copies_sql(match, reader)
    where = f"{match.where} AND {who} AND {copies}"
    where_params = [*match.params_where, *who_params, *copies_params]

    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT e.area, e.language, e.kind, {state_sql}, {age_sql}, COUNT(*) "  # noqa: S608
            f"FROM search_searchentry e {match.joins} WHERE {where} "
            "GROUP BY e.area, e.language, e.kind, 4, 5",
            [*state_params, *age_params, *match.params_joins, *where_params],
        )
        rows = [dict(zip((*DIMENSIONS, "n"), r, strict=True)) for r in cursor.fetchall()]
    outcome.facets = _facets(rows, filters)
    outcome.total = sum(r["n"] for r in rows if filters.keeps(r))
    outcome.pages = min(MAX_PAGES, (outcome.total + PAGE_SIZE - 1) // PAGE_SIZE)
    outcome.page = max(1, min(page, outcome.pages or 1))
    if not outcome.total:
        return outcome

    conditions, params = [where], list(where_params)
    for name, column in (("area", "e.area"), ("language", "e.language"), ("kind", "e.kind")):
        if chosen := getattr(filters, name):
            sql, values = _in(column, chosen)
            conditions.append(sql)
            params += values
    if filters.state:
        sql, values = _in(f"({state_sql})", filters.state)
        conditions.append(sql)
        params += state_params + values
    if filters.date:
        sql, values = _in(f"({age_sql})", AGE_ORDER[: AGE_ORDER.index(filters.date) + 1])
        conditions.append(sql)
        params += age_params + values
    entries = list(
        SearchEntry.objects.raw(
            f"SELECT {FIELDS}, {match.score} AS score "  # noqa: S608
            f"FROM search_searchentry e {match.joins} WHERE {' AND '.join(conditions)} "
            # The reader's language first; then relevance; recent before old on ties.
            "ORDER BY CASE WHEN e.language = %s THEN 0 ELSE 1 END, score DESC, "
            "e.date DESC, e.id DESC LIMIT %s OFFSET %s",
            [
                *match.params_score,
                *match.params_joins,
                *params,
                reader,
                PAGE_SIZE,
                (outcome.page - 1) * PAGE_SIZE,
            ],
        )
    )
    for entry in policy.visible(user, entries):
        outcome.results.append(
            Result(
                entry=entry,
                url=_url(entry, reader),
                title=highlight(entry.title, entry.language, query, whole=True),
                snippet=highlight(entry.body, entry.language, query),
                mark=entry.mark,
            )
        )
    return outcome


def _facets(rows: list[dict], filters: Filters) -> dict[str, list[FacetValue]]:
    """Each facet's counts with the other facets' choices applied (so one can widen a
    choice as well as narrow it)."""
    labels = {
        "area": dict(Area.choices),
        "kind": dict(Kind.choices),
        "language": {code: name for code, name in settings.LANGUAGES},
        "state": STATES,
    }
    facets = {}
    for name in ("area", "language", "kind", "state"):
        counts: dict[str, int] = {}
        for row in rows:
            if row[name] and filters.keeps(row, ignore=name):
                counts[row[name]] = counts.get(row[name], 0) + row["n"]
        chosen = getattr(filters, name)
        facets[name] = [
            FacetValue(value, str(label), counts.get(value, 0), value in chosen)
            for value, label in labels[name].items()
            if counts.get(value) or value in chosen
        ]
    ages = {age: 0 for age in AGE_ORDER}
    for row in rows:
        if filters.keeps(row, ignore="date"):
            ages[row["date"]] += row["n"]
    facets["date"] = [
        FacetValue(
            age,
            str(label),
            sum(ages[a] for a in AGE_ORDER[: AGE_ORDER.index(age) + 1]),
            filters.date == age,
        )
        for age, label in AGES.items()
    ]
    return facets


def _url(entry, reader: str) -> str:
    url = entry.get_absolute_url()
    if entry.source in policy.PAGE_SOURCES:
        return url  # each language's page has its own address
    # Forum pages and comment receipts exist in every language (stored under the default
    # language's prefix, their paths the same in each): the reader's.
    prefix = f"/{settings.LANGUAGE_CODE}/"
    if url.startswith(prefix) and reader in {code for code, _name in settings.LANGUAGES}:
        return f"/{reader}/{url[len(prefix) :]}"
    return url


def highlight(text: str, language: str, query: Query, *, whole: bool = False) -> SafeString:
    """`text` escaped, with each match of `query` in <mark>: the whole text, or about
    SNIPPET characters around the first match. Built from stored plain text only."""
    text = text or ""
    scan_end = len(text) if whole else min(len(text), SCAN)
    spans = []
    position = 0
    while position < scan_end and not spans:
        stop = min(scan_end, position + 2000)
        if stop < scan_end:
            space = text.rfind(" ", position, stop)
            stop = space if space > position + 1000 else stop
        spans = [
            (a + position, b + position)
            for a, b in highlight_spans(text[position:stop], language, query)
        ]
        position = stop
        if whole:
            break
    if whole:
        start, end = 0, len(text)
    else:
        first = spans[0][0] if spans else 0
        start = max(0, first - SNIPPET // 3)
        if start:
            space = text.find(" ", start, first)
            start = space + 1 if space != -1 else start
        end = min(len(text), start + SNIPPET)
    out = ["…" if start else ""]
    cursor = start
    for a, b in spans:
        if b <= start or a >= end:
            continue
        a, b = max(a, start), min(b, end)
        out.append(escape(text[cursor:a]))
        out.append(f"<mark>{escape(text[a:b])}</mark>")
        cursor = b
    out.append(escape(text[cursor:end]))
    out.append("…" if end < len(text) else "")
    return mark_safe("".join(out))  # noqa: S308 — every piece of text went through escape()

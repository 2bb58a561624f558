"""Counts of comments by section, stakeholder category, country and day, for tables and
bar charts (CSS bars whose numbers are in the table, so nothing depends on seeing them)."""

from django.db.models import Count
from django.db.models.functions import TruncDate
from django.utils.translation import gettext as _
from django_countries import countries

from core.stakeholders import StakeholderCategory


def _bars(pairs: list[tuple[str, int]]) -> dict:
    total = sum(n for _label, n in pairs)
    top = max((n for _label, n in pairs), default=0)
    return {
        "total": total,
        "rows": [
            {
                "label": label,
                "count": n,
                "percent": round(100 * n / total) if total else 0,
                "width": round(100 * n / top) if top else 0,
            }
            for label, n in pairs
        ],
    }


def tables(queryset, page) -> list[dict]:
    """Four tables; four queries whatever the number of comments."""
    sections = {s["key"]: s for s in page.section_list}
    by_section = dict(
        queryset.values_list("section_key").annotate(n=Count("pk")).values_list("section_key", "n")
    )
    section_rows = [(_("The draft as a whole"), by_section.pop("", 0))]
    for key, section in sections.items():
        section_rows.append(
            (_("Section %(number)s") % {"number": section["number"]}, by_section.pop(key, 0))
        )
    if by_section:  # sections removed from the draft since
        section_rows.append((_("Sections no longer in the draft"), sum(by_section.values())))

    categories = dict(StakeholderCategory.choices)
    by_category = (
        queryset.values_list("author_category")
        .annotate(n=Count("pk"))
        .order_by("-n")
        .values_list("author_category", "n")
    )
    by_country = (
        queryset.values_list("author_country")
        .annotate(n=Count("pk"))
        .order_by("-n")
        .values_list("author_country", "n")
    )
    by_day = (
        queryset.annotate(day=TruncDate("submitted_at"))
        .values_list("day")
        .annotate(n=Count("pk"))
        .order_by("day")
        .values_list("day", "n")
    )
    return [
        {"key": "section", "title": _("By section"), **_bars(section_rows)},
        {
            "key": "category",
            "title": _("By stakeholder category"),
            **_bars([(str(categories.get(c, "")) or _("Not given"), n) for c, n in by_category]),
        },
        {
            "key": "country",
            "title": _("By country"),
            **_bars([(countries.name(c) if c else _("Not given"), n) for c, n in by_country]),
        },
        {
            "key": "day",
            "title": _("By day (UTC)"),
            **_bars([(d.isoformat() if d else "", n) for d, n in by_day]),
        },
    ]

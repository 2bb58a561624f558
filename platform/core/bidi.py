"""Text of one direction inside a page of the other (ARCHITECTURE.md, Languages).

In an Arabic page, an identifier such as MON-89Ø34-3, a sum such as 5 + 1 = 6 or a timestamp
is a run of neutral characters and Latin letters that the bidirectional algorithm reorders
("(6-MON-ØØ18Ø", "6 = 1 + 5"). Wrapping each in <bdi dir="ltr"> keeps it whole and in order;
in a left-to-right page the wrapper changes nothing.
"""

import re

from django.utils.html import conditional_escape, format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language, get_language_info

# Latin capitals and digits joined by hyphens, with × between stacked events: OECD unique
# identifiers (MON-89Ø34-3, MON-89Ø34-3 × MON-ØØ6Ø3-6) and comment references (MON89034-0001).
_IDENTIFIER = r"[A-Z0-9Ø]+(?:-[A-Z0-9Ø]+)+(?:\s*[×x]\s*[A-Z0-9Ø]+(?:-[A-Z0-9Ø]+)+)*"
# ISO dates and times as the site prints them: 2026-12-30, 2026-12-30 13:30 UTC.
_TIMESTAMP = r"\d{4}-\d{2}-\d{2}(?:[ T]\d{2}:\d{2}(?::\d{2})?)?(?:\s?UTC)?"
# A sum or an equation: operands (Latin letters, digits, Ø, brackets) joined by + − × = mod.
_OPERAND = r"(?:[A-ZØ]\s)?\(?[A-Za-z0-9Ø]+\)?"
_FORMULA = rf"{_OPERAND}(?:\s*(?:[=+−×]|mod)\s*\(?{_OPERAND}(?:\s*[−+]\s*{_OPERAND})?\)?)+"
_LTR_RUN = re.compile(rf"(?<![\w-])(?:(?P<whole>{_TIMESTAMP}|{_IDENTIFIER})|{_FORMULA})(?![\w-])")


def ltr(value) -> SafeString:
    """`value` isolated as left-to-right: identifiers, references, formulas, e-mail addresses."""
    if value in (None, ""):
        return mark_safe("")  # noqa: S308 - a constant
    return format_html('<bdi dir="ltr">{}</bdi>', value)


def isolate_ltr_runs(text) -> SafeString:
    """`text` escaped (unless already safe), with each identifier, timestamp and formula in it
    isolated as left-to-right. For translated sentences that name identifiers or sums."""
    if text in (None, ""):
        return mark_safe("")  # noqa: S308 - a constant
    escaped = str(conditional_escape(text))
    # Escaping leaves letters, digits, Ø, +, −, ×, = and spaces alone, so matching the escaped
    # text finds the same runs (and never splits an entity such as &amp;).
    return mark_safe(  # noqa: S308 - every piece was escaped above
        _LTR_RUN.sub(_isolate, escaped)
    )


def _isolate(match) -> str:
    # An identifier or a timestamp never breaks across lines (not at its hyphens either); a
    # long sum may, on a phone.
    nowrap = ' class="nowrap"' if match.group("whole") else ""
    return f'<bdi dir="ltr"{nowrap}>{match.group(0)}</bdi>'


def fallback_attrs(language_code: str) -> SafeString:
    """` lang="…" dir="auto"` for content in another language than the page's (Wagtail serves
    the default-language page where no translation exists); nothing when they agree."""
    current = (get_language() or "").lower()
    code = (language_code or "").lower()
    if not code or code == current or code.split("-")[0] == current.split("-")[0]:
        return mark_safe("")  # noqa: S308 - a constant
    try:
        get_language_info(code)
    except KeyError:
        return mark_safe("")  # noqa: S308 - a constant
    return format_html(' lang="{}" dir="auto"', code)

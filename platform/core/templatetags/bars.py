"""`{% bar percent %}`: a horizontal bar for the statistics tables.

An SVG whose filled part is a <rect> of that width: an SVG attribute, where a width in a
style attribute would be refused by the Content-Security-Policy (no inline style). The
numbers are always in the table beside it; the bar is decoration (aria-hidden).
"""

from django import template
from django.utils.html import format_html

register = template.Library()

# A non-zero share stays visible however small it is.
MIN_VISIBLE = 0.5


@register.simple_tag
def bar(percent) -> str:
    try:
        value = min(100.0, max(0.0, float(percent)))
    except (TypeError, ValueError):
        value = 0.0
    width = max(value, MIN_VISIBLE) if value else 0.0
    return format_html(
        '<svg class="bar" viewBox="0 0 100 1" preserveAspectRatio="none" aria-hidden="true" '
        'focusable="false"><rect width="{}" height="1"></rect></svg>',
        f"{width:g}",
    )

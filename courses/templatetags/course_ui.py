"""Tags of the lesson page.

{% choice_fields item state %}: an exercise question's inputs, built in Python.

courses/blocks/_choice_fields.html is its readable form and the reference: tests/courses/
test_markup_in_python.py requires the same bytes from both, for every kind of question, blank and
refilled after a slip. The include ran once per question, a few hundred variables for a quiz
(about 1.7 ms of a lesson page); this builds the same markup, every value escaped as the
template's autoescaping does.
"""

from django import template
from django.utils.html import conditional_escape
from django.utils.safestring import mark_safe
from wagtail.templatetags.wagtailcore_tags import pageurl

register = template.Library()


@register.simple_tag
def choice_fields(item, state) -> str:
    """What `{% include "courses/blocks/_choice_fields.html" %}` renders for `item`."""
    block_id = conditional_escape(state.block_id)
    invalid = ' aria-invalid="true"' if item.missing else ""
    out = []
    for f in item.fields:
        name = conditional_escape(f.name)
        if f.widget == "select":
            options = "".join(
                f'<option value="{conditional_escape(c.value)}"'
                f"{' selected' if c.checked else ''}>{conditional_escape(c.text)}</option>"
                for c in f.choices
            )
            out.append(
                f'\n  \n    <div class="match-row"><label for="{block_id}-{name}">'
                f"{conditional_escape(f.label)}</label>\n"
                f'      <select id="{block_id}-{name}" name="{name}"{invalid}>\n'
                f'        <option value="">—</option>\n        {options}\n'
                "      </select></div>\n  \n"
            )
        else:
            widget = conditional_escape(f.widget)
            choices = "".join(
                f'\n      <div class="choice"><input type="{widget}" '
                f'id="{block_id}-{name}-{n}" name="{name}" value="{conditional_escape(c.value)}"'
                f'{" checked" if c.checked else ""}><label for="{block_id}-{name}-{n}">'
                f"{conditional_escape(c.text)}</label></div>\n    "
                for n, c in enumerate(f.choices, 1)
            )
            out.append(f"\n  \n    {choices}\n  \n")
    out.append("\n")
    return mark_safe("".join(out))  # noqa: S308 - every value escaped above


@register.simple_tag(takes_context=True)
def page_url(context, page):
    """`{% pageurl page %}`, from the lesson view's `page_urls` (page id → URL, worked out
    from the course's URL: courses.outline_html.url_maker) when it holds the page."""
    urls = context.get("page_urls")
    if urls is not None:
        url = urls.get(page.pk)
        if url is not None:
            return url
    return pageurl(context, page)

"""Template tags every page may use: the error summary of refused forms, one form field,
direction isolation."""

from django import template
from django.conf import settings
from django.urls import get_script_prefix, get_urlconf
from django.utils.functional import Promise
from django.utils.html import format_html, strip_tags
from django.utils.safestring import mark_safe
from django.utils.translation import get_language

from core import bidi, form_renderer
from core.link_language import language_note as language_note_of
from core.link_language import other_language as link_language_of
from core.link_language import unavailable_notice
from core.text_language import text_language

register = template.Library()


def error_items(*forms_) -> list[dict]:
    """What went wrong, in the order of the forms and their fields: each field's errors link to
    the field (`href`), errors of the whole form have no link."""
    items = []
    for form in forms_:
        if form is None or not form.is_bound or not form.errors:
            continue
        items.extend({"text": str(error), "href": ""} for error in form.non_field_errors())
        for field in form:
            if field.is_hidden:
                # A hidden field's error (a stale token) is about the whole form.
                items.extend({"text": str(error), "href": ""} for error in field.errors)
                continue
            href = f"#{field.id_for_label}" if field.id_for_label else ""
            items.extend(
                {"text": f"{field.label}: {error}", "href": href} for error in field.errors
            )
    return items


@register.inclusion_tag("includes/error_summary.html")
def error_summary(*forms_, anchor="", extra=None):
    """The GOV.UK error summary for one or more forms: a box at the top of the form, role=alert,
    listing each error as a link to its field. static/js/forms.js focuses it when the page loads
    (without JavaScript, the form's action carries the #anchor that brings the reader here).
    `extra`: more items ({"text", "href"}) a view found, such as the comments that block an
    outcome."""
    return {"items": error_items(*forms_) + list(extra or []), "anchor": anchor}


@register.simple_tag
def field_html(field):
    """{% field_html field %}: what `{% include "includes/field.html" %}` renders for the bound
    field (that template is its readable form and the reference: tests/core/
    test_form_renderer.py requires the same bytes). Built in Python: the include ran once per
    field, a hundred times on the officers' comment screen."""
    return form_renderer.field_html(field)


@register.filter
def ltr(value):
    """{{ identifier|ltr }}: isolated as left-to-right (<bdi dir="ltr">), for Arabic pages."""
    return bidi.ltr(value)


@register.filter
def isolate_ltr(text):
    """{{ sentence|isolate_ltr }}: each identifier, timestamp and sum in the text isolated."""
    return bidi.isolate_ltr_runs(text)


@register.filter
def fallback_lang(obj):
    """<div{{ page|fallback_lang }}>: lang and dir="auto" when the content (a Wagtail page, or
    anything with a language code) is not in the page's language."""
    locale_id = getattr(obj, "locale_id", None)
    if locale_id is not None:
        code = locale_code(locale_id)
    else:
        code = getattr(obj, "language", obj)
    return bidi.fallback_attrs(code if isinstance(code, str) else "")


# Locale id → language code: a handful of rows, asked by every page, so kept per process
# rather than loaded with each page (one query a page). Forgotten when this process saves or
# deletes a locale; another worker keeps its copy until it restarts (a locale's code is not
# changed on a running site: its pages' URLs hang on it).
_LOCALE_CODES: dict = {}


def forget_locale_codes(*args, **kwargs) -> None:
    _LOCALE_CODES.clear()


def locale_code(locale_id) -> str:
    code = _LOCALE_CODES.get(locale_id)
    if code is None:
        from wagtail.models import Locale

        code = Locale.objects.filter(pk=locale_id).values_list("language_code", flat=True).first()
        code = code or ""
        _LOCALE_CODES[locale_id] = code
    return code


@register.filter
def text_lang(text, written_in):
    """lang="{{ comment.body|text_lang:comment.language }}": the language of a person's text
    by its script, "" when unknown (core.text_language)."""
    return text_language(strip_tags(str(text or "")), written_in)


@register.filter
def authored_dir(obj):
    """<div{{ page|authored_dir }}>: like fallback_lang, and dir="auto" in any case. For text an
    editor wrote, which a translated page may still carry in the source language (Wagtail
    copies fields nobody translated): the text's own first letters decide its direction."""
    attrs = fallback_lang(obj)
    return attrs or mark_safe(' dir="auto"')  # noqa: S308 - a constant


@register.filter
def link_language(url):
    """{% with tl=url|link_language %}: the language of the page `url` leads to when it is not
    the reader's ("" otherwise), for `hreflang` and the visible note (core.link_language)."""
    return link_language_of(url)


@register.filter
def language_note(code):
    """{{ tl|language_note }}: "(in English)" in the reader's language; "" for no code."""
    return language_note_of(code)


@register.simple_tag
def other_language_notice(page):
    """{% other_language_notice page %}: a note at the top of a Wagtail page shown in another
    language than the reader's (core.link_language.unavailable_notice); nothing otherwise."""
    locale_id = getattr(page, "locale_id", None)
    text = unavailable_notice(locale_code(locale_id) if locale_id else "")  # no locale query
    if not text:
        return ""
    return format_html('<p class="notice" role="note">{}</p>', text)


# --- {% memo %}: fragments the same for everyone who shares a few values -------------------

# (name, language, script prefix, URL configuration, the tag's values) → rendered HTML, in
# this process. Bounded: cleared when full (the keys are few: a handful of fragments ×
# languages × values).
_MEMO: dict = {}
MEMO_MAX = 4096


def forget_memo() -> None:
    _MEMO.clear()


def _frozen(value):
    if isinstance(value, Promise):
        return str(value)
    if isinstance(value, (list, tuple)):
        return tuple(_frozen(v) for v in value)
    if isinstance(value, dict):
        return tuple(sorted((k, _frozen(v)) for k, v in value.items()))
    return value


class MemoNode(template.Node):
    def __init__(self, name, values, nodelist):
        self.name, self.values, self.nodelist = name, values, nodelist

    def render(self, context):
        if settings.DEBUG:  # a template edited while the development server runs shows at once
            return self.nodelist.render(context)
        key = (
            self.name,
            get_language(),
            get_script_prefix(),
            get_urlconf() or settings.ROOT_URLCONF,
            *(_frozen(value.resolve(context)) for value in self.values),
        )
        html = _MEMO.get(key)
        if html is None:
            html = self.nodelist.render(context)
            if len(_MEMO) >= MEMO_MAX:
                _MEMO.clear()
            _MEMO[key] = html
        return html


@register.tag
def memo(parser, token):
    """{% memo "name" value … %}…{% endmemo %}: the fragment rendered once per process for each
    language and each combination of the values given, then copied. For the site shell's
    pieces that every page repeats (translated labels, `{% url %}`, `{% static %}`), which
    cost a page a millisecond or two to render again and again.

    The fragment may show only what the values, the language and the URL configuration
    decide: never a person's data, a token (`{% csrf_token %}`), the request's path or
    anything read from the database, unless it is one of the values. Off with DEBUG."""
    bits = token.split_contents()
    if len(bits) < 2:
        raise template.TemplateSyntaxError("{% memo %} needs a name")
    nodelist = parser.parse(("endmemo",))
    parser.delete_first_token()
    return MemoNode(bits[1], [parser.compile_filter(bit) for bit in bits[2:]], nodelist)

"""The site's form renderer: Django's own widget, label and error-list templates built in Python.

Every widget, every <option>, every label and every error list of a form went through the
template engine (a context, an include or two, attrs.html once per widget and once per option);
on the officers' comment screen that was half the page's time. FastRenderer builds, for the
template names in _BUILDERS, the bytes Django's stock templates in
django/forms/templates/django/forms/ render, every value escaped as their autoescaping does
(conditional_escape, localize, stringformat:'s', safe strings kept).

Anything else goes through the engine, as with Django's renderer: another template name (Wagtail's
admin widgets, multi-widgets, file inputs), a name an app overrides (checked once per name: the
file the engine would load, and those it includes, must be Django's own), or a value the
templates would treat specially (a callable, which they call). tests/core/test_form_renderer.py
requires the same bytes from both renderers for every form of the site.

`field_html(field)` is `{% include "includes/field.html" %}` built the same way.
"""

import html
import os
from pathlib import Path

import django.forms
from django.forms.renderers import DjangoTemplates
from django.forms.utils import ErrorList
from django.template import TemplateDoesNotExist
from django.template.base import render_value_in_context
from django.template.context import Context
from django.utils.html import conditional_escape, escape
from django.utils.safestring import SafeData, mark_safe

# Where Django's own form templates are: the first directory of DjangoTemplates' engine.
STOCK_DIR = Path(django.forms.__file__).parent / "templates"
W = "django/forms/widgets/"


class Fallback(Exception):
    """A value the templates treat in a way this module does not reproduce."""


# What `{{ value }}` renders with: autoescaping on, the settings' time zone and localization.
_CONTEXT = Context()


def value_html(value) -> str:
    """`{{ value }}`: escaped as autoescaping does, numbers and dates localized first (also
    courses.quiz_html's)."""
    if type(value) is str:  # what django.utils.html.escape does, without its wrappers
        return html.escape(value)
    if isinstance(value, str):  # localize leaves strings alone; a safe string stays as it is
        return conditional_escape(value)
    if callable(value):  # the template would call it
        raise Fallback
    return render_value_in_context(value, _CONTEXT)


def _formatted(value) -> str:
    """{{ value|stringformat:'s' }}: "%s" % value, still safe if the value was."""
    if type(value) is str:
        return html.escape(value)
    if callable(value):
        raise Fallback
    try:
        text = "%s" % (str(value) if isinstance(value, tuple) else value)
    except (ValueError, TypeError):
        text = ""
    return text if isinstance(value, SafeData) else escape(text)


def _is_not_none(value) -> bool:
    """{% if value != None %} (an error comparing counts as False)."""
    if value is None:
        return False
    try:
        return bool(value != None)  # noqa: E711 - the template's comparison
    except Exception:
        return False


def _attr(attrs, name):
    """{{ attrs.name }} of a widget's attrs: "" when missing."""
    if attrs is None:
        return ""
    if type(attrs) is not dict:
        raise Fallback
    value = attrs.get(name, "")
    if callable(value):
        raise Fallback
    return value


def attrs_html(attrs) -> str:
    """django/forms/widgets/attrs.html and django/forms/attrs.html."""
    if attrs is None:
        return ""
    # `attrs.items` in a template is attrs["items"] when there is one.
    if type(attrs) is not dict or "items" in attrs:
        raise Fallback
    out = []
    for name, value in attrs.items():
        if value is False:
            continue
        if value is True:
            out.append(f" {value_html(name)}")
        else:
            out.append(f' {value_html(name)}="{_formatted(value)}"')
    return "".join(out)


def _widget(context):
    widget = context["widget"]
    if type(widget) is not dict:
        raise Fallback
    return widget


def _value(widget, key):
    value = widget[key]
    if callable(value):
        raise Fallback
    return value


def input_html(w) -> str:
    """django/forms/widgets/input.html (and text.html, email.html… which include it)."""
    value = _value(w, "value")
    shown = f' value="{_formatted(value)}"' if _is_not_none(value) else ""
    return (
        f'<input type="{value_html(w["type"])}" name="{value_html(w["name"])}"{shown}'
        f"{attrs_html(_value(w, 'attrs'))}>\n"
    )


def textarea_html(w) -> str:
    """django/forms/widgets/textarea.html"""
    value = _value(w, "value")
    return (
        f'<textarea name="{value_html(w["name"])}"{attrs_html(_value(w, "attrs"))}>\n'
        f"{value_html(value) if value else ''}</textarea>\n"
    )


def _option_html(option) -> str:
    """django/forms/widgets/select_option.html"""
    if type(option) is not dict or option["template_name"] != W + "select_option.html":
        raise Fallback
    return (
        f'<option value="{_formatted(_value(option, "value"))}"'
        f"{attrs_html(_value(option, 'attrs'))}>{value_html(option['label'])}</option>\n"
    )


def select_html(w) -> str:
    """django/forms/widgets/select.html"""
    out = [f'<select name="{value_html(w["name"])}"{attrs_html(_value(w, "attrs"))}>']
    for group_name, group_choices, _index in _value(w, "optgroups"):
        if callable(group_name):
            raise Fallback
        if group_name:
            out.append(f'\n  <optgroup label="{value_html(group_name)}">')
        out.extend("\n  " + _option_html(option) for option in group_choices)
        if group_name:
            out.append("\n  </optgroup>")
    out.append("\n</select>\n")
    return "".join(out)


_INPUT_OPTIONS = (W + "radio_option.html", W + "checkbox_option.html")


def _input_option_html(option) -> str:
    """django/forms/widgets/radio_option.html or checkbox_option.html: input_option.html and
    the newline that ends each of the two files."""
    if type(option) is not dict or option["template_name"] not in _INPUT_OPTIONS:
        raise Fallback
    if not _value(option, "wrap_label"):
        return input_html(option) + "\n\n"
    id_ = _attr(_value(option, "attrs"), "id")
    label = f'<label for="{value_html(id_)}">' if id_ else "<label>"
    return f"{label}{input_html(option)} {value_html(option['label'])}</label>\n\n"


def multiple_input_html(w) -> str:
    """django/forms/widgets/multiple_input.html (radio.html, checkbox_select.html)."""
    attrs = _value(w, "attrs")
    id_, class_ = _attr(attrs, "id"), _attr(attrs, "class")
    out = [
        "<div",
        f' id="{value_html(id_)}"' if id_ else "",
        f' class="{value_html(class_)}"' if class_ else "",
        ">",
    ]
    for group, options, _index in _value(w, "optgroups"):
        if callable(group):
            raise Fallback
        if group:
            out.append(f"\n  <div><label>{value_html(group)}</label>")
        out.extend(f"<div>\n    {_input_option_html(option)}</div>" for option in options)
        if group:
            out.append("\n  </div>")
    out.append("\n</div>\n")
    return "".join(out)


def label_html(context) -> str:
    """django/forms/label.html"""
    label = value_html(context["label"])
    if not context["use_tag"]:
        return label + "\n"
    tag = value_html(context["tag"])
    return f"<{tag}{attrs_html(context['attrs'])}>{label}</{tag}>\n"


def error_list_html(context) -> str:
    """django/forms/errors/list/ul.html (and default.html, which includes it)."""
    errors = context["errors"]
    if not isinstance(errors, ErrorList):
        raise Fallback
    if not errors:
        return ""
    field_id = errors.field_id
    id_ = f' id="{value_html(field_id)}_error"' if field_id else ""
    items = "".join(f"<li>{value_html(error)}</li>" for error in errors)
    return f'<ul class="{value_html(context["error_class"])}"{id_}>{items}</ul>'


def error_dict_html(context) -> str:
    """django/forms/errors/dict/ul.html (and default.html, which includes it)."""
    errors = context["errors"]
    if not errors:
        return "\n"
    items = "".join(f"<li>{value_html(field)}{value_html(error)}</li>" for field, error in errors)
    return f'<ul class="{value_html(context["error_class"])}">{items}</ul>\n'


def _widget_builder(build):
    return lambda context: build(_widget(context))


_INPUT_NAMES = (
    "checkbox color date datetime email file hidden number password search tel text time url"
).split()
_INPUT_FILES = (W + "input.html", W + "attrs.html")
_OPTION_FILES = (W + "input_option.html", *_INPUT_OPTIONS, *_INPUT_FILES)

# Template name → (its builder, the stock files the engine would render for it).
_BUILDERS = {
    W + "input.html": (_widget_builder(input_html), _INPUT_FILES),
    **{
        f"{W}{name}.html": (_widget_builder(input_html), (f"{W}{name}.html", *_INPUT_FILES))
        for name in _INPUT_NAMES
    },
    W + "textarea.html": (_widget_builder(textarea_html), (W + "textarea.html", W + "attrs.html")),
    W + "select.html": (
        _widget_builder(select_html),
        (W + "select.html", W + "select_option.html", W + "attrs.html"),
    ),
    **{
        f"{W}{name}.html": (
            _widget_builder(multiple_input_html),
            (f"{W}{name}.html", W + "multiple_input.html", *_OPTION_FILES),
        )
        for name in ("radio", "checkbox_select")
    },
    "django/forms/label.html": (
        label_html,
        ("django/forms/label.html", "django/forms/attrs.html"),
    ),
    "django/forms/errors/list/ul.html": (error_list_html, ("django/forms/errors/list/ul.html",)),
    "django/forms/errors/list/default.html": (
        error_list_html,
        ("django/forms/errors/list/default.html", "django/forms/errors/list/ul.html"),
    ),
    "django/forms/errors/dict/ul.html": (error_dict_html, ("django/forms/errors/dict/ul.html",)),
    "django/forms/errors/dict/default.html": (
        error_dict_html,
        ("django/forms/errors/dict/default.html", "django/forms/errors/dict/ul.html"),
    ),
}


class FastRenderer(DjangoTemplates):
    """Django's template form renderer, with its stock templates built in Python."""

    def __init__(self):
        super().__init__()
        self._stock = {}  # template name → whether the engine loads Django's own files for it

    def render(self, template_name, context, request=None):
        entry = _BUILDERS.get(template_name)
        if entry is not None and isinstance(context, dict):
            build, files = entry
            if self.is_stock(template_name, files):
                try:
                    return build(context).strip()
                except (Fallback, KeyError):
                    pass
        return super().render(template_name, context, request=request)

    def is_stock(self, template_name, files) -> bool:
        known = self._stock.get(template_name)
        if known is None:
            known = self._stock[template_name] = all(map(self.is_django_file, files))
        return known

    def is_django_file(self, name) -> bool:
        """Whether the engine loads `name` from Django's own form templates."""
        try:
            origin = self.engine.get_template(name).template.origin.name
        except TemplateDoesNotExist:
            return False
        return os.path.normpath(str(origin)) == os.path.normpath(STOCK_DIR / name)


def field_html(field) -> str:
    """What `{% include "includes/field.html" %}` renders for the bound field `field`."""
    if field.is_hidden:
        return mark_safe(f"\n{value_html(field)}\n")  # noqa: S308 - escaped as {{ field }}
    errors = field.errors
    help_text = field.help_text
    css = "field field--error" if errors else "field"
    out = [f'\n<div class="{css}">{value_html(field.label_tag())}']
    if help_text:
        out.append(
            f'<span class="helptext" id="{value_html(field.auto_id)}_helptext">'
            f"{value_html(help_text)}</span>"
        )
    if errors:
        items = "".join(f"<li>{value_html(error)}</li>" for error in errors)
        out.append(f'<ul class="errorlist" id="{value_html(field.auto_id)}_error">{items}</ul>')
    out.append(f"{value_html(field)}</div>\n")
    return mark_safe("".join(out))  # noqa: S308 - every value escaped above

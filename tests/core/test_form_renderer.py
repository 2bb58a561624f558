"""core.form_renderer.FastRenderer renders, byte for byte, what Django's own template renderer
does, for every form of the site (blank, refused, refilled with hostile text) and for the
widgets directly; it leaves other and overridden templates to the engine; and
{% field_html field %} is what templates/includes/field.html renders."""

import importlib
import inspect
from types import SimpleNamespace

import pytest
from django import forms
from django.forms.renderers import DjangoTemplates
from django.template import Context, Template
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.datastructures import MultiValueDict
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext_lazy

from core.form_renderer import FastRenderer

pytestmark = pytest.mark.django_db

FORM_MODULES = [
    "accounts.forms",
    "core.forms",
    "core.submissions",
    "courses.forms",
    "forums.forms",
    "consultations.forms",
    "search.forms",
]
HOSTILE = [
    '"><script>alert(1)</script>',
    "&amp; &lt;b&gt; 'quoted'",
    "لجنة السلامة الأحيائية 生物安全 Ø",
    "long " * 3000,
]

STOCK, FAST = DjangoTemplates(), FastRenderer()


def project_forms() -> list[type]:
    """Every Form and ModelForm class the site's apps define."""
    found = {}
    for name in FORM_MODULES:
        module = importlib.import_module(name)
        for value in vars(module).values():
            if (
                inspect.isclass(value)
                and issubclass(value, forms.BaseForm)
                and value.__module__ == module.__name__
            ):
                found[f"{name}.{value.__name__}"] = value
    return [found[key] for key in sorted(found)]


# What the forms that need more than data are built with.
CONSULTATION = SimpleNamespace(
    section_list=[{"key": "s1", "number": 1, "heading": "Scope <b>&amp; 范围</b>"}]
)
EXTRA_ARGS = {"CommentForm": {"consultation": CONSULTATION}}


def make(form_class, data, renderer, prefix=None):
    kwargs = EXTRA_ARGS.get(form_class.__name__, {})
    return form_class(data, renderer=renderer, prefix=prefix, **kwargs)


def hostile_data(form_class, text, prefix=None) -> MultiValueDict:
    """Every field of the form given `text` (a list field twice)."""
    form = make(form_class, None, STOCK, prefix)
    data = MultiValueDict()
    for bound in form:
        if isinstance(bound.field, forms.MultipleChoiceField):
            data.setlist(bound.html_name, [text, "1"])
        else:
            data[bound.html_name] = text
    return data


def everything(form) -> list[str]:
    """Every piece of markup a template may ask of the form."""
    out = [str(form), str(form.errors), str(form.non_field_errors()), form.as_p()]
    for bound in form:
        out += [str(bound), bound.label_tag(), str(bound.errors), bound.as_field_group()]
    return out


def field_include(form) -> str:
    template = '{% for field in form %}{% include "includes/field.html" %}{% endfor %}'
    return Template(template).render(Context({"form": form}))


def field_tag(form) -> str:
    template = "{% load site_ui %}{% for field in form %}{% field_html field %}{% endfor %}"
    return Template(template).render(Context({"form": form}))


def cases(form_class):
    yield None
    yield {}
    for text in HOSTILE:
        yield hostile_data(form_class, text)


ALL_FORMS = project_forms()


def test_every_app_form_is_found():
    names = {form_class.__name__ for form_class in ALL_FORMS}
    assert {"ModerationForm", "ResponseForm", "CommentForm", "ProfileForm", "ReplyForm"} <= names
    assert len(ALL_FORMS) >= 20


@pytest.mark.parametrize("language", ["en", "ar"])
@pytest.mark.parametrize("form_class", ALL_FORMS, ids=lambda c: c.__name__)
def test_every_form_renders_the_same_bytes(form_class, language):
    with translation.override(language):
        for data in cases(form_class):
            for prefix in (None, "row-7"):
                stock = make(form_class, data, STOCK, prefix)
                fast = make(form_class, data, FAST, prefix)
                if "token" in stock.fields and data is None:
                    fast.initial["token"] = stock.initial["token"]  # a new token each form
                assert everything(fast) == everything(stock)
                assert field_tag(fast) == field_include(stock)


def test_the_site_renders_forms_with_the_fast_renderer():
    from consultations.forms import ModerationForm

    assert isinstance(ModerationForm().renderer, FastRenderer)


def test_the_tag_is_the_include_with_the_site_renderer():
    from consultations.forms import ResponseForm

    for data in (None, {}, {"response": HOSTILE[0], "disposition": "<x>"}):
        form = ResponseForm(data, prefix="r-1")
        assert field_tag(form) == field_include(form)
        assert isinstance(field_tag(form), SafeString)


def test_hidden_fields_stay_hidden():
    from forums.forms import ReplyForm

    form = ReplyForm(renderer=FAST)
    html = field_tag(form)
    assert '<input type="hidden" name="token"' in html
    assert 'id="id_token"' in html and '<label for="id_token"' not in html


# --- Widgets, directly ---------------------------------------------------------------------


def both(widget, name="f", value=None, attrs=None):
    stock = widget.render(name, value, attrs=attrs, renderer=STOCK)
    fast = widget.render(name, value, attrs=attrs, renderer=FAST)
    assert fast == stock
    assert isinstance(fast, SafeString)
    return fast


def test_input_attributes_true_false_none_and_safe():
    attrs = {
        "required": True,
        "disabled": False,
        "placeholder": None,
        "maxlength": 0,
        "data-x": gettext_lazy("Name"),
        "data-safe": mark_safe("<b>"),
        "data-raw": '"><script>',
        "data-tuple": (1, "<"),
    }
    html = both(forms.TextInput(attrs=attrs), value='"><b>&amp;')
    assert " required " in html and "disabled" not in html and 'placeholder="None"' in html
    assert 'data-safe="<b>"' in html and 'data-raw="&quot;&gt;&lt;script&gt;"' in html
    for value in (None, "", 0, 12.5, "عربي", mark_safe("<i>")):
        both(forms.TextInput(), value=value)


@pytest.mark.parametrize(
    "widget",
    [
        forms.EmailInput(),
        forms.URLInput(),
        forms.NumberInput(),
        forms.PasswordInput(render_value=True),
        forms.HiddenInput(),
        forms.DateInput(),
        forms.DateInput(attrs={"type": "date"}),
        forms.DateTimeInput(),
        forms.TimeInput(),
        forms.SearchInput(),
        forms.TelInput(),
        forms.ColorInput(),
    ],
    ids=lambda w: type(w).__name__,
)
def test_input_types(widget):
    for value in (None, "", HOSTILE[0], "2024-01-02"):
        both(widget, value=value, attrs={"id": "x<"})


def test_textarea():
    for value in (None, "", HOSTILE[0], HOSTILE[1], mark_safe("<b>"), "\nline"):
        both(forms.Textarea(attrs={"rows": 3}), value=value)


def test_checkbox():
    assert "checked" in both(forms.CheckboxInput(), value=True)
    assert "checked" not in both(forms.CheckboxInput(), value=False)
    both(forms.CheckboxInput(), value="on")
    both(forms.CheckboxInput(), value=None)


def test_select_with_groups_selected_and_markup_in_labels():
    choices = [
        ("", "—"),
        ("Group <b>", [("1", "one <b>"), (2, mark_safe("<i>two</i>"))]),
        (3, 3.5),
        ('"q', gettext_lazy("Approve")),
    ]
    for value in (None, "", "2", "3", '"q', ["1", "3"]):
        both(forms.Select(choices=choices, attrs={"class": "c"}), value=value)
        both(forms.SelectMultiple(choices=choices), value=value)
    both(forms.NullBooleanSelect(), value=True)
    html = both(forms.Select(choices=choices), value="2")
    assert '<option value="2" selected><i>two</i></option>' in html
    assert '<optgroup label="Group &lt;b&gt;">' in html


def test_radio_and_checkbox_lists():
    choices = [("a", "A <"), ("Group", [("b", "B"), ("c", mark_safe("<i>C</i>"))])]
    for widget in (forms.RadioSelect, forms.CheckboxSelectMultiple):
        for value in (None, "b", ["a", "c"]):
            both(widget(choices=choices), value=value, attrs={"id": "r", "class": "x<"})
            both(widget(choices=choices), value=value)


def test_labels_and_error_lists():
    form = forms.Form(renderer=FAST)
    stock = forms.Form(renderer=STOCK)
    for context in (
        {"label": "L <", "attrs": {"for": "id_x", "class": "c"}, "use_tag": True, "tag": "label"},
        {"label": mark_safe("<b>L</b>:"), "attrs": None, "use_tag": False, "tag": "label"},
        {"label": " L ", "attrs": {}, "use_tag": True, "tag": "legend"},
    ):
        assert form.render("django/forms/label.html", context) == stock.render(
            "django/forms/label.html", context
        )
    for errors in ([], ["<b>bad</b>", mark_safe("<i>ok</i>")]):
        for field_id in (None, "id_x"):
            fast_list = forms.utils.ErrorList(errors, renderer=FAST, field_id=field_id)
            stock_list = forms.utils.ErrorList(errors, renderer=STOCK, field_id=field_id)
            assert str(fast_list) == str(stock_list)
            assert fast_list.as_ul() == stock_list.as_ul()
            assert fast_list.as_text() == stock_list.as_text()
    fast_dict = forms.utils.ErrorDict(
        {"a": forms.utils.ErrorList(["<x>"], renderer=FAST)}, renderer=FAST
    )
    stock_dict = forms.utils.ErrorDict(
        {"a": forms.utils.ErrorList(["<x>"], renderer=STOCK)}, renderer=STOCK
    )
    assert str(fast_dict) == str(stock_dict)
    assert str(forms.utils.ErrorDict(renderer=FAST)) == str(forms.utils.ErrorDict(renderer=STOCK))


def test_other_widgets_go_through_the_engine():
    # Templates the fast path does not know: the engine renders them, the same bytes.
    both(forms.ClearableFileInput(), value=None)
    both(forms.SplitDateTimeWidget(), value=None)
    both(forms.SelectDateWidget(), value="2024-01-02")
    both(forms.MultipleHiddenInput(), value=["a", "<b>"])


def test_a_callable_value_goes_through_the_engine():
    # The template calls a callable it is given; the engine renders the widget.
    calls = []

    def value():
        calls.append(1)
        return "called <"

    assert 'data-x="called &lt;"' in both(forms.TextInput(attrs={"data-x": value}))
    assert calls


# --- Overridden templates ------------------------------------------------------------------


class _OverridingRenderer(FastRenderer):
    """A renderer whose engine has an app's own input.html before Django's."""

    @property
    def engine(self):
        from django.template.backends.django import DjangoTemplates as Backend

        engine = getattr(self, "_engine", None)
        if engine is None:
            engine = self._engine = Backend(
                {
                    "APP_DIRS": False,
                    "DIRS": [],
                    "NAME": "overriding",
                    "OPTIONS": {
                        "loaders": [
                            (
                                "django.template.loaders.locmem.Loader",
                                {"django/forms/widgets/input.html": "<input class=mine>"},
                            ),
                            (
                                "django.template.loaders.filesystem.Loader",
                                [str(FastRenderer().engine.engine.dirs[0])],
                            ),
                        ]
                    },
                }
            )
        return engine


def test_an_overridden_stock_template_is_rendered_by_the_engine():
    renderer = _OverridingRenderer()
    assert not renderer.is_django_file("django/forms/widgets/input.html")
    assert renderer.is_django_file("django/forms/widgets/textarea.html")
    # text.html includes the overridden input.html: the override shows.
    assert forms.TextInput().render("f", "v", renderer=renderer) == "<input class=mine>"
    assert forms.Textarea().render("f", "v", renderer=renderer) == both(forms.Textarea(), "f", "v")


def test_the_site_engine_loads_djangos_own_files():
    for name in ("django/forms/widgets/input.html", "django/forms/label.html"):
        assert FAST.is_django_file(name)
    assert not FAST.is_django_file("django/forms/widgets/no-such.html")


def test_the_field_template_is_still_the_reference():
    from consultations.forms import ModerationForm

    form = ModerationForm({}, prefix="m-1")
    field = form["decision"]
    assert render_to_string("includes/field.html", {"field": field}) == str(
        Template("{% load site_ui %}{% field_html field %}").render(Context({"field": field}))
    )

"""Form fields shared by the features."""

from django import forms
from django.utils.translation import gettext_lazy as _

from .sanitize import html_to_text, sanitize_html


class RichTextField(forms.CharField):
    """User rich text: sanitised in `clean`, so a form's cleaned_data is safe to store."""

    widget = forms.Textarea(attrs={"rows": 8})
    default_error_messages = {"empty": _("Please write something: the text has no visible words.")}

    def __init__(self, *, max_length=None, **kwargs):
        self.html_max_length = max_length
        super().__init__(strip=True, **kwargs)

    def clean(self, value):
        value = super().clean(value)
        if not value:
            return value
        clean = sanitize_html(value, max_length=self.html_max_length)
        if self.required and not html_to_text(clean):
            raise forms.ValidationError(self.error_messages["empty"], code="empty")
        return clean


def ask_for_files_again(form) -> None:
    """A refused form cannot give back the file it received (browsers never prefill a file
    picker): say so on each file field that had one, so the summary and the picker tell the
    person to choose it again."""
    if not form.errors:
        return
    for name, field in form.fields.items():
        if isinstance(field, forms.FileField) and form.files.get(form.add_prefix(name)):
            form.add_error(name, _("The file you chose was not kept: please choose it again."))

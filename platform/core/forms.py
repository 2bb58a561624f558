"""Form fields shared by the features."""

from django import forms
from django.db import connections
from django.utils.translation import gettext_lazy as _

from .sanitize import has_visible_text, sanitize_html


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
        if self.required and not has_visible_text(clean):
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


class ModelChoicesField(forms.ModelMultipleChoiceField):
    """A list of records chosen by id, refusing an id beyond the column's range as it refuses
    any unknown choice. Django's own field looks the ids up with `pk__in`, which raises on such
    an id (OverflowError on SQLite, DataError on PostgreSQL) and answers a 500."""

    def _check_values(self, value):
        meta = self.queryset.model._meta
        field = meta.get_field(self.to_field_name) if self.to_field_name else meta.pk
        ops = connections[self.queryset.db].ops
        if field.get_internal_type() in ops.integer_field_ranges:
            low, high = ops.integer_field_range(field.get_internal_type())
            for chosen in value or ():
                try:
                    number = int(str(chosen))
                except ValueError:
                    continue  # not a number: Django's own check refuses it
                if not low <= number <= high:
                    raise forms.ValidationError(
                        self.error_messages["invalid_choice"],
                        code="invalid_choice",
                        params={"value": chosen},
                    )
        return super()._check_values(value)

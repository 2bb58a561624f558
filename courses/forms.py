"""Forms of the courses app (assessment forms are built from the blocks, see presenters)."""

from django import forms
from django.utils.translation import gettext_lazy as _

from .selectors import courses_in_language

IDENTIFIER_INPUT_MAX = 2000  # characters echoed back into the form (core reads as many)


class JoinCohortForm(forms.Form):
    code = forms.CharField(
        label=_("Join code"),
        max_length=40,
        help_text=_("The eight-character code your facilitator shared, e.g. K7M2QX9P."),
    )


class CohortForm(forms.Form):
    name = forms.CharField(
        label=_("Name"), max_length=200, help_text=_('For example "Training of trainers — Asia"')
    )
    course = forms.ChoiceField(label=_("Course"))
    description = forms.CharField(
        label=_("Description"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=2000,
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.courses = {str(c.pk): c for c in courses_in_language()}
        self.fields["course"].choices = [(pk, c.title) for pk, c in self.courses.items()]

    def clean_course(self):
        return self.courses[self.cleaned_data["course"]]


class IdentifierCheckForm(forms.Form):
    identifiers = forms.CharField(
        label=_("Unique identifier(s)"),
        required=False,
        strip=True,
        help_text=_(
            "For example MON-ØØ81Ø-6. Stacked events may be written with × or x, e.g. "
            "MON-89Ø34-3 × MON-ØØ6Ø3-6. You may type 0 for Ø."
        ),
    )


class VerifyForm(forms.Form):
    code = forms.CharField(
        label=_("Verification code"),
        max_length=60,
        help_text=_("As printed on the certificate, e.g. AB2C-D3EF-4GHJ"),
    )

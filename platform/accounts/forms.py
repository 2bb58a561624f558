from django import forms
from django_countries import countries

from core.collation import sort_key
from core.sanitize import clean_text

from .models import Profile
from .services import PROFILE_FIELDS, PROFILE_TEXT_FIELDS


def country_choices() -> list[tuple[str, str]]:
    """Every country, sorted in the reader's language (pinyin order in Chinese)."""
    names = [(country.code, str(country.name).strip()) for country in countries]
    return sorted(names, key=lambda item: sort_key(item[1]))


class ProfileForm(forms.ModelForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        blank = self.fields["country"].choices[0]
        self.fields["country"].choices = [blank, *country_choices()]

    class Meta:
        model = Profile
        fields = PROFILE_FIELDS
        widgets = {
            "display_name": forms.TextInput(attrs={"autocomplete": "name"}),
            "organisation": forms.TextInput(attrs={"autocomplete": "organization"}),
        }

    def clean(self):
        cleaned = super().clean()
        # The form shows back what will be stored (the service cleans again, for every writer).
        for name in PROFILE_TEXT_FIELDS:
            if name in cleaned:
                cleaned[name] = clean_text(cleaned[name])
        return cleaned

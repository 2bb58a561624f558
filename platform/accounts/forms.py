from django import forms
from django_countries import countries

from core.collation import sort_key

from .models import Profile
from .services import PROFILE_FIELDS


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

from django import forms

from core.sanitize import clean_text

from .models import Profile
from .services import PROFILE_FIELDS, PROFILE_TEXT_FIELDS


class ProfileForm(forms.ModelForm):
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

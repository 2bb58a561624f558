"""Profiles saved before names and organisations were cleaned lose their control and bidi
characters too (issue 11, finding 15)."""

from django.db import migrations

from core.sanitize import clean_text

FIELDS = ("display_name", "organisation")


def clean_profiles(apps, schema_editor):
    Profile = apps.get_model("accounts", "Profile")
    for profile in Profile.objects.only("pk", *FIELDS).iterator():
        cleaned = {name: clean_text(getattr(profile, name)) for name in FIELDS}
        if any(cleaned[name] != getattr(profile, name) for name in FIELDS):
            Profile.objects.filter(pk=profile.pk).update(**cleaned)


class Migration(migrations.Migration):
    dependencies = [("accounts", "0002_roles")]

    operations = [migrations.RunPython(clean_profiles, migrations.RunPython.noop)]

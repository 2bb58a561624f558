"""The four role groups. Wagtail's own initial data creates Moderators and Editors (with page
permissions), so this runs after it and only adds what is missing."""

from django.db import migrations

ROLES = ["Moderators", "Facilitators", "Consultation officers", "Editors"]


def create_roles(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    access_admin = Permission.objects.filter(
        content_type__app_label="wagtailadmin", codename="access_admin"
    ).first()
    for name in ROLES:
        group, _created = Group.objects.get_or_create(name=name)
        if access_admin:
            # Every role works in the Wagtail admin (queues, courses, consultations).
            group.permissions.add(access_admin)


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0001_initial"),
        ("wagtailcore", "0002_initial_data"),
        ("wagtailadmin", "0001_create_admin_access_permissions"),
    ]

    operations = [migrations.RunPython(create_roles, migrations.RunPython.noop)]

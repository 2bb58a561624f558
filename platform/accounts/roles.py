"""Roles are Django groups, so superusers manage them in Wagtail's user admin. What each
role may do where is in accounts/areas.py and docs/permissions.md ("Roles")."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    # The values are the group names stored in the database; labels are for display.
    MODERATORS = "Moderators", _("Moderators")
    FACILITATORS = "Facilitators", _("Facilitators")
    CONSULTATION_OFFICERS = "Consultation officers", _("Consultation officers")
    EDITORS = "Editors", _("Editors")
    # Approve editors' work in the Wagtail workflow, and publish it (accounts/areas.py).
    REVIEWERS = "Reviewers", _("Reviewers")

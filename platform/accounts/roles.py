"""Roles are Django groups, so editors manage them in Wagtail's user admin."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    # The values are the group names stored in the database; labels are for display.
    MODERATORS = "Moderators", _("Moderators")
    FACILITATORS = "Facilitators", _("Facilitators")
    CONSULTATION_OFFICERS = "Consultation officers", _("Consultation officers")
    EDITORS = "Editors", _("Editors")

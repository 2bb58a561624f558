"""Who speaks: the stakeholder categories used in profiles, forum registers and statistics."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class StakeholderCategory(models.TextChoices):
    PARTY_GOVERNMENT = "party", _("Party government")
    NON_PARTY_GOVERNMENT = "non_party", _("Non-Party government")
    UN_BODY = "un", _("UN body or specialised agency")
    IGO = "igo", _("Intergovernmental organisation")
    NGO = "ngo", _("NGO or civil society")
    IPLC = "iplc", _("Indigenous peoples and local communities")
    INDUSTRY = "industry", _("Industry or business")
    ACADEMIA = "academia", _("Academia or research")
    MEDIA = "media", _("Media")
    INDIVIDUAL = "individual", _("Individual")

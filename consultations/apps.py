from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ConsultationsConfig(AppConfig):
    name = "consultations"
    verbose_name = _("Consultations")

    def ready(self):
        # Comments, outcomes and confidentiality decisions clear the cached pages showing them.
        from .page_cache import connect

        connect()

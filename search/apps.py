from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SearchConfig(AppConfig):
    name = "search"
    verbose_name = _("Search")

    def ready(self):
        # Wagtail's page signals (publish, unpublish, move, privacy, deletion) keep the
        # index in step with editorial content; forum and consultation services call
        # search.index.refresh() themselves.
        from . import signals

        signals.connect()

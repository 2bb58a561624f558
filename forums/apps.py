from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ForumsConfig(AppConfig):
    name = "forums"
    verbose_name = _("Forums")

    def ready(self):
        from . import checks  # noqa: F401 - registers the start-up checks
        from .live import connect_signals

        # A group's moderators or a registration changed: that person's sockets re-check.
        connect_signals()
        # Posts, threads, rounds and registrations clear the cached pages that show them.
        from .page_cache import connect

        connect()

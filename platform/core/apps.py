from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "core"
    verbose_name = _("Core")

    def ready(self):
        from .live.control import connect_signals

        # Open sockets hear of sign-outs, deactivations and role changes (docs/realtime.md).
        connect_signals()
        # Publishing, moderation and privacy clear cached pages (core.page_cache).
        from .page_cache_events import connect_signals as connect_page_cache

        connect_page_cache()

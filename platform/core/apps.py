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
        # A saved or deleted account drops its cached row (core.account_cache).
        from .account_cache import connect_signals as connect_account_cache

        connect_account_cache()
        # The language codes of locales, kept per process (templatetags.site_ui.locale_code).
        from django.db.models.signals import post_delete, post_save
        from wagtail.models import Locale

        from .templatetags.site_ui import forget_locale_codes

        for signal in (post_save, post_delete):
            signal.connect(forget_locale_codes, sender=Locale, dispatch_uid=f"site_ui.{signal}")

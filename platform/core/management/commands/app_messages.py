"""Refresh one feature app's own translation catalogues (`<app>/locale/`).

Each feature app keeps its strings in its own catalogue, so that work on one app never
touches another's. Django finds app catalogues by itself; `makemessages` alone would put
everything into the project's `locale/` (the first of LOCALE_PATHS), hence this command.
"""

import os
from pathlib import Path

from django.apps import apps
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.test.utils import override_settings

FEATURE_APPS = ("courses", "forums", "consultations", "search", "follows")
LANGUAGES = ("zh_Hans", "ar", "fr", "ru", "es")


class Command(BaseCommand):
    help = "makemessages + compilemessages for one feature app's own locale/ folder."

    def add_arguments(self, parser):
        parser.add_argument("app", choices=FEATURE_APPS)
        parser.add_argument("--no-compile", action="store_true")

    def handle(self, *args, app, no_compile=False, **options):
        app_dir = Path(apps.get_app_config(app).path)
        (app_dir / "locale").mkdir(exist_ok=True)
        previous = Path.cwd()
        os.chdir(app_dir)
        try:
            # Without LOCALE_PATHS, makemessages writes to the `locale/` it finds in the app.
            with override_settings(LOCALE_PATHS=[]):
                call_command(
                    "makemessages",
                    locale=list(LANGUAGES),
                    ignore_patterns=["migrations/*"],
                    no_obsolete=True,
                    verbosity=options["verbosity"],
                )
                if not no_compile:
                    call_command("compilemessages", verbosity=options["verbosity"])
        except CommandError:
            raise
        finally:
            os.chdir(previous)

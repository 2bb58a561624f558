"""Render the page the proxy shows while no worker answers (HTTP 502/503/504), per language.

Run after `collectstatic` (the page links the collected, hashed stylesheet). The proxy picks
STATIC_ROOT/errors/unavailable-<language>.html by the request's language prefix.
"""

from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand
from django.template.loader import render_to_string
from django.utils import translation

TEMPLATE = "unavailable.html"


def error_page_path(language: str) -> Path:
    return Path(settings.STATIC_ROOT) / "errors" / f"unavailable-{language}.html"


class Command(BaseCommand):
    help = "Write the proxy's 'briefly unavailable' pages into STATIC_ROOT/errors/."

    def handle(self, *args, **options):
        for language, _name in settings.LANGUAGES:
            with translation.override(language):
                html = render_to_string(TEMPLATE)
            path = error_page_path(language)
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(html, encoding="utf-8")
        folder = error_page_path("en").parent
        self.stdout.write(f"Wrote {len(settings.LANGUAGES)} pages to {folder}")

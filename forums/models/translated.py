"""Titles in the reader's language: a forum's title and a group's theme may be given in any of
the Protocol's six languages besides the one they were written in."""

from django.conf import settings
from django.db import models
from django.utils import translation
from django.utils.translation import gettext_lazy as _


class TranslatedTitlesMixin(models.Model):
    # {"fr": {"title": "…"}, "zh-hans": {"theme": "…"}}: other languages' versions of the
    # title (a forum) or the theme (a group). Readers get theirs where it exists.
    translations = models.JSONField(
        _("translations"),
        default=dict,
        blank=True,
        help_text=_('Other languages\' versions, e.g. {"fr": {"title": "…"}}.'),
    )

    class Meta:
        abstract = True

    def in_reader_language(self, name: str) -> str:
        """Field `name` in the active language if translated, else as written."""
        code = translation.get_language() or settings.LANGUAGE_CODE
        return ((self.translations or {}).get(code) or {}).get(name) or getattr(self, name)

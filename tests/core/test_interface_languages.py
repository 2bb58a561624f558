"""The main pages speak Arabic, French, Russian and Spanish: no English interface string left.

The English phrases come from our own catalogues (the site shell's and each feature app's): every
msgid, cut at its placeholders and tags, gives the runs of two words or more that a reader would
see. A page fails if one of them shows as text, or in an attribute a reader meets (aria-label,
title, placeholder, alt, a button's value, the texts live updates insert), outside content that
people wrote: what the demo fixtures hold (course lessons stay in English and Chinese, posts and
comments are in their writers' languages) is left out before looking.
"""

import json
import re
from html.parser import HTMLParser
from pathlib import Path

import polib
import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import translation

LANGUAGES = ["ar", "fr", "ru", "es"]
CATALOGUE_DIRS = [Path(settings.BASE_DIR) / "locale"] + [
    Path(settings.BASE_DIR) / app / "locale" for app in ("courses", "forums", "consultations")
]
# Where a msgid is cut: placeholders, tags, and punctuation that ends a phrase.
CUT = re.compile(r"%\([^)]*\)[sd]|%[sd%]|\{[^}]*\}|<[^>]*>|[:;.!?()“”«»\"—·…,]")
PUNCTUATION = re.compile(r"[^\w\s-]")
SEEN_ATTRIBUTES = {"aria-label", "title", "placeholder", "alt", "value", "label"}
SKIPPED_TAGS = {"script", "style", "template", "code", "pre"}


def _normalise(text: str) -> str:
    return " ".join(text.split()).casefold()


def english_phrases(language: str) -> set[str]:
    """Runs of 2+ words of every msgid whose translation in `language` reads differently."""
    phrases = set()
    for folder in CATALOGUE_DIRS:
        path = folder / language / "LC_MESSAGES" / "django.po"
        for entry in polib.pofile(str(path)):
            translated = " ".join([entry.msgstr, *entry.msgstr_plural.values()])
            for english in filter(None, [entry.msgid, entry.msgid_plural]):
                for run in CUT.split(english):
                    run = _normalise(run)
                    # "CSV", "Spam", "Version": one word may be the same in both languages.
                    if len(run.split()) >= 2 and run not in _normalise(translated):
                        phrases.add(run)
    return phrases


def fixture_text() -> str:
    """Everything the demo fixtures say, normalised: content, not interface."""
    strings = []

    def walk(value):
        if isinstance(value, str):
            strings.append(re.sub(r"<[^>]+>", " ", value))
        elif isinstance(value, dict):
            for item in value.values():
                walk(item)
        elif isinstance(value, list):
            for item in value:
                walk(item)

    for path in sorted((Path(settings.BASE_DIR) / "fixtures").rglob("*.json")):
        walk(json.loads(path.read_text(encoding="utf-8")))
    return "\n".join(_normalise(s) for s in strings)


class _Seen(HTMLParser):
    """The text a reader meets: text nodes and the attributes above, one string each."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.items, self._skipping = [], []

    def handle_starttag(self, tag, attrs):
        if tag in SKIPPED_TAGS:
            self._skipping.append(tag)
        for name, value in attrs:
            if value and (name in SEEN_ATTRIBUTES or name.startswith("data-text-")):
                self.items.append(value)

    def handle_endtag(self, tag):
        if self._skipping and self._skipping[-1] == tag:
            self._skipping.pop()

    def handle_data(self, data):
        if not self._skipping and data.strip():
            self.items.append(data)


def english_left(html: str, phrases: set[str], content: str) -> set[str]:
    parser = _Seen()
    parser.feed(html)
    found = set()
    for item in parser.items:
        # Cut where the phrases are cut, so that "Section 5: Review of the decision" leaves
        # the heading, a fixture's words, out of the interface's "Section 5".
        for part in CUT.split(_normalise(item)):
            part = part.strip()
            if len(part.split()) < 2 or part in content:  # a post, a lesson, a title
                continue
            padded = f" {PUNCTUATION.sub(' ', part)} "
            found |= {p for p in phrases if f" {p} " in padded}
    return found


def main_pages(demo) -> list[str]:
    group = demo["forum_groups"][0]
    thread = group.threads.order_by("pk").first()
    open_consultation, closed_consultation = demo["consultations"][:2]
    course_index = reverse("courses:identifier_check").rsplit("check-unique-identifier/", 1)[0]
    return [
        demo["home"].localized.url,
        reverse("forums:index"),
        demo["forum"].get_absolute_url(),
        group.get_absolute_url(),
        reverse("forums:thread", args=[group.pk, thread.pk]),
        open_consultation.get_parent().localized.url,
        open_consultation.localized.url,
        closed_consultation.localized.url,
        course_index,
        course_index + "lmo-identification/",
        course_index + "lmo-identification/protocol-and-customs/what-is-an-lmo/",  # a quiz
        course_index + "lmo-identification/documentation/ffp-documentation/",  # a document check
        reverse("courses:identifier_check")
        + "?identifiers=MON-ØØ81Ø-6+MON-89Ø34-4+SYN-ØØØJG-2+ABC",
        reverse("account_login"),
        reverse("account_signup"),
    ]


@pytest.mark.parametrize("signed_in", [False, True], ids=["anonymous", "participant"])
def test_main_pages_show_no_english_interface_string(client, demo, signed_in):
    if signed_in:
        client.force_login(demo["users"][-1])  # participant@example.org, in the forum
    content, failures = fixture_text(), {}
    for language in LANGUAGES:
        phrases = english_phrases(language)
        with translation.override(language):
            urls = main_pages(demo)
        for url in urls:
            if signed_in and "accounts" in url:
                continue
            response = client.get(url, follow=True)
            assert response.status_code == 200, (language, url)
            assert response.request["PATH_INFO"].startswith(f"/{language}/"), (language, url)
            left = english_left(response.content.decode(), phrases, content)
            if left:
                failures[f"{language} {url}"] = sorted(left)
    assert failures == {}

"""The demo in the Protocol's six languages: the home page, the titles of the forum, its groups
and the consultations (fixtures/translations.json); courses stay English and Chinese, and are
still served under a language's own home page."""

import json
from pathlib import Path

from django.conf import settings

from consultations.models import ConsultationPage
from core.models import HomePage

EXTRA = json.loads((Path(settings.BASE_DIR) / "fixtures" / "translations.json").read_text())
LANGUAGES = ["ar", "fr", "ru", "es"]


def test_the_demo_has_its_titles_in_six_languages_and_courses_under_each(client, demo):
    assert HomePage.objects.live().count() == 6
    for code in LANGUAGES:
        home = client.get(f"/{code}/").content.decode()
        assert EXTRA["home"][code]["title"] in home
        assert EXTRA["home"][code]["forums_intro"] in home

        forums = client.get(f"/{code}/forums/").content.decode()
        forum = EXTRA["forums"]["public-access-biosafety-information"]
        assert forum["translations"][code]["title"] in forums
        assert forum["groups"]["2"][code]["theme"] in forums

        for slug, titles in EXTRA["consultations"]["pages"].items():
            page = ConsultationPage.objects.get(slug=slug, locale__language_code=code)
            html = client.get(page.url).content.decode()
            assert titles[code]["title"] in html

        # Not translated: the English course, under this language's home page.
        course = client.get(f"/{code}/courses/lmo-identification/")
        assert course.status_code == 200
        assert "Identification and documentation of LMOs" in course.content.decode()
    assert client.get("/fr/courses/no-such-course/").status_code == 404

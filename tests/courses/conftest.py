import json
from pathlib import Path

import pytest

from tests.accounts.factories import make_user

FIXTURE = Path(__file__).parent / "course_fixture.json"


def fixture_data() -> dict:
    return json.loads(FIXTURE.read_text(encoding="utf-8"))


@pytest.fixture
def course(site_shell):
    """The small test course (2 modules, 4 lessons, a quiz of every kind, an identifier
    exercise, a document check), English and Chinese, under the home page."""
    from courses.demo import course_load

    return course_load(fixture_data(), home=site_shell["home"])


@pytest.fixture
def learner(db):
    return make_user(email="learner@example.org", display_name="Ana Learner")


@pytest.fixture
def facilitator(db):
    from accounts.roles import Role

    return make_user(email="fac@example.org", roles=[Role.FACILITATORS])


import pytest
from django.core.cache import cache
from django.db import connection

from tests import demo_snapshot
from tests.accounts.factories import make_user

FIXTURE = demo_snapshot.COURSE_FIXTURE


def fixture_data() -> dict:
    return demo_snapshot.course_fixture_data()


@pytest.fixture
def course(site_shell, request):
    """The small test course (2 modules, 4 lessons, a quiz of every kind, an identifier
    exercise, a document check), English and Chinese, under the home page."""
    if not connection.in_atomic_block:  # a transactional test loads it itself
        return demo_snapshot.course_load(site_shell["home"])
    loaded = demo_snapshot.restore(request.getfixturevalue("_course_snapshot"))
    # The copy includes its own site shell (on PostgreSQL with other ids: sequences do not roll
    # back); the test's `site_shell` must name those rows, and know the home page's new child.
    site_shell.clear()
    site_shell.update(loaded["shell"])
    cache.clear()
    return loaded["course"]


@pytest.fixture
def learner(db):
    return make_user(email="learner@example.org", display_name="Ana Learner")


@pytest.fixture
def facilitator(db):
    from accounts.roles import Role

    return make_user(email="fac@example.org", roles=[Role.FACILITATORS])

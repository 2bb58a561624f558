
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
    # The home page now has a child: the test's copy must know it (treebeard reads numchild).
    site_shell["home"].refresh_from_db()
    cache.clear()
    return loaded["course"]


@pytest.fixture
def learner(db):
    return make_user(email="learner@example.org", display_name="Ana Learner")


@pytest.fixture
def facilitator(db):
    from accounts.roles import Role

    return make_user(email="fac@example.org", roles=[Role.FACILITATORS])

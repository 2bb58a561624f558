import pytest
from django.core.cache import cache
from django.utils import translation


@pytest.fixture(autouse=True)
def _isolated_cache():
    # Rate-limit counters (allauth) live in the cache: start each test clean.
    cache.clear()
    yield
    cache.clear()
    # A request under /es/ leaves Spanish active in this thread: start the next test in English.
    translation.deactivate()


@pytest.fixture
def demo(db):
    """The demo content, as `make run` loads it."""
    from core.demo import demo_load

    return demo_load()


@pytest.fixture
def site_shell(db):
    """Only the home page and the demo users, without any feature's demo content."""
    from core.demo import home_load, read_fixture, users_load

    data = read_fixture("site.json")
    return {"home": home_load(data["home"]), "users": users_load(data["users"], "x" * 12)}

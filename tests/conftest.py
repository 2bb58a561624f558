import pytest
from django.core.cache import cache


@pytest.fixture(autouse=True)
def _isolated_cache():
    # Rate-limit counters (allauth) live in the cache: start each test clean.
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def demo(db):
    """The demo content, as `make run` loads it."""
    from core.demo import demo_load

    return demo_load()

from contextlib import contextmanager

import pytest
from django.db import transaction
from django.test import Client, override_settings

from search.rebuild import rebuild_all


@pytest.fixture(autouse=True)
def _index_errors_raise(settings):
    # Outside tests a failed index write is logged and never blocks a decision; here it fails.
    settings.SEARCH_RAISE_ERRORS = True


@pytest.fixture
def home(site_shell):
    return site_shell["home"]


def index_all():
    rebuild_all()


def search(client, q, *, language="en", **params):
    """The results page for `q` (and facet params) in `language`: (response, results)."""
    response = client.get(f"/{language}/search/", {"q": q, **params})
    assert response.status_code == 200, response.status_code
    found = response.context["found"]
    return response, (found.results if found else [])


def results_html(response) -> str:
    """The results part of a search page: what was found, without the echoed query (the
    title, the search field)."""
    html = response.content.decode()
    start = html.find('<section class="search-results"')
    return html[start : html.find("</section>", start)] if start != -1 else ""


def kinds_found(client, q, **kwargs) -> set[tuple[str, str]]:
    """{(kind, language)} of what `q` finds."""
    _response, results = search(client, q, **kwargs)
    return {(r.entry.kind, r.entry.language) for r in results}


@pytest.fixture
def anonymous():
    return Client()


@contextmanager
def shared_content(django_db_blocker):
    """For module-scoped fixtures: content built once for several tests (pages are slow to
    publish), inside a transaction rolled back when the module is done. Yields the home
    page; each test still runs in its own savepoint (the `db` fixture)."""
    from core.demo import home_load, read_fixture

    with django_db_blocker.unblock(), override_settings(SEARCH_RAISE_ERRORS=True):
        with transaction.atomic():
            yield home_load(read_fixture("site.json")["home"])
            transaction.set_rollback(True)

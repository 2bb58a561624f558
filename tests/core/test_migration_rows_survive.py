"""A transactional test (a live server, threads) empties the tables when it ends; the rows
the migrations wrote must be back for the tests after it, as on a fresh install
(tests/conftest.py: serialized rollback). pytest-django runs tests without the django_db
mark (modules that open the database themselves, as the URL sweep does) after the
transactional ones."""

import pytest
from wagtail.models import Collection, Page


@pytest.mark.django_db(transaction=True)
def test_a_transactional_test_runs():
    assert Page.get_first_root_node() is not None


def test_a_module_that_opens_the_database_itself_finds_the_roots(django_db_blocker):
    with django_db_blocker.unblock():
        assert Page.get_first_root_node() is not None
        assert Collection.get_first_root_node() is not None

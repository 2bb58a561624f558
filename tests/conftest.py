import pytest
from django.core.cache import cache
from django.db import connection
from django.utils import translation

from core.templatetags.site_ui import forget_locale_codes
from tests import demo_snapshot


@pytest.fixture(autouse=True)
def _isolated_cache():
    # Rate-limit counters (allauth) live in the cache: start each test clean.
    cache.clear()
    yield
    cache.clear()
    # A request under /es/ leaves Spanish active in this thread: start the next test in English.
    translation.deactivate()
    # Locale ids of a rolled-back test may name other languages in the next (SQLite reuses ids).
    forget_locale_codes()


# The content fixtures below are copied from a snapshot taken once per test process
# (tests/demo_snapshot.py). A copy rewrites whole tables, so it must come before any other
# fixture adds rows: autouse fixtures run first, and this one sets up the content fixture the
# test asked for before the test's other fixtures.
_CONTENT_FIXTURES = ("demo", "course", "site_shell")


@pytest.fixture(autouse=True)
def _content_first(request):
    for name in _CONTENT_FIXTURES:
        if name in request.fixturenames:
            request.getfixturevalue(name)
            return


def _snapshot_or_load(snapshot_fixture: str, load, request):
    # Only inside the test's own transaction can the copy be undone; a transactional test
    # (committing for real) loads the content itself, as before.
    if not connection.in_atomic_block:
        return load()
    loaded = demo_snapshot.restore(request.getfixturevalue(snapshot_fixture))
    # As after a load of its own: nothing the loading (or an earlier test) cached.
    cache.clear()
    return loaded


def _session_snapshot(django_db_setup, django_db_blocker, load):
    with django_db_blocker.unblock():
        return demo_snapshot.take(load)


def _demo_load():
    from core.demo import demo_load

    return demo_load()


@pytest.fixture(scope="session")
def _course_snapshot(django_db_setup, django_db_blocker):
    # The site shell and the course of tests/courses together (the `course` fixture there).
    return _session_snapshot(
        django_db_setup, django_db_blocker, demo_snapshot.site_shell_and_course_load
    )


@pytest.fixture(scope="session", autouse=True)
def _content_snapshots(request):
    """Take the snapshots this run will need at its start, on the bare database: taken later,
    from inside a module's shared content (tests/search), they would carry that content."""
    wanted = {name for item in request.session.items for name in getattr(item, "fixturenames", ())}
    for name in _CONTENT_FIXTURES:
        # A module-scoped world may copy a snapshot itself (tests/security/test_url_sweep.py).
        if name in wanted or f"_{name}_snapshot" in wanted:
            request.getfixturevalue(f"_{name}_snapshot")


@pytest.fixture(scope="session")
def _demo_snapshot(django_db_setup, django_db_blocker):
    return _session_snapshot(django_db_setup, django_db_blocker, _demo_load)


@pytest.fixture(scope="session")
def _site_shell_snapshot(django_db_setup, django_db_blocker):
    return _session_snapshot(django_db_setup, django_db_blocker, demo_snapshot.site_shell_load)


@pytest.fixture
def demo(db, request):
    """The demo content, as `make run` loads it (fresh objects; rolled back after the test)."""
    return _snapshot_or_load("_demo_snapshot", _demo_load, request)


@pytest.fixture
def site_shell(db, request):
    """Only the home page and the demo users, without any feature's demo content."""
    return _snapshot_or_load("_site_shell_snapshot", demo_snapshot.site_shell_load, request)


def _transactional(item) -> bool:
    marker = item.get_closest_marker("django_db")
    if marker is None:
        return False
    return bool(marker.kwargs.get("transaction", marker.args[0] if marker.args else False))


def pytest_collection_modifyitems(items):
    """A transactional test empties every table when it ends, the rows the migrations wrote
    too (Wagtail's page and collection roots, the roles' groups). Marking them all
    serialized-rollback makes pytest-django keep those rows (serialized once, at setup) for
    the teardown below to write back."""
    for item in items:
        marker = item.get_closest_marker("django_db")
        if _transactional(item) and not marker.kwargs.get("serialized_rollback"):
            kwargs = {**marker.kwargs, "serialized_rollback": True}
            item.add_marker(pytest.mark.django_db(*marker.args, **kwargs), append=False)


class _MigrationRows:
    """The rows the migrations wrote, read once per test process from the fresh database, and
    whether the database holds them now.

    Django writes them back with one save() per object (about 900 objects, 0.15-0.4 s) at
    the start of every transactional test, and the teardown below did the same after each
    one's flush. Both now go by table (demo_snapshot.write_back: a few milliseconds): after
    the flush the rows are written back whole; at the start of a transactional test they are
    already in place unless a teardown failed, and then Django's own write-back runs."""

    tables: dict | None = None
    in_place = True


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    """pytest-django's test database, then the migrations' rows read out (_MigrationRows)."""
    if not hasattr(connection, "_test_serialized_contents"):
        return  # no test of this run is transactional
    with django_db_blocker.unblock():
        _MigrationRows.tables = demo_snapshot.read_filled_tables()
    creation = connection.creation
    deserialize = creation.deserialize_db_from_string

    def deserialize_unless_in_place(data):
        if data is getattr(connection, "_test_serialized_contents", None) and (
            _MigrationRows.in_place
        ):
            return
        deserialize(data)
        _MigrationRows.in_place = True

    creation.deserialize_db_from_string = deserialize_unless_in_place


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_teardown(item, nextitem):
    """After a transactional test's flush, the migrations' rows are written back, so the tests
    after it on this worker (pytest-django runs the modules that open the database themselves,
    as the URL sweep does, after the transactional ones) find a database as a fresh install
    has it."""
    transactional = _transactional(item)
    flushing = ("transactional_db", "live_server")
    if transactional or any(name in getattr(item, "fixturenames", ()) for name in flushing):
        _MigrationRows.in_place = False  # the flush in this teardown empties the tables
    outcome = yield
    # The last test's teardown has already dropped the test database: nothing comes after.
    if nextitem is None or not transactional:
        return
    # A teardown that failed (its flush refused, say) left the test's rows in place: writing
    # the migrations' rows over them would only fail again and hide the first error.
    if outcome.excinfo is not None:
        return
    from pytest_django.plugin import blocking_manager_key

    if _MigrationRows.tables is not None:
        with item.config.stash[blocking_manager_key].unblock():
            demo_snapshot.write_back(_MigrationRows.tables)
        _MigrationRows.in_place = True

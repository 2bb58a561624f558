import pytest
from django.core.cache import cache
from django.db import connection
from django.utils import translation

from core.templatetags.site_ui import forget_locale_codes
from tests import demo_snapshot, prepared_db

_PREPARER = pytest.StashKey[prepared_db.Preparer]()
_UNDO_COPY = pytest.StashKey[object]()


def _prepared_directory(config) -> str | None:
    return prepared_db.directory_of(config)


def pytest_configure(config):
    """On the embedded SQLite under xdist, the controller prepares the migrated test database
    and the content snapshots once for all workers (tests/prepared_db.py)."""
    if prepared_db.wanted(config):
        preparer = prepared_db.Preparer(config.rootpath)
        config.stash[_PREPARER] = preparer
        config.add_cleanup(preparer.close)


def pytest_xdist_make_scheduler(config, log):
    """`-n` without another `--dist`: the modules that share a world go whole to one worker
    (tests/xdist_scheduling.py)."""
    if config.getvalue("dist") == "load":
        from tests.xdist_scheduling import SharedWorldScheduling

        return SharedWorldScheduling(config, log)
    return None


def pytest_configure_node(node):
    preparer = node.config.stash.get(_PREPARER, None)
    if preparer is not None:
        node.workerinput[prepared_db.WORKERINPUT_KEY] = str(preparer.directory)


@pytest.fixture(scope="session")
def django_db_modify_db_settings(django_db_modify_db_settings_parallel_suffix, request):
    """pytest-django's, then (in a worker whose controller prepared the database) the copy of
    the prepared database in place of this worker's migrations, until the database is made."""
    directory = _prepared_directory(request.config)
    if directory:
        request.config.stash[_UNDO_COPY] = prepared_db.install(directory)


@pytest.fixture(scope="session", autouse=True)
def _no_admin_search_index_reads():
    """Wagtail's admin search index is not under test and tests/settings.py turns its updates
    off (AUTO_UPDATE False); its save signal still read every saved page or snippet again (the
    row, then the specific page) only to find no backend to update: a few seconds a run."""
    from django.db.models.signals import post_save
    from modelsearch import index
    from modelsearch.signal_handlers import post_save_signal_handler

    for model in index.get_indexed_models():
        post_save.disconnect(post_save_signal_handler, sender=model)


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


def _session_snapshot(request, django_db_blocker, name: str, load):
    # Taken once per run by the process tests/prepared_db.py starts, if there is one.
    directory = _prepared_directory(request.config)
    taken = directory and prepared_db.snapshot(directory, name)
    if taken:
        return taken
    with django_db_blocker.unblock():
        return demo_snapshot.take(load)


_demo_load = demo_snapshot.demo_load


@pytest.fixture(scope="session")
def _course_snapshot(django_db_setup, django_db_blocker, request):
    # The site shell and the course of tests/courses together (the `course` fixture there).
    return _session_snapshot(
        request, django_db_blocker, "course", demo_snapshot.site_shell_and_course_load
    )


@pytest.fixture(scope="session", autouse=True)
def _content_snapshots(request):
    """Take the snapshots this run will need at its start, on the bare database: taken later,
    from inside a module's shared content (tests/search), they would carry that content."""
    if _prepared_directory(request.config):
        return  # taken on the bare database by the preparing process (tests/prepared_db.py)
    wanted = {name for item in request.session.items for name in getattr(item, "fixturenames", ())}
    for name in _CONTENT_FIXTURES:
        # A module-scoped world may copy a snapshot itself (tests/security/test_url_sweep.py).
        if name in wanted or f"_{name}_snapshot" in wanted:
            request.getfixturevalue(f"_{name}_snapshot")


@pytest.fixture(scope="session")
def _demo_snapshot(django_db_setup, django_db_blocker, request):
    return _session_snapshot(request, django_db_blocker, "demo", _demo_load)


@pytest.fixture(scope="session")
def _site_shell_snapshot(django_db_setup, django_db_blocker, request):
    return _session_snapshot(
        request, django_db_blocker, "site_shell", demo_snapshot.site_shell_load
    )


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
def django_db_setup(django_db_setup, django_db_blocker, request):
    """pytest-django's test database, then the migrations' rows read out (_MigrationRows)."""
    undo_copy = request.config.stash.get(_UNDO_COPY, None)
    if undo_copy is not None:
        undo_copy()
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

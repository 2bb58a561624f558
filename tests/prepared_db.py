"""The migrated SQLite test database and the content snapshots, prepared once per run.

Under pytest-xdist every worker used to migrate its own in-memory test database (about 15 s of
CPU: Django renders the models' states migration after migration) and then load the demo, the
site shell and the course to take their snapshots (about 9 s more), all at once on two cores.
Now the controller starts this module as a process of its own when the run starts, before the
workers have even collected the tests:

- it creates the test database exactly as pytest-django does (`setup_databases`: the
  migrations, with their data migrations and post-migrate signals), and writes it to a file
  with SQLite's backup API;
- it takes the snapshots of tests/demo_snapshot.py on that bare database, as a worker would
  (`demo_snapshot.take`), and pickles them.

Each worker, where Django's test-database creation would run `migrate`, copies that file into
its own in-memory database instead (`sqlite3.Connection.backup`: every page, schema, rows and
sequences alike), and reads the snapshots from their pickles. Everything else of the creation
(serializing the rows for transactional tests, the cache table) runs as before. Whatever goes
wrong on the way (the process fails, a file never comes) ends in the worker migrating and
loading for itself, as before.

Only for the embedded SQLite in memory; PostgreSQL's per-worker databases are created as before.
"""

from __future__ import annotations

import os
import pickle
import sqlite3
import subprocess
import sys
import tempfile
import time
from pathlib import Path

# The files this process writes into its directory, each made visible by a rename once whole.
DATABASE = "migrated.sqlite3"
FAILED = "failed"
# The demo first: the URL sweep, the first work of one worker (tests/xdist_scheduling.py), waits
# for it; the other worker's first work (the leak matrix) needs only the database.
SNAPSHOTS = ("demo", "site_shell", "course")
# How long a worker waits for a file before doing the work itself.
TIMEOUT = 600

WORKERINPUT_KEY = "prepared_db"


def wanted(config) -> bool:
    """In the controller of an xdist run on the embedded SQLite (the test database in memory)."""
    if hasattr(config, "workerinput") or not getattr(config.option, "numprocesses", None):
        return False
    if os.environ.get("SUITE_PREPARED_DB", "1") == "0" or config.getvalue("nomigrations"):
        return False
    from django.conf import settings

    db = settings.DATABASES["default"]
    test_name = (db.get("TEST") or {}).get("NAME")
    return db["ENGINE"] == "django.db.backends.sqlite3" and test_name in (None, "", ":memory:")


class Preparer:
    """The controller's side: the process, its directory, and the cleaning up."""

    def __init__(self, rootdir: Path):
        self.directory = Path(tempfile.mkdtemp(prefix="suite-prepared-"))
        env = {**os.environ, "DJANGO_SETTINGS_MODULE": "tests.settings"}
        self.log = (self.directory / "log.txt").open("wb")
        self.process = subprocess.Popen(  # noqa: S603 - our own module, with our own interpreter
            [sys.executable, "-m", "tests.prepared_db", str(self.directory)],
            cwd=rootdir,
            env=env,
            stdout=self.log,
            stderr=subprocess.STDOUT,
        )

    def close(self) -> None:
        if self.process.poll() is None:
            self.process.kill()
        self.process.wait()
        self.log.close()
        for path in self.directory.iterdir():
            path.unlink()
        self.directory.rmdir()


def _publish(directory: Path, name: str, write) -> None:
    part = directory / f"{name}.part"
    write(part)
    part.rename(directory / name)


def _wait(directory: Path, name: str) -> Path | None:
    """The file once it is there; None if the process failed or took too long."""
    path = directory / name
    deadline = time.monotonic() + TIMEOUT
    while not path.exists():
        if (directory / FAILED).exists() or time.monotonic() > deadline:
            return None
        time.sleep(0.05)
    return path


# --- the workers' side ------------------------------------------------------------------------


def directory_of(config) -> str | None:
    """In a worker: the directory the controller's preparing process writes into, if any."""
    return getattr(config, "workerinput", {}).get(WORKERINPUT_KEY)


def install(directory: str):
    """Make this worker's test-database creation copy the prepared database where it would run
    `migrate` (`create_test_db` imports `call_command` when it runs); answers the undoing."""
    import django.core.management as management

    call_command = management.call_command

    def undo() -> None:
        management.call_command = call_command

    def call_command_or_copy(name, *args, **options):
        from django.db import connection

        if name == "migrate" and options.get("database", "default") == "default" and not args:
            undo()  # once: the default database's creation
            if copy_into(connection, Path(directory)):
                return None
        return call_command(name, *args, **options)

    management.call_command = call_command_or_copy
    return undo


def copy_into(connection, directory: Path) -> bool:
    path = _wait(directory, DATABASE)
    if path is None:
        return False
    connection.ensure_connection()
    source = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        source.backup(connection.connection)
    finally:
        source.close()
    return True


def snapshot(directory: str, name: str):
    """The snapshot the preparing process took, or None (then the worker takes its own)."""
    path = _wait(Path(directory), f"{name}.pickle")
    if path is None:
        return None
    with path.open("rb") as file:
        return pickle.load(file)  # noqa: S301 - written by this run's own process


# --- the preparing process --------------------------------------------------------------------


def main(directory: Path) -> None:
    try:
        _prepare(directory)
    except BaseException:
        (directory / FAILED).touch()
        raise


def _prepare(directory: Path) -> None:
    import django

    django.setup()
    from django.db import connection
    from django.test.utils import setup_databases, setup_test_environment

    from tests import demo_snapshot

    # As pytest-django sets up every test process (its `django_test_environment`).
    setup_test_environment(debug=False)
    setup_databases(verbosity=0, interactive=False, serialized_aliases=[])

    def write_database(part: Path) -> None:
        target = sqlite3.connect(part)
        try:
            connection.connection.backup(target)
        finally:
            target.close()

    _publish(directory, DATABASE, write_database)

    loaders = {
        "site_shell": demo_snapshot.site_shell_load,
        "course": demo_snapshot.site_shell_and_course_load,
        "demo": demo_snapshot.demo_load,
    }
    for name in SNAPSHOTS:
        taken = demo_snapshot.take(loaders[name])

        def write_snapshot(part: Path, taken=taken) -> None:
            with part.open("wb") as file:
                pickle.dump(taken, file, protocol=pickle.HIGHEST_PROTOCOL)

        _publish(directory, f"{name}.pickle", write_snapshot)


if __name__ == "__main__":
    main(Path(sys.argv[1]))

# ruff: noqa: S608 - table and column names come from the database's own catalogue, never from input
"""The demo content loaded once per test process, then copied into each test that asks for it.

Loading the demo through its services takes about ten seconds (pages, revisions, translations,
the search index). Here it is loaded once, in a transaction that is rolled back, after the rows
of every table it changed have been read out. A test that requests `demo` gets those tables
rewritten inside its own transaction (a few hundred milliseconds), so the rollback at the end of
the test removes them as it removed the per-test load before, and tests that do not request
`demo` never see it. The objects handed to the test are read afresh from the database each time,
so one test's changes to them cannot reach the next.
"""

from __future__ import annotations

import json
import threading
from dataclasses import dataclass
from pathlib import Path

from django.apps import apps
from django.db import connection, transaction
from django.db.models import Model

# Django's record of applied migrations is never touched by the demo.
_SKIPPED = {"django_migrations"}


@dataclass
class Snapshot:
    # table -> rows (SQLite: tuples of raw values; PostgreSQL: COPY text)
    tables: dict
    # the shape of demo_load()'s answer, with (model, pk) in place of each instance
    shape: object


class _Rollback(Exception):
    pass


def take(load) -> Snapshot:
    """Run `load()` (the demo loader) in a transaction, read what it changed, roll it back.

    On a thread of its own, so on a database connection of its own, closed afterwards: the
    test process's connection keeps nothing of it (SQLite's shared in-memory database let a
    statement left on that connection lock tables the threads of a concurrency test needed).
    """
    box = _on_own_connection(_take, load)
    return Snapshot(tables=box["tables"], shape=box["shape"])


def _on_own_connection(function, *args):
    box = {}
    thread = threading.Thread(target=_run_here, args=(function, args, box))
    thread.start()
    thread.join()
    if "error" in box:
        raise box["error"]
    return box["result"]


def _run_here(function, args, box) -> None:
    try:
        box["result"] = function(*args)
    except BaseException as error:  # handed to the caller's thread
        box["error"] = error
    finally:
        if connection.connection is not None:
            # Django keeps an in-memory SQLite connection open on close(); this one must go.
            connection.connection.close()
            connection.connection = None


def _take(load) -> dict:
    box = {}
    try:
        with transaction.atomic():
            before = _read_all()
            loaded = load()
            after = _read_all()
            box["tables"] = {t: rows for t, rows in after.items() if before.get(t) != rows}
            box["shape"] = _shape(loaded)
            raise _Rollback
    except _Rollback:
        pass
    return box


def read_filled_tables() -> dict:
    """The rows of every Django table that has any, as they are now (a fresh test database:
    the rows the migrations wrote), read on a connection of its own as `take` does."""

    def read() -> dict:
        # The tables a flush empties (django.core.management.sql.sql_flush).
        django_tables = set(
            connection.introspection.django_table_names(only_existing=True, include_views=False)
        )
        return {
            key: rows
            for key, rows in _read_all().items()
            if rows and (key[0] if isinstance(key, tuple) else key) in django_tables
        }

    return _on_own_connection(read)


def write_back(tables: dict) -> None:
    """Write `read_filled_tables()`'s rows into tables that a flush has just emptied, in one
    transaction (the foreign keys are checked at its end, whatever order the tables come in).
    Sequences are left where they are, as Django's own write-back (one save() per object)
    leaves them."""
    with transaction.atomic():
        if connection.vendor == "postgresql":
            _pg_write(tables, move_sequences=False)
        else:
            _sqlite_write(tables)


def demo_load() -> dict:
    """The demo content, as `make run` loads it."""
    from core.demo import demo_load

    return demo_load()


def site_shell_load() -> dict:
    """The home page and the demo users, without any feature's demo content."""
    from core.demo import home_load, read_fixture, users_load

    data = read_fixture("site.json")
    return {"home": home_load(data["home"]), "users": users_load(data["users"], "x" * 12)}


COURSE_FIXTURE = Path(__file__).parent / "courses" / "course_fixture.json"


def course_fixture_data() -> dict:
    return json.loads(COURSE_FIXTURE.read_text(encoding="utf-8"))


def course_load(home):
    """The small test course of tests/courses under `home`."""
    from courses.demo import course_load

    return course_load(course_fixture_data(), home=home)


def site_shell_and_course_load() -> dict:
    shell = site_shell_load()
    return {"shell": shell, "course": course_load(shell["home"])}


def restore(snapshot: Snapshot):
    """Write the demo's tables inside the current (test) transaction; answer fresh objects."""
    if connection.vendor == "postgresql":
        _pg_write(snapshot.tables)
    else:
        _sqlite_write(snapshot.tables)
    return _objects(snapshot.shape)


def _shape(value):
    if isinstance(value, Model):
        return ("__model__", value._meta.label, value.pk)
    if isinstance(value, dict):
        return {key: _shape(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return type(value)(_shape(item) for item in value)
    return value


def _objects(shape):
    if isinstance(shape, tuple) and len(shape) == 3 and shape[0] == "__model__":
        return apps.get_model(shape[1])._default_manager.get(pk=shape[2])
    if isinstance(shape, dict):
        return {key: _objects(item) for key, item in shape.items()}
    if isinstance(shape, list | tuple):
        return type(shape)(_objects(item) for item in shape)
    return shape


# --- SQLite -------------------------------------------------------------------------------


def _sqlite_tables(cursor) -> list[tuple[str, bool]]:
    """(name, is_virtual) for every table whose rows we copy; FTS shadow tables follow their
    virtual table by themselves."""
    cursor.execute("SELECT name, sql FROM sqlite_master WHERE type = 'table'")
    found = cursor.fetchall()
    virtual = [name for name, sql in found if (sql or "").upper().startswith("CREATE VIRTUAL")]
    tables = []
    for name, _sql in found:
        if name in _SKIPPED or any(name.startswith(f"{v}_") for v in virtual):
            continue
        tables.append((name, name in virtual))
    return tables


def _sqlite_columns(cursor, table: str, virtual: bool) -> list[str]:
    cursor.execute(f'PRAGMA table_info("{table}")')
    columns = [row[1] for row in cursor.fetchall()]
    # A virtual table's rowid is not a declared column; keep it so rows come back unchanged.
    return ["rowid", *columns] if virtual else columns


def _read_all() -> dict:
    if connection.vendor == "postgresql":
        return _pg_read_all()
    raw = connection.connection.cursor()
    out = {}
    try:
        for table, virtual in _sqlite_tables(raw):
            columns = _sqlite_columns(raw, table, virtual)
            # `+column` is an expression with no declared type: Django's type converters
            # (dates, booleans) stay out of the way and each value comes back as stored.
            select = ", ".join(f'+"{c}"' if c != "rowid" else "rowid" for c in columns)
            raw.execute(f'SELECT {select} FROM "{table}"')
            out[(table, virtual, tuple(columns))] = raw.fetchall()
    finally:
        raw.close()
    return out


def _sqlite_write(tables: dict) -> None:
    raw = connection.connection.cursor()
    try:
        for (table, _virtual, columns), rows in tables.items():
            raw.execute(f'DELETE FROM "{table}"')
            if rows:
                names = ", ".join(f'"{c}"' for c in columns)
                marks = ", ".join("?" for _ in columns)
                raw.executemany(f'INSERT INTO "{table}" ({names}) VALUES ({marks})', rows)
    finally:
        raw.close()


# --- PostgreSQL -----------------------------------------------------------------------------


def _pg_read_all() -> dict:
    out = {}
    with connection.cursor() as cursor:
        tables = [t for t in connection.introspection.table_names(cursor) if t not in _SKIPPED]
        raw = cursor.cursor
        for table in tables:
            # COPY's text form carries every type (json, tsvector, arrays) exactly.
            with raw.copy(f'COPY "{table}" TO STDOUT') as copy:
                out[table] = b"".join(bytes(block) for block in copy)
    return out


def _pg_write(tables: dict, move_sequences: bool = True) -> None:
    with connection.cursor() as cursor:
        # The constraints are checked at commit, and a test's transaction never commits.
        cursor.execute("SET CONSTRAINTS ALL DEFERRED")
        raw = cursor.cursor
        for table, data in tables.items():
            cursor.execute(f'DELETE FROM "{table}"')
            if data:
                with raw.copy(f'COPY "{table}" FROM STDIN') as copy:
                    copy.write(data)
        # Rows arrived with their ids: move each sequence past them, or the test's own
        # inserts would collide.
        for table in tables if move_sequences else ():
            for seq in connection.introspection.get_sequences(cursor, table):
                column = seq["column"]
                cursor.execute(
                    "SELECT setval(pg_get_serial_sequence(%s, %s),"
                    f' COALESCE((SELECT MAX("{column}") FROM "{table}"), 0) + 1, false)',
                    [f'"{table}"', column],
                )

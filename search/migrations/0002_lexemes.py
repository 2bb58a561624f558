"""Where the lexemes are searched, per database (search/backends/): an FTS5 table on
SQLite; on PostgreSQL a GIN index on the tsvector column (SearchEntry.vector). Other
databases get nothing here; they need a backend of their own (SEARCH_BACKEND)."""

from django.db import migrations

SQLITE = [
    # Our lexemes are already cut and folded: unicode61 only splits them on spaces.
    "CREATE VIRTUAL TABLE search_fts USING fts5("
    "title, headings, body, tokenize = 'unicode61 remove_diacritics 0')",
    # An entry's lexemes go with it, however it is deleted.
    "CREATE TRIGGER search_entry_deleted AFTER DELETE ON search_searchentry "
    "BEGIN DELETE FROM search_fts WHERE rowid = old.id; END",
]
SQLITE_REVERSE = [
    "DROP TRIGGER IF EXISTS search_entry_deleted",
    "DROP TABLE IF EXISTS search_fts",
]
POSTGRES = ["CREATE INDEX search_entry_vector ON search_searchentry USING GIN (vector)"]
POSTGRES_REVERSE = ["DROP INDEX IF EXISTS search_entry_vector"]


def _run(statements):
    def run(apps, schema_editor):
        vendor = schema_editor.connection.vendor
        for sql in statements.get(vendor, []):
            schema_editor.execute(sql)

    return run


class Migration(migrations.Migration):
    dependencies = [("search", "0001_initial")]

    operations = [
        migrations.RunPython(
            _run({"sqlite": SQLITE, "postgresql": POSTGRES}),
            _run({"sqlite": SQLITE_REVERSE, "postgresql": POSTGRES_REVERSE}),
        )
    ]

"""SQLite: an FTS5 table of our lexemes (`search_fts`, rowid = the entry's id), created by
migration 0002 with a trigger that drops a row's lexemes when its entry is deleted.

The lexemes are already cut, folded and stemmed (search/text.py), so FTS5's unicode61
tokeniser only splits them on the spaces we put between them. bm25 weighs the title
before the headings before the body.
"""

from .base import Match, SearchBackend

# bm25 column weights: a word in the title counts far more than one in the body.
WEIGHTS = (50.0, 8.0, 1.0)


def _quote(lexeme: str) -> str:
    return '"' + lexeme.replace('"', '""') + '"'


def fts_query(query) -> str:
    """FTS5 syntax from our own lexemes only, each quoted: nothing typed reaches it raw."""
    terms = []
    for variants in query.terms:
        alternatives = " OR ".join(_quote(v) for v in sorted(variants))
        terms.append(f"({alternatives})" if len(variants) > 1 else alternatives)
    return " AND ".join(terms)


class SQLiteBackend(SearchBackend):
    vendor = "sqlite"

    def insert(self, entries, lexemes):
        from ..models import SearchEntry

        SearchEntry.objects.bulk_create(entries)  # the ids come back (RETURNING)
        with self.connection.cursor() as cursor:
            cursor.executemany(
                "INSERT INTO search_fts (rowid, title, headings, body) VALUES (%s, %s, %s, %s)",
                [
                    (entry.pk, " ".join(t), " ".join(h), " ".join(b))
                    for entry, (t, h, b) in zip(entries, lexemes, strict=True)
                ],
            )

    def match(self, query):
        weights = ", ".join(str(w) for w in WEIGHTS)
        return Match(
            joins="JOIN search_fts ON search_fts.rowid = e.id",
            where="search_fts MATCH %s",
            score=f"(-bm25(search_fts, {weights}))",
            params_where=(fts_query(query),),
            row_matches="{row}.id IN (SELECT rowid FROM search_fts WHERE search_fts MATCH %s)",
            params_row_matches=(fts_query(query),),
        )

    def size(self):
        with self.connection.cursor() as cursor:
            try:
                cursor.execute("SELECT SUM(pgsize) FROM dbstat WHERE name LIKE 'search_%%'")
            except Exception:  # dbstat is not compiled into every SQLite  # noqa: BLE001
                return None
            return cursor.fetchone()[0]

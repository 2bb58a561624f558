"""PostgreSQL: a tsvector column on the entry table (SearchEntry.vector, written with the
row) with a GIN index (migration 0002).

We build the tsvector and tsquery from our own lexemes, quoted, so PostgreSQL's parser and
dictionaries never touch them (they would split Chinese differently, or drop it in a C
locale). Weights: title A, headings B, body C; ts_rank weighs them 1, 0.3, 0.05.
"""

import json

from .base import Match, SearchBackend

MAX_POSITIONS = 16  # per lexeme: enough for ranking, keeps the vector small
RANK_WEIGHTS = "{0, 0.05, 0.3, 1}"  # D, C, B, A


def _quote(lexeme: str) -> str:
    return "'" + lexeme.replace("\\", "\\\\").replace("'", "''") + "'"


def tsvector_literal(title, headings, body) -> str:
    positions: dict[str, list[str]] = {}
    position = 0
    for weight, lexemes in (("A", title), ("B", headings), ("C", body)):
        for lexeme in lexemes:
            position = min(position + 1, 16383)
            seen = positions.setdefault(lexeme, [])
            if len(seen) < MAX_POSITIONS:
                seen.append(f"{position}{weight}")
    return " ".join(f"{_quote(lexeme)}:{','.join(p)}" for lexeme, p in positions.items())


def tsquery_literal(query) -> str:
    terms = []
    for variants in query.terms:
        alternatives = " | ".join(_quote(v) for v in sorted(variants))
        terms.append(f"({alternatives})" if len(variants) > 1 else alternatives)
    return " & ".join(terms)


def _copy_value(field, entry):
    value = getattr(entry, field.attname)
    if field.get_internal_type() == "JSONField":
        return json.dumps(value, ensure_ascii=False)
    return value


class PostgresBackend(SearchBackend):
    vendor = "postgresql"

    def insert(self, entries, lexemes):
        """COPY: a rebuild writes 200,000 rows; INSERT … VALUES compiled by the ORM spends
        more time building its SQL than PostgreSQL spends storing the rows."""
        from ..models import SearchEntry

        fields = [f for f in SearchEntry._meta.concrete_fields if not f.primary_key]
        columns = ", ".join(f.column for f in fields)
        with self.connection.cursor() as cursor:
            with cursor.cursor.copy(f"COPY search_searchentry ({columns}) FROM STDIN") as copy:
                for entry, found in zip(entries, lexemes, strict=True):
                    entry.vector = tsvector_literal(*found)
                    copy.write_row([_copy_value(f, entry) for f in fields])

    def match(self, query):
        return Match(
            joins=", (SELECT %s::tsquery AS q) AS query",
            where="e.vector @@ query.q",
            score=f"ts_rank('{RANK_WEIGHTS}'::float4[], e.vector, query.q)",
            params_joins=(tsquery_literal(query),),
            row_matches="{row}.vector @@ %s::tsquery",
            params_row_matches=(tsquery_literal(query),),
        )

    def size(self):
        with self.connection.cursor() as cursor:
            cursor.execute("SELECT pg_total_relation_size('search_searchentry')")
            return cursor.fetchone()[0]

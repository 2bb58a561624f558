"""PostgreSQL: a tsvector column on the entry table with a GIN index (migration 0002).

We build the tsvector and tsquery from our own lexemes, quoted, so PostgreSQL's parser and
dictionaries never touch them (they would split Chinese differently, or drop it in a C
locale). Weights: title A, headings B, body C; ts_rank weighs them 1, 0.3, 0.05.
"""

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


class PostgresBackend(SearchBackend):
    vendor = "postgresql"

    def write(self, rows):
        if not rows:
            return
        with self.connection.cursor() as cursor:
            for start in range(0, len(rows), 500):
                chunk = rows[start : start + 500]
                values = ",".join("(%s::bigint, %s::tsvector)" for _ in chunk)
                params = []
                for pk, title, headings, body in chunk:
                    params += [pk, tsvector_literal(title, headings, body)]
                cursor.execute(
                    "UPDATE search_searchentry AS e SET vector = v.vector "  # noqa: S608
                    f"FROM (VALUES {values}) AS v(id, vector) WHERE e.id = v.id",
                    params,
                )

    def match(self, query):
        return Match(
            joins=", (SELECT %s::tsquery AS q) AS query",
            where="e.vector @@ query.q",
            score=f"ts_rank('{RANK_WEIGHTS}'::float4[], e.vector, query.q)",
            params_joins=(tsquery_literal(query),),
        )

    def size(self):
        with self.connection.cursor() as cursor:
            cursor.execute("SELECT pg_total_relation_size('search_searchentry')")
            return cursor.fetchone()[0]

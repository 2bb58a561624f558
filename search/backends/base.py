from dataclasses import dataclass

from ..text import Query


@dataclass(frozen=True)
class Match:
    """SQL pieces that find the entries matching a query: `joins` follows
    `FROM search_searchentry e`, `where` is a condition, `score` grows with relevance."""

    joins: str
    where: str
    score: str
    params_joins: tuple = ()
    params_where: tuple = ()
    params_score: tuple = ()
    # The same match on another row of the table, `{row}` its alias (for correlated subqueries).
    row_matches: str = ""
    params_row_matches: tuple = ()


class SearchBackend:
    vendor = ""

    def __init__(self, connection):
        self.connection = connection

    def insert(self, entries: list, lexemes: list[tuple[list[str], list[str], list[str]]]):
        """Insert new entries with their lexemes (title, headings, body) for each."""
        raise NotImplementedError

    def match(self, query: Query) -> Match:
        raise NotImplementedError

    def size(self) -> int | None:
        """Bytes the index takes on disk (entries and lexemes), where the database says."""
        return None

"""The two full-text engines over the folded columns: SQLite FTS5 and PostgreSQL. Each turns
word lists into its own match expression and gives the ids of the entries that match."""

import re
from collections import Counter
from collections.abc import Iterable

from django.db import connection

from ... import text

# Which folded columns a match reads: everything; the title or the keywords (a phrase within
# one of them); the title; the keywords; the title and keywords together (words of the query
# in either, as with "Nuôi ong lấy mật" and the keyword "rừng" for "mật ong rừng").
ALL, NAMES, TITLE, KEYWORDS, SPLIT = "all", "names", "title", "keywords", "split"


class FtsEngine:
    """SQLite FTS5 over `search_fts` (rowid = procedure id)."""

    COLUMN_FILTERS = {
        ALL: "",
        NAMES: "{folded_title folded_keywords} : ",
        SPLIT: "{folded_title folded_keywords} : ",
        TITLE: "folded_title : ",
        KEYWORDS: "folded_keywords : ",
    }

    def expression(
        self, alternatives, columns=ALL, prefix_last=False, phrase=False, any_prefix=False
    ):
        """The MATCH string for entries holding any of the word lists (each: every word, or
        the words in a row when `phrase`; the last word a prefix when `prefix_last`, however
        short when `any_prefix`); None when no word is usable."""
        lists = usable(alternatives)
        if not lists:
            return None
        terms = " OR ".join(
            f"({_fts_terms(words, prefix_last, any_prefix, phrase)})" for words in lists
        )
        return f"{self.COLUMN_FILTERS[columns]}({terms})"

    def ids(self, match: str) -> list[int]:
        with connection.cursor() as cursor:
            cursor.execute("SELECT rowid FROM search_fts WHERE search_fts MATCH %s", [match])
            return [row[0] for row in cursor.fetchall()]

    def title_starts_with(self, words: list[str]) -> list[int]:
        """Entries whose title begins with these words, the last one as typed so far."""
        words = usable([words])
        if not words:
            return []
        return self.ids(f'folded_title : ^"{" ".join(words[0])}"*')

    def phrases_in_title(self, phrases: list[list[str]]) -> Counter:
        """How many of these phrases (usable words) each title holds: one query a phrase."""
        held: Counter = Counter()
        for words in phrases:
            held.update(self.ids(self.expression([words], TITLE, phrase=True)))
        return held


class PostgresEngine:
    """PostgreSQL full-text search over the folded columns: the whole text as an expression
    index, titles and keywords as stored tsvectors (a phrase is checked again row by row, and
    reading a stored vector is much cheaper than parsing the text each time); see the
    migrations."""

    # Must stay the expression of the index in migration 0002, or the index goes unused.
    WHOLE_TEXT = (
        "to_tsvector('simple', (folded_title || ' ' || folded_keywords || ' ' || folded_meta"
        " || ' ' || folded_body))"
    )
    # What an entry must meet, any one of, with {q} for the query.
    CONDITIONS = {
        ALL: [f"{WHOLE_TEXT} @@ {{q}}"],
        NAMES: ["title_vector @@ {q}", "keywords_vector @@ {q}"],
        TITLE: ["title_vector @@ {q}"],
        KEYWORDS: ["keywords_vector @@ {q}"],
        # the whole text's index first: the two vectors together have none
        SPLIT: [f"{WHOLE_TEXT} @@ {{q}} AND (title_vector || keywords_vector) @@ {{q}}"],
    }

    def expression(
        self, alternatives, columns=ALL, prefix_last=False, phrase=False, any_prefix=False
    ):
        lists = usable(alternatives)
        if not lists:
            return None
        terms = " | ".join(
            f"({_ts_terms(words, prefix_last, any_prefix, phrase)})" for words in lists
        )
        return (self.CONDITIONS[columns], terms)

    def ids(self, match: tuple[list[str], str]) -> list[int]:
        with connection.cursor() as cursor:
            cursor.execute(*self.query(match))
            return [row[0] for row in cursor.fetchall()]

    def query(self, match: tuple[list[str], str]) -> tuple[str, list[str]]:
        """The SQL of a match, and its parameters."""
        conditions, terms = match
        condition = " OR ".join(f"({c})" for c in conditions)
        condition = condition.replace("{q}", "to_tsquery('simple', %s)")
        sql = f"SELECT procedure_id FROM search_searchentry WHERE {condition}"  # noqa: S608
        return sql, [terms] * condition.count("%s")

    def phrases_in_title(self, phrases: list[list[str]]) -> Counter:
        """How many of these phrases each title holds, in one query: a phrase is checked on
        each candidate row again, so asking once per phrase would read the rows many times."""
        terms = [_ts_terms(words, False, False, True) for words in phrases]
        held = " + ".join("(title_vector @@ to_tsquery('simple', %s))::int" for _ in terms)
        with connection.cursor() as cursor:
            cursor.execute(
                f"SELECT procedure_id, {held} FROM search_searchentry"  # noqa: S608
                " WHERE title_vector @@ to_tsquery('simple', %s)",
                [*terms, " | ".join(f"({t})" for t in terms)],
            )
            return Counter(dict(cursor.fetchall()))

    def title_starts_with(self, words: list[str]) -> list[int]:
        words = usable([words])
        if not words:
            return []
        prefix = " ".join(words[0])  # usable words: letters, digits and dots, nothing LIKE reads
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT procedure_id FROM search_searchentry WHERE folded_title LIKE %s",
                [prefix + "%"],
            )
            return [row[0] for row in cursor.fetchall()]


def engine() -> FtsEngine | PostgresEngine:
    return PostgresEngine() if connection.vendor == "postgresql" else FtsEngine()


def usable(alternatives: Iterable[list[str]]) -> list[list[str]]:
    """The word lists with only words an engine reads as plain words (folded, no syntax)."""
    lists = [[w for w in words if re.fullmatch(r"[a-z0-9.]+", w)] for words in alternatives]
    return [words for words in lists if words]


def _prefix_allowed(word: str, prefix_last: bool, any_prefix: bool) -> bool:
    """A search takes a last word shorter than text.MIN_PREFIX whole; autocomplete
    (`any_prefix`) takes any prefix."""
    return prefix_last and (any_prefix or len(word) >= text.MIN_PREFIX)


def _fts_terms(words: list[str], prefix_last: bool, any_prefix: bool, phrase: bool) -> str:
    prefix = "*" if _prefix_allowed(words[-1], prefix_last, any_prefix) else ""
    if phrase:
        return f'"{" ".join(words)}"{prefix}'
    return " ".join([*(f'"{w}"' for w in words[:-1]), f'"{words[-1]}"{prefix}'])


def _ts_terms(words: list[str], prefix_last: bool, any_prefix: bool, phrase: bool) -> str:
    terms = list(words)
    if _prefix_allowed(words[-1], prefix_last, any_prefix):
        terms[-1] += ":*"
    return (" <-> " if phrase else " & ").join(terms)

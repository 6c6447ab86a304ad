"""Ranking in tiers, the same on both databases: a result scores its best tier plus small
bonuses that never cross tiers, plus its popularity as a tie-break; and the hit it shows."""

import re
from collections.abc import Iterable
from functools import lru_cache
from typing import NamedTuple

from ... import text
from ...models import SearchEntry
from ..base import Hit
from ..entry_table import MAX_POPULARITY
from .columns import folded_words
from .matching import Candidates

# Ranking tiers: a result's score is its best tier plus small bonuses that never cross tiers.
CODE = 1_000_000
ACCENTED_PHRASE = 500_000
SYNONYM_PHRASE = 300_000
TITLE_ALL_WORDS = 200_000
KEYWORDS_ALL_WORDS = 150_000
ALL_WORDS = 100_000
FUZZY = 50_000
SHINGLE = 5_000
ACCENTED_WORD = 2_000
WORD_IN_TITLE = 500


class Ranked(NamedTuple):
    """The columns ranking reads."""

    procedure_id: int
    code: str
    title: str
    exact_title: str
    exact_keywords: str
    folded_title: str
    folded_keywords: str
    popularity: int


def ranked_entries(ids: Iterable[int]) -> list[Ranked]:
    rows = SearchEntry.objects.filter(pk__in=ids).values_list(*Ranked._fields)
    return [Ranked(*row) for row in rows]


def rank(entries: list[Ranked], parsed, phrases: list[str], found: Candidates) -> list:
    """Entries with their scores, best first (see the tier constants above)."""
    folded_phrases = [p for p in map(folded_words, phrases) if p]
    scored = [(entry, score(entry, parsed, folded_phrases, found)) for entry in entries]
    scored.sort(key=lambda pair: (-pair[1], len(pair[0].title), pair[0].code, pair[0].procedure_id))
    return scored


def score(entry: Ranked, parsed, folded_phrases: list[str], found: Candidates) -> float:
    words = parsed.words_folded
    title_words = set(entry.folded_title.split())
    tier = 0
    if parsed.code and entry.code.lower().startswith(parsed.code.lower()):
        tier = CODE
    elif (
        parsed.accented
        and parsed.exact
        and _holds(f"{entry.exact_title} ; {entry.exact_keywords}", parsed.exact, typing=True)
    ):
        tier = ACCENTED_PHRASE
    elif any(
        _holds(entry.folded_title, p) or _holds(entry.folded_keywords, p) for p in folded_phrases
    ):
        tier = SYNONYM_PHRASE
    elif _all_present(words, title_words):
        tier = TITLE_ALL_WORDS
    elif _all_present(words, set(entry.folded_keywords.split())):
        tier = KEYWORDS_ALL_WORDS
    elif found.matched(entry.procedure_id, "all_words"):
        tier = ALL_WORDS
    elif found.matched(entry.procedure_id, "fuzzy"):
        tier = FUZZY
    bonus = sum(SHINGLE for pair in text.shingles(words) if _holds(entry.folded_title, pair))
    if parsed.accented:
        exact_title_words = set(entry.exact_title.split())
        bonus += sum(ACCENTED_WORD for w in parsed.words_exact if w in exact_title_words)
    bonus += sum(WORD_IN_TITLE for w in words if w in title_words)
    popularity = min(entry.popularity, MAX_POPULARITY) / (MAX_POPULARITY + 1)
    return tier + min(bonus, 49_000) + popularity


def _all_present(words: list[str], vocabulary: set[str]) -> bool:
    """Every word present; the last one may be a prefix (the citizen is still typing) when it
    has text.MIN_PREFIX letters."""
    if not words:
        return False
    *complete, last = words
    if not all(w in vocabulary for w in complete):
        return False
    if len(last) < text.MIN_PREFIX:
        return last in vocabulary
    return any(v.startswith(last) for v in vocabulary)


def _holds(value: str, phrase: str, typing: bool = False) -> bool:
    """Whether `value` holds `phrase` as whole words; with `typing`, its last word may be a
    prefix when it has text.MIN_PREFIX letters (the citizen is still typing)."""
    return bool(_phrase_pattern(phrase, typing).search(value))


@lru_cache(maxsize=1024)
def _phrase_pattern(phrase: str, typing: bool) -> re.Pattern:
    last = phrase.rsplit(" ", 1)[-1]
    end = "" if typing and len(last) >= text.MIN_PREFIX else r"(?!\w)"
    return re.compile(rf"(?<!\w){re.escape(phrase)}{end}")


def hit_for(entry: SearchEntry, score_value: float, parsed) -> Hit:
    return Hit(
        id=entry.procedure_id,
        code=entry.code,
        province=entry.province,
        title=entry.title,
        url=entry.url,
        agency=entry.agency_name,
        field=entry.field_name,
        level=entry.level,
        status=entry.status,
        score=score_value,
        highlight=text.highlight(entry.title, parsed),
        snippet=text.snippet(entry.body, parsed),
    )

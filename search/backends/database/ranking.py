"""Ranking in the tiers of search.ranking (shared with Elasticsearch), the same on both
databases; and the hit it shows."""

import re
from collections.abc import Iterable
from functools import lru_cache
from typing import NamedTuple

from ... import text
from ...models import SearchEntry
from ...ranking import (
    ACCENTED_PHRASE,
    ACCENTED_WORD,
    ALL_WORDS,
    BONUS_CAP,
    CODE,
    FUZZY,
    KEYWORDS_ALL_WORDS,
    ONE_WORD,
    SHINGLE,
    SYNONYM_FIRST,
    SYNONYM_PHRASE,
    TITLE_ALL_WORDS,
    WORD_IN_TITLE,
    popularity_share,
)
from ..base import Hit
from .columns import folded_words
from .matching import Candidates


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
    pairs = sum(1 for pair in text.shingles(words) if _holds(entry.folded_title, pair))
    if found.any_words:
        tier = ONE_WORD * (found.words_held.get(entry.procedure_id, 0) + pairs)
        bonus = 0
    else:
        tier = _tier(entry, parsed, folded_phrases, found, title_words)
        bonus = SHINGLE * pairs
    if parsed.accented:
        exact_title_words = set(entry.exact_title.split())
        bonus += sum(ACCENTED_WORD for w in parsed.words_exact if w in exact_title_words)
    bonus += sum(WORD_IN_TITLE for w in words if w in title_words)
    return tier + min(bonus, BONUS_CAP) + popularity_share(entry.popularity)


def _tier(entry: Ranked, parsed, phrases: list[str], found: Candidates, title_words) -> int:
    words = parsed.words_folded
    if parsed.code and entry.code.lower().startswith(parsed.code.lower()):
        return CODE
    if (
        parsed.accented
        and parsed.exact
        and _holds(f"{entry.exact_title} ; {entry.exact_keywords}", parsed.exact, typing=True)
    ):
        return ACCENTED_PHRASE
    held = [_holds(entry.folded_title, p) or _holds(entry.folded_keywords, p) for p in phrases]
    if held and held[0]:
        return SYNONYM_FIRST
    if any(held):
        return SYNONYM_PHRASE
    if _all_present(words, title_words):
        return TITLE_ALL_WORDS
    if _all_present(words, set(entry.folded_keywords.split())):
        return KEYWORDS_ALL_WORDS
    if found.matched(entry.procedure_id, "all_words"):
        return ALL_WORDS
    if found.matched(entry.procedure_id, "fuzzy"):
        return FUZZY
    return 0


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

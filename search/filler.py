"""The filler of how people ask ("xin", "làm", "thủ tục", "ở đâu", "bao nhiêu"…): words that
name no procedure. A query none of whose procedures holds every word is searched again without
them (search.backends.search). Pure Python, no Django.

A filler word typed with accents matches only itself ("làm", not "lâm" of Lâm Đồng); typed
without accents it matches the folded form ("lam" is taken for "làm").
"""

from functools import lru_cache

from .text import fold, has_accents, normalise, parse_query

FILLER = (
    # asking for, doing
    "xin",
    "làm",
    "làm sao",
    "cách",
    "cách làm",
    "muốn",
    "cần",
    "cần gì",
    "phải",
    "được",
    "không",
    "giúp",
    "hỏi",
    "hướng dẫn",
    # the words that join a question ("muốn nhận con nuôi thì làm thế nào")
    "thì",
    "mà",
    "vậy",
    "nhỉ",
    "nữa",
    # who
    "tôi",
    "mình",
    "em",
    "ạ",
    "ơi",
    "nhé",
    # what, where, how, how much, how long
    "thủ tục",
    "thủ tục hành chính",
    "gì",
    "là gì",
    "những",
    "nào",
    "ở đâu",
    "đâu",
    "như thế nào",
    "thế nào",
    "ra sao",
    "bao nhiêu",
    "hết bao nhiêu",
    "tốn bao nhiêu",
    "bao lâu",
    "mất bao lâu",
    "giấy tờ gì",
)


@lru_cache(maxsize=1)
def _phrases() -> tuple[tuple[str, ...], ...]:
    """The filler as word tuples (normalise() form), longest first."""
    phrases = {tuple(normalise(phrase).split()) for phrase in FILLER}
    return tuple(sorted(phrases, key=len, reverse=True))


def _same(word: str, filler: str) -> bool:
    return word == filler or (not has_accents(word) and fold(word) == fold(filler))


def without_filler(query_text: str) -> str:
    """The query's words without the filler, as typed (exact form); "" when nothing but
    filler is left, the query's words unchanged when it holds no filler."""
    words = parse_query(query_text).words_exact
    kept: list[str] = []
    i = 0
    while i < len(words):
        for phrase in _phrases():
            end = i + len(phrase)
            if end <= len(words) and all(map(_same, words[i:end], phrase)):
                i = end
                break
        else:
            kept.append(words[i])
            i += 1
    return " ".join(kept)

"""Vietnamese text for search: tokens, procedure codes, query parsing, highlighting and snippets.

The exact and folded forms, normalise() and fold(), are cms.text's, the one text module of every
room (its docstring says how Vietnamese is folded); they are imported here so that the backends
fold through `search.text` like everything else of search. parse_query() turns anything a user
types into plain words: no engine ever sees user syntax.
Pure Python, no Django.
"""

import html
import re
import unicodedata
from dataclasses import dataclass, field
from functools import lru_cache

from cms.text import fold as fold  # re-exported: the backends fold through search.text
from cms.text import fold_word, has_accents, normalise, strip_invisible

MAX_QUERY_LENGTH = 200
MAX_WORDS = 12
# Letters a search's last word needs to be taken as a prefix (still being typed): "do" as a
# prefix would also be đơn, đông, đối… Autocomplete, which works on titles, takes any prefix.
MIN_PREFIX = 3

# A token: a procedure code (1.000894, 2.001234.000.00.00.H12) or a run of letters and digits.
# National codes ("1.000894", "2.001234.000.00.00.H12") and province codes with a letter
# prefix ("LD.001", "SYN.000123").
_CODE_TEXT = r"(?:\d+|[^\W\d_]{1,6})(?:\.\d+)+(?:\.[^\W_]+)*"
_TOKEN = re.compile(rf"{_CODE_TEXT}|(?:[^\W_][\u0300-\u036f]*)+")
_CODE = re.compile(rf"{_CODE_TEXT}")
_OPERATORS = frozenset({"AND", "OR", "NOT", "NEAR"})


def _nfc(text: str) -> str:
    return unicodedata.normalize("NFC", text)


def tokens(text: str | None) -> list[str]:
    """The words of normalise(text), punctuation dropped; procedure codes stay one token."""
    return _TOKEN.findall(normalise(text))


def is_code(word: str) -> bool:
    """Whether a word is a procedure code ("1.000894", "2.001234.000.00.00.H12")."""
    return bool(_CODE.fullmatch(word or ""))


@dataclass
class ParsedQuery:
    raw: str
    exact: str
    folded: str
    words_exact: list[str] = field(default_factory=list)
    words_folded: list[str] = field(default_factory=list)
    accented: bool = False
    code: str | None = None


def parse_query(text) -> ParsedQuery:
    """Plain words from anything a user types; never raises.

    Syntax characters of any engine (quotes, * ? ~ ^ : ( ) [ ] { } \\ / + - | …) are dropped, and
    so are AND, OR, NOT and NEAR written in capitals (lower-case "and", "và", "hoặc" are words).
    The raw text is capped at MAX_QUERY_LENGTH characters and the words at MAX_WORDS. `code` is
    the query as typed when it is one procedure code and nothing else."""
    try:
        return _parse(text)
    except Exception:  # a search box must never fail
        return ParsedQuery("", "", "", [], [], False, None)


def _parse(text) -> ParsedQuery:
    if text is None:
        return ParsedQuery("", "", "", [], [], False, None)
    if isinstance(text, bytes | bytearray):
        text = bytes(text).decode("utf-8", "replace")
    text = strip_invisible(str(text)[: MAX_QUERY_LENGTH * 4])
    raw = " ".join(_nfc(text).split())[:MAX_QUERY_LENGTH].strip()
    words: list[str] = []
    typed: list[str] = []
    for match in _TOKEN.finditer(raw):
        word = match.group(0)
        if word in _OPERATORS:
            continue
        for token in tokens(word):
            words.append(token)
            typed.append(word)
        if len(words) >= MAX_WORDS:
            break
    words = words[:MAX_WORDS]
    folded = [fold_word(word) for word in words]
    code = typed[0] if len(words) == 1 and is_code(words[0]) else None
    return ParsedQuery(
        raw=raw,
        exact=" ".join(words),
        folded=" ".join(folded),
        words_exact=words,
        words_folded=folded,
        accented=has_accents(raw),
        code=code,
    )


def shingles(words: list[str], size: int = 2) -> list[str]:
    """Adjacent runs of `size` words joined by a space: ["a", "b", "c"] → ["a b", "b c"]."""
    if size < 1:
        return []
    return [" ".join(words[i : i + size]) for i in range(len(words) - size + 1)]


def edit_distance(a: str, b: str, limit: int) -> int:
    """Damerau–Levenshtein distance (optimal string alignment: insert, delete, substitute, swap
    two adjacent letters), or limit + 1 as soon as it is sure to exceed `limit`."""
    limit = max(limit, 0)
    if a == b:
        return 0
    if abs(len(a) - len(b)) > limit:
        return limit + 1
    # An edit brings in at most one letter and takes away at most one: a quick no for most
    # pairs of words, before the table below.
    if len(set(a).symmetric_difference(b)) > 2 * limit:
        return limit + 1
    if not a or not b:
        return max(len(a), len(b))
    before: list[int] = []
    previous = list(range(len(b) + 1))
    for i in range(1, len(a) + 1):
        current = [i] + [0] * len(b)
        for j in range(1, len(b) + 1):
            cost = 0 if a[i - 1] == b[j - 1] else 1
            value = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost)
            if i > 1 and j > 1 and a[i - 1] == b[j - 2] and a[i - 2] == b[j - 1]:
                value = min(value, before[j - 2] + 1)
            current[j] = value
        if min(current) > limit:
            return limit + 1
        before, previous = previous, current
    distance = previous[-1]
    return distance if distance <= limit else limit + 1


# --- highlighting --------------------------------------------------------------------------------

ELLIPSIS = "…"


@lru_cache(maxsize=65536)
def _exact_token(token: str) -> str:
    return normalise(token)


def _query_hits(words: list[tuple[int, int, str]], parsed: ParsedQuery) -> list[set[int]]:
    """For each word of the text (span and exact form), the indices of the query words it matches.

    A query word with accents matches the same word in exact form, one without accents matches
    any accented spelling of it. A query word found nowhere may match as a prefix (the last word,
    still being typed, of MIN_PREFIX letters or more) or with one typo (words of four letters or
    more)."""
    by_exact: dict[str, list[int]] = {}
    for position, (_start, _end, exact) in enumerate(words):
        by_exact.setdefault(exact, []).append(position)
    by_folded: dict[str, list[int]] = {}
    for exact, positions in by_exact.items():
        by_folded.setdefault(fold_word(exact), []).extend(positions)
    hits: list[set[int]] = [set() for _ in words]
    last = len(parsed.words_exact) - 1
    for index, exact in enumerate(parsed.words_exact):
        folded = fold_word(exact)
        # an accented query word is compared in exact form, an unaccented one in folded form
        forms, word = (by_exact, exact) if has_accents(exact) else (by_folded, folded)
        found = list(forms.get(word, []))
        if not found and index == last and len(word) >= MIN_PREFIX:
            found = [
                p for form, positions in forms.items() if form.startswith(word) for p in positions
            ]
        if not found and len(folded) >= 4:
            found = [
                p
                for form, positions in by_folded.items()
                if edit_distance(folded, form, 1) <= 1
                for p in positions
            ]
        for position in found:
            hits[position].add(index)
    return hits


def _stands_alone(word: str) -> bool:
    """Whether a query word is marked even outside a run: a code or a number means one thing."""
    return is_code(word) or any(c.isdigit() for c in word)


def _matches(text: str, parsed: ParsedQuery) -> list[tuple[int, int]]:
    """Spans of the words of `text` that match the query, by runs.

    Vietnamese words are several syllables ("xây dựng"), so a query's syllables are matched as
    phrases: a word of the text is marked when it starts or continues a run of two or more words
    that match consecutive query words, in the query's order, separated only by a space (a run
    does not cross punctuation). A lone matching word is marked only when the query is that one
    word, or when the query word is a code or a number. So "giay phep xay dung" marks "giấy phép
    xây dựng" but not the "dung" of "nội dung"; "dung" alone marks "dung"."""
    words = [(*m.span(), _exact_token(m.group(0))) for m in _TOKEN.finditer(text)]
    hits = _query_hits(words, parsed)
    alone = len(parsed.words_exact) == 1
    marked: set[int] = set()
    # run[p][k]: how many words from p on continue the query from its word k
    run: list[dict[int, int]] = [{} for _ in words]
    for position in range(len(words) - 1, -1, -1):
        follows = (
            position + 1 < len(words)
            and text[words[position][1] : words[position + 1][0]].isspace()
        )
        for index in hits[position]:
            length = 1 + (run[position + 1].get(index + 1, 0) if follows else 0)
            run[position][index] = length
            if length >= 2 or alone or _stands_alone(parsed.words_exact[index]):
                marked.update(range(position, position + length))
    return [words[position][:2] for position in sorted(marked)]


def highlight(
    text: str | None, parsed: ParsedQuery, max_length: int = 240, only_if_matched: bool = False
) -> str:
    """An HTML-safe snippet of `text` around the first match, each matched word in <mark>.

    The text is escaped; only <mark> and </mark> are added. Matching is on folded words, so an
    unaccented query marks accented text, and the text keeps its own characters. "…" shows where
    the snippet was cut. Without a match, the snippet is the start of the text, or nothing when
    `only_if_matched`."""
    text = " ".join(_nfc(strip_invisible(str(text or ""))).split())
    if not text:
        return ""
    spans = _matches(text, parsed) if parsed and parsed.words_exact else []
    if only_if_matched and not spans:
        return ""
    max_length = max(max_length, 20)
    start, end = 0, len(text)
    if len(text) > max_length:
        budget = max_length - 2  # room for the ellipses
        first = spans[0][0] if spans else 0
        start = max(0, first - budget // 3)
        if start > 0:
            space = text.find(" ", start, first)
            start = space + 1 if space != -1 else start
        end = min(len(text), start + budget)
        if end < len(text):
            space = text.rfind(" ", spans[0][1] if spans else start, end + 1)
            end = space if space > start else end
    parts = [ELLIPSIS] if start > 0 else []
    position = start
    for span_start, span_end in spans:
        if span_start < position or span_end > end:
            continue
        parts.append(html.escape(text[position:span_start]))
        parts.append(f"<mark>{html.escape(text[span_start:span_end])}</mark>")
        position = span_end
    parts.append(html.escape(text[position:end]))
    if end < len(text):
        parts.append(ELLIPSIS)
    return "".join(parts)


SNIPPET_LENGTH = 160


def snippet(body: str | None, parsed: ParsedQuery) -> str:
    """What a results list shows under a title: the body around its first match, words in
    <mark>, HTML-safe; nothing when the body holds no word of the query."""
    return highlight(body, parsed, SNIPPET_LENGTH, only_if_matched=True)

"""Vietnamese text for search: the one place every backend folds, tokenises and parses queries.

Two forms of any text are compared:

- the exact form, normalise(): NFC, case-folded, single spaces, one canonical tone placement and
  i for y after a consonant, diacritics kept ("Đăng ký", "đăng kí", "ĐĂNG KÝ" → "đăng kí");
- the folded form, fold(): the exact form with every mark removed and đ → d ("dang ki").

Canonical tone placement: in an open syllable the tone sits on the first of two vowels (oa, oe,
uy…: "hoà" → "hòa", "thuý" → "thủy", "khoẻ" → "khỏe"), on the middle one of three ("ngoài",
"khuỷu"); a syllable with a final consonant has it on its last vowel ("hoàng", "quỳnh"); a vowel
with its own mark (ă â ê ô ơ ư) always carries it, the last one when there are two ("rượu"). This is
the style of official documents and place names (Cộng hòa, Thanh Hóa, thủy sản), so real text is
mostly left as it is.

i/y: a syllable whose only vowel is y, directly after a consonant and with no final consonant, is
written with i (kỹ → kĩ, lý → lí, Mỹ → mĩ, tỷ → tỉ, hy → hi, sỹ → sĩ); "quý", "thủy", "uy", "y tế"
and "khuya" keep their y.

parse_query() turns anything a user types into plain words: no engine ever sees user syntax.
Pure Python, no Django.
"""

import html
import re
import unicodedata
from dataclasses import dataclass, field
from functools import lru_cache

MAX_QUERY_LENGTH = 200
MAX_WORDS = 12
# Letters a search's last word needs to be taken as a prefix (still being typed): "do" as a
# prefix would also be đơn, đông, đối… Autocomplete, which works on titles, takes any prefix.
MIN_PREFIX = 3

# Combining marks: the five tones and the three vowel qualities (circumflex, breve, horn).
TONE_MARKS = frozenset("\u0300\u0301\u0303\u0309\u0323")
QUALITY_MARKS = frozenset("\u0302\u0306\u031b")
VIETNAMESE_MARKS = TONE_MARKS | QUALITY_MARKS
_MARKED_VOWELS = frozenset("ăâêôơư")
_VOWELS = frozenset("aeiouy") | _MARKED_VOWELS
_LETTERS = frozenset("abcdefghijklmnopqrstuvwxyzđ") | _MARKED_VOWELS
_FINALS = frozenset({"", "c", "ch", "k", "m", "n", "ng", "nh", "p", "t"})
# The onsets after which a lone final y becomes i (not "qu", "gi", nor none).
_ONSETS = frozenset(
    {"b", "c", "ch", "d", "đ", "g", "gh", "h", "k", "kh", "l", "m", "n", "ng", "ngh", "nh"}
    | {"p", "ph", "r", "s", "t", "th", "tr", "v", "x"}
)

# Characters that are never text: controls become spaces; format characters (zero-width spaces,
# soft hyphens, direction overrides, BOM) and lone surrogates disappear.
_CONTROLS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
_INVISIBLE = re.compile("[\u00ad\u200b-\u200f\u202a-\u202e\u2060-\u2064\ufeff\ud800-\udfff]")

# A word: letters, each possibly followed by combining marks (decomposed or oddly ordered input).
_WORD = re.compile(r"(?:[^\W\d_][\u0300-\u036f]*)+")
# A token: a procedure code (1.000894, 2.001234.000.00.00.H12) or a run of letters and digits.
# National codes ("1.000894", "2.001234.000.00.00.H12") and province codes with a letter
# prefix ("LD.001", "SYN.000123").
_CODE_TEXT = r"(?:\d+|[^\W\d_]{1,6})(?:\.\d+)+(?:\.[^\W_]+)*"
_TOKEN = re.compile(rf"{_CODE_TEXT}|(?:[^\W_][\u0300-\u036f]*)+")
_CODE = re.compile(rf"{_CODE_TEXT}")
_OPERATORS = frozenset({"AND", "OR", "NOT", "NEAR"})


def _clean(text: str) -> str:
    return _INVISIBLE.sub("", _CONTROLS.sub(" ", text))


def _nfc(text: str) -> str:
    return unicodedata.normalize("NFC", text)


@lru_cache(maxsize=65536)
def _canonical_word(word: str) -> str:
    """One lower-case word with its tone moved to the canonical vowel and final y → i where due.

    Anything that is not a plain Vietnamese syllable (English, several vowel groups, two tones) is
    returned unchanged."""
    letters: list[str] = []
    tones: list[str] = []
    for char in unicodedata.normalize("NFD", word):
        if unicodedata.combining(char):
            if not letters:
                return word
            if char in TONE_MARKS:
                tones.append(char)
            else:
                letters[-1] += char
        else:
            letters.append(char)
    letters = [_nfc(letter) for letter in letters]
    if len(tones) > 1 or not all(letter in _LETTERS for letter in letters):
        return word
    start = 0
    while start < len(letters) and letters[start] not in _VOWELS:
        start += 1
    end = start
    while end < len(letters) and letters[end] in _VOWELS:
        end += 1
    onset, nucleus, final = "".join(letters[:start]), letters[start:end], "".join(letters[end:])
    if not nucleus or final not in _FINALS:
        return word
    glide = 0  # the u of "qu" and the i of "gi" belong to the onset when a vowel follows
    if len(nucleus) > 1 and (onset, nucleus[0]) in (("q", "u"), ("g", "i")):
        glide = 1
    vowels = nucleus[glide:]
    if len(vowels) == 1 and vowels[0] == "y" and not final and not glide and onset in _ONSETS:
        letters[start] = "i"
    if not tones:
        return "".join(letters)
    marked = [i for i, vowel in enumerate(vowels) if vowel in _MARKED_VOWELS]
    if marked:
        position = marked[-1]
    elif final or len(vowels) == 1:
        position = len(vowels) - 1
    elif len(vowels) == 2:
        position = 0
    elif len(vowels) == 3:
        position = 1
    else:
        return word
    target = start + glide + position
    letters[target] = _nfc(letters[target] + tones[0])
    return "".join(letters)


def normalise(text: str | None) -> str:
    """The exact form: NFC, case-folded, one space between words, canonical tone placement and
    i/y spelling; diacritics and punctuation kept."""
    if not text:
        return ""
    text = _nfc(_nfc(_clean(str(text))).casefold())
    text = " ".join(text.split())
    return _WORD.sub(lambda match: _canonical_word(match.group(0)), text)


@lru_cache(maxsize=65536)
def _fold_word(word: str) -> str:
    stripped = "".join(
        c for c in unicodedata.normalize("NFD", word) if not unicodedata.combining(c)
    )
    return _nfc(stripped.replace("đ", "d").replace("Đ", "D"))


def fold(text: str | None) -> str:
    """The folded form: normalise(), then every diacritic removed and đ → d ("Đăng ký" → "dang
    ki", "sổ đỏ" → "so do")."""
    return " ".join(_fold_word(word) for word in normalise(text).split(" ") if word)


def has_accents(text: str | None) -> bool:
    """Whether the text carries any Vietnamese tone or vowel mark, or đ."""
    if not text:
        return False
    decomposed = unicodedata.normalize("NFD", str(text))
    return any(c in VIETNAMESE_MARKS or c in "đĐ" for c in decomposed)


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
    text = _clean(str(text)[: MAX_QUERY_LENGTH * 4])
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
    folded = [_fold_word(word) for word in words]
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


def _matches(text: str, parsed: ParsedQuery) -> list[tuple[int, int]]:
    """Spans of the words of `text` the query matches.

    A query word with accents matches the same word in exact form, one without accents matches
    any accented spelling of it. A query word found nowhere may match as a prefix (the last word,
    still being typed, of MIN_PREFIX letters or more) or with one typo (words of four letters or
    more)."""
    by_exact: dict[str, list[tuple[int, int]]] = {}
    for match in _TOKEN.finditer(text):
        by_exact.setdefault(_exact_token(match.group(0)), []).append(match.span())
    by_folded: dict[str, list[tuple[int, int]]] = {}
    for word, spans in by_exact.items():
        by_folded.setdefault(_fold_word(word), []).extend(spans)
    found: set[tuple[int, int]] = set()
    last = len(parsed.words_exact) - 1
    for index, exact in enumerate(parsed.words_exact):
        folded = _fold_word(exact)
        # an accented query word is compared in exact form, an unaccented one in folded form
        forms, word = (by_exact, exact) if has_accents(exact) else (by_folded, folded)
        hits = list(forms.get(word, []))
        if not hits and index == last and len(word) >= MIN_PREFIX:
            hits = [
                span for form, spans in forms.items() if form.startswith(word) for span in spans
            ]
        if not hits and len(folded) >= 4:
            hits = [
                span
                for form, spans in by_folded.items()
                if edit_distance(folded, form, 1) <= 1
                for span in spans
            ]
        found.update(hits)
    return sorted(found)


def highlight(
    text: str | None, parsed: ParsedQuery, max_length: int = 240, only_if_matched: bool = False
) -> str:
    """An HTML-safe snippet of `text` around the first match, each matched word in <mark>.

    The text is escaped; only <mark> and </mark> are added. Matching is on folded words, so an
    unaccented query marks accented text, and the text keeps its own characters. "…" shows where
    the snippet was cut. Without a match, the snippet is the start of the text, or nothing when
    `only_if_matched`."""
    text = " ".join(_nfc(_clean(str(text or ""))).split())
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

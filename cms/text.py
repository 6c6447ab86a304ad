"""Text shared by every room: what is stored, and the forms in which text is matched.

- normalise_text(), what is stored: NFC, tidy whitespace, newlines kept.
- normalise(), the exact form, in which names and accented words are matched: NFC, case-folded,
  single spaces, one canonical tone placement and i for y after a consonant, diacritics kept
  ("Đăng ký", "đăng kí", "ĐĂNG KÝ" → "đăng kí").
- fold(), the folded form, in which accents do not matter: the exact form with every mark removed
  and đ → d ("dang ki"). Every path that matches text (the feed's and the forms' filters, both
  search backends, the importer) folds with it, so that "dang ky", "đăng ký" and "Đăng kí" find
  the same procedures everywhere.
- ascii_fold(), the primitive fold() is built on: marks stripped and đ → d, nothing else. Slugs
  and ASCII file names use it directly: without the i/y rule, existing slugs never change.

Canonical tone placement: in an open syllable the tone sits on the first of two vowels (oa, oe,
uy…: "hoà" → "hòa", "thuý" → "thủy", "khoẻ" → "khỏe"), on the middle one of three ("ngoài",
"khuỷu"); a syllable with a final consonant has it on its last vowel ("hoàng", "quỳnh"); a vowel
with its own mark (ă â ê ô ơ ư) always carries it, the last one when there are two ("rượu"). This is
the style of official documents and place names (Cộng hòa, Thanh Hóa, thủy sản), so real text is
mostly left as it is.

i/y: a syllable whose only vowel is y, directly after a consonant and with no final consonant, is
written with i (kỹ → kĩ, lý → lí, Mỹ → mĩ, tỷ → tỉ, hy → hi, sỹ → sĩ); "quý", "thủy", "uy", "y tế"
and "khuya" keep their y. The rule reads the letters of a syllable, not its marks, so a text and
the same text typed without accents fold alike: fold(ascii_fold(text)) == fold(text).

Pure Python, no Django.
"""

import re
import unicodedata
from functools import lru_cache

_SPACES = re.compile(r"[^\S\n]+")

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


def normalise_text(value: str | None) -> str:
    """NFC, no stray spaces at line ends, no runs of spaces; newlines are kept."""
    if not value:
        return ""
    text = unicodedata.normalize("NFC", str(value)).replace("\r\n", "\n").replace("\r", "\n")
    lines = [_SPACES.sub(" ", line).strip() for line in text.split("\n")]
    return "\n".join(lines).strip()


def strip_invisible(text: str) -> str:
    """Controls as spaces; zero-width and direction characters, soft hyphens, BOM and lone
    surrogates removed."""
    return _INVISIBLE.sub("", _CONTROLS.sub(" ", text))


def ascii_fold(value: str | None) -> str:
    """Marks stripped and đ/Đ (which has no decomposition) to d/D; case and spelling kept."""
    text = unicodedata.normalize("NFD", value or "")
    text = "".join(ch for ch in text if not unicodedata.combining(ch))
    return _nfc(text.replace("đ", "d").replace("Đ", "D"))


def normalise(text: str | None) -> str:
    """The exact form: NFC, case-folded, one space between words, canonical tone placement and
    i/y spelling; diacritics and punctuation kept. Names (agencies, fields, subjects, form
    codes, column headers) match in it: "Sở  Tư pháp" = "SỞ TƯ PHÁP", "Hoà" = "Hòa"."""
    if not text:
        return ""
    text = _nfc(_nfc(strip_invisible(str(text))).casefold())
    text = " ".join(text.split())
    return _WORD.sub(lambda match: _canonical_word(match.group(0)), text)


def fold(text: str | None) -> str:
    """The folded form: normalise(), then every diacritic removed and đ → d ("Đăng ký" → "dang
    ki", "sổ đỏ" → "so do")."""
    return " ".join(fold_word(word) for word in normalise(text).split(" ") if word)


@lru_cache(maxsize=65536)
def fold_word(word: str) -> str:
    """The folded form of one word already in the exact form (cached: search folds the same words
    of titles and queries over and over)."""
    return ascii_fold(word)


def has_accents(text: str | None) -> bool:
    """Whether the text carries any Vietnamese tone or vowel mark, or đ."""
    if not text:
        return False
    decomposed = unicodedata.normalize("NFD", str(text))
    return any(c in VIETNAMESE_MARKS or c in "đĐ" for c in decomposed)


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

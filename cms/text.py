"""Text hygiene shared by every room: Unicode NFC and tidy whitespace."""

import re
import unicodedata

_SPACES = re.compile(r"[^\S\n]+")


def normalise_text(value: str | None) -> str:
    """NFC, no stray spaces at line ends, no runs of spaces; newlines are kept."""
    if not value:
        return ""
    text = unicodedata.normalize("NFC", str(value)).replace("\r\n", "\n").replace("\r", "\n")
    lines = [_SPACES.sub(" ", line).strip() for line in text.split("\n")]
    return "\n".join(lines).strip()


def match_key(value: str | None) -> str:
    """A key for matching names typed by people: NFC, case-folded, single spaces."""
    return " ".join(normalise_text(value).casefold().split())


def ascii_fold(value: str | None) -> str:
    """Vietnamese without diacritics: marks stripped and đ/Đ (which has no decomposition) to d/D."""
    text = unicodedata.normalize("NFD", value or "")
    text = "".join(ch for ch in text if not unicodedata.combining(ch))
    return unicodedata.normalize("NFC", text.replace("đ", "d").replace("Đ", "D"))


def folded(value: str | None) -> str:
    """The form text is compared in when accents and case must not matter: "Đăng ký" → "dang ky"."""
    return ascii_fold(match_key(value))

"""Safe, readable names for uploaded files."""

import re
import unicodedata

# Filenames.
MAX_FILENAME_CHARS = 150
MAX_EXTENSION_CHARS = 10
DEFAULT_STEM = "bieu-mau"
RESERVED_SUFFIX = "-tep"
FORBIDDEN_CHARS = frozenset('<>:"/\\|?*')
WINDOWS_RESERVED = frozenset(
    ["CON", "PRN", "AUX", "NUL"] + [f"{port}{n}" for port in ("COM", "LPT") for n in range(1, 10)]
)


def sanitise_filename(name: str) -> str:
    """A safe, readable basename: no path, no control or reserved characters, at most 150 chars.

    Vietnamese letters are kept (NFC, so the name looks and sorts the same on every system).
    """
    text = unicodedata.normalize("NFC", name)
    text = re.split(r"[/\\]", text)[-1]  # browsers on Windows may send the full path
    text = " ".join("".join(_clean_char(char) for char in text).split())
    text = unicodedata.normalize("NFC", text).strip(" ").rstrip(". ")
    stem, extension = split_extension(text)
    stem = _avoid_reserved_name(stem.strip(". "))
    stem = stem[: MAX_FILENAME_CHARS - len(extension)].rstrip(". ")
    return (stem or DEFAULT_STEM) + extension


def _clean_char(char: str) -> str:
    if char.isspace():
        return " "
    # Category C*: controls, format characters such as U+202E (which flips "exe.pdf" on screen),
    # private-use and unassigned code points.
    if unicodedata.category(char).startswith("C") or char in FORBIDDEN_CHARS:
        return ""
    return char


def split_extension(name: str) -> tuple[str, str]:
    """("Tờ khai", ".docx"); a last dot followed by spaces or a long tail is not an extension."""
    dot = name.rfind(".")
    extension = name[dot:] if dot >= 0 else ""
    if not 2 <= len(extension) <= MAX_EXTENSION_CHARS or not extension[1:].isalnum():
        return name, ""
    return name[:dot], extension


def _avoid_reserved_name(stem: str) -> str:
    # Windows refuses "CON", "con.txt", "LPT1.tar"…: what counts is the part before any dot.
    first, dot, rest = stem.partition(".")
    if first.strip().upper() in WINDOWS_RESERVED:
        return first.strip() + RESERVED_SUFFIX + dot + rest
    return stem


def canonical_filename(name: str) -> str:
    stem, extension = split_extension(name)
    return stem + extension.lower()

"""What the first bytes say: the allowed formats' signatures, and programs, scripts and archives
refused wherever they are found (at the start, or hidden after a PDF or an image ends)."""

import io
import zipfile
from collections.abc import Iterable

import olefile

from .formats import FORMATS
from .messages import (
    MSG_ARCHIVE,
    MSG_POLYGLOT,
    MSG_PROGRAM,
    MSG_SCRIPT,
    POLYGLOT_PROGRAM,
    POLYGLOT_ZIP,
    refusal,
)

PDF_MAGIC = b"%PDF-"
PNG_MAGIC = b"\x89PNG\r\n\x1a\n"
JPEG_MAGIC = b"\xff\xd8\xff"
RTF_MAGIC = b"{\\rtf"
OLE_MAGIC = olefile.MAGIC
ZIP_MAGICS = (b"PK\x03\x04", b"PK\x05\x06", b"PK\x07\x08")
PROGRAM_MAGICS: tuple[tuple[bytes, str], ...] = (
    (b"MZ", "Windows (.exe, .dll)"),
    (b"\x7fELF", "Linux (ELF)"),
    (b"\xfe\xed\xfa\xce", "macOS (Mach-O)"),
    (b"\xfe\xed\xfa\xcf", "macOS (Mach-O)"),
    (b"\xce\xfa\xed\xfe", "macOS (Mach-O)"),
    (b"\xcf\xfa\xed\xfe", "macOS (Mach-O)"),
    (b"\xca\xfe\xba\xbe", "macOS (Mach-O) / Java"),
)
SCRIPT_MAGIC = b"#!"
ARCHIVE_MAGICS: tuple[tuple[bytes, str], ...] = (
    (b"Rar!\x1a\x07", "RAR"),
    (b"7z\xbc\xaf\x27\x1c", "7z"),
    (b"\x1f\x8b", "gzip (.gz)"),
    (b"BZh", "bzip2 (.bz2)"),
    (b"\xfd7zXZ\x00", "xz (.xz)"),
)
TAR_MAGIC, TAR_MAGIC_OFFSET = b"ustar", 257


def reject_programs_and_archives(data: bytes) -> None:
    for magic, kind in PROGRAM_MAGICS:
        if data.startswith(magic):
            raise refusal("executable", MSG_PROGRAM, kind=kind)
    if data.startswith(SCRIPT_MAGIC):
        raise refusal("executable", MSG_SCRIPT)
    kind = _archive_kind(data)
    if kind is not None:
        raise refusal("archive", MSG_ARCHIVE, kind=kind)


def _archive_kind(data: bytes) -> str | None:
    for magic, kind in ARCHIVE_MAGICS:
        if data.startswith(magic):
            return kind
    if data[TAR_MAGIC_OFFSET : TAR_MAGIC_OFFSET + len(TAR_MAGIC)] == TAR_MAGIC:
        return "tar"
    return None


def _starts_like_program_or_archive(data: bytes) -> bool:
    if data.startswith((*ZIP_MAGICS, SCRIPT_MAGIC)):
        return True
    programs = tuple(magic for magic, _kind in PROGRAM_MAGICS)
    return data.startswith(programs) or _archive_kind(data) is not None


# ---------------------------------------------------------------------------------------------
# Polyglots: one file that two programs read as two different things


def reject_zip_polyglot(data: bytes, kind: str) -> None:
    # A ZIP is found from its end, so a ZIP appended to a PDF or an image still opens as one.
    if zipfile.is_zipfile(io.BytesIO(data)):
        raise refusal("polyglot", MSG_POLYGLOT, kind=FORMATS[kind].label, other=POLYGLOT_ZIP)


def reject_program_after(data: bytes, ends: Iterable[int | None], kind: str) -> None:
    """Refuse a program or archive placed right after where the PDF or image ends."""
    for end in ends:
        if end is not None and _starts_like_program_or_archive(data[end:].lstrip(b"\0\t\r\n ")):
            raise refusal(
                "polyglot", MSG_POLYGLOT, kind=FORMATS[kind].label, other=POLYGLOT_PROGRAM
            )

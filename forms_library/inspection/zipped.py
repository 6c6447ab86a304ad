"""ZIP-based documents (DOCX, XLSX, ODT, ODS): which one it is, and every member checked for
macros, embedded programs, unsafe names and decompression bombs."""

import io
import lzma
import re
import zipfile
import zlib

from django.utils.translation import gettext_lazy as _

from .formats import ALLOWED_EXTENSIONS, FORMATS, MACRO_FREE_EXTENSION
from .messages import (
    MSG_ACTIVEX,
    MSG_EMBEDDED_PROGRAM,
    MSG_ENCRYPTED,
    MSG_MACRO,
    MSG_OTHER_DOCUMENT,
    MSG_RATIO,
    MSG_TOO_MANY_MEMBERS,
    MSG_UNSAFE_PATH,
    MSG_UNZIPPED_TOO_LARGE,
    MSG_ZIP,
    damaged_document,
    megabytes,
    refusal,
)

# ZIP-based formats: limits on what the archive expands to, counted while reading.
MAX_ZIP_MEMBERS = 1000
MAX_UNZIPPED_BYTES = 100 * 1024 * 1024
MAX_RATIO = 200
RATIO_FREE_BYTES = 1024 * 1024  # small members may compress very well (blank XML parts)
READ_CHUNK = 64 * 1024
KEPT_MEMBER_BYTES = 2 * 1024 * 1024  # parts read for facts: content types, page counts
CONTENT_TYPES = "[Content_Types].xml"
# What zipfile and its decompressors raise on a damaged member or an unsupported method.
ZIP_READ_ERRORS = (
    zipfile.BadZipFile, zlib.error, lzma.LZMAError, OSError, EOFError, ValueError,
    NotImplementedError,
)  # fmt: skip
ODF_MIMETYPES = {
    b"application/vnd.oasis.opendocument.text": "odt",
    b"application/vnd.oasis.opendocument.spreadsheet": "ods",
}
EMBEDDED_PROGRAM_SUFFIXES = (
    ".exe", ".dll", ".com", ".bat", ".cmd", ".scr", ".js", ".vbs", ".ps1", ".jar", ".msi",
)  # fmt: skip
ODF_MACRO_FOLDERS = ("basic/", "scripts/")


def _open_zip(data: bytes) -> zipfile.ZipFile:
    try:
        return zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, OSError, ValueError, EOFError) as error:
        raise damaged_document() from error


def detect_zip(data: bytes) -> str:
    """Which document a ZIP holds, from its member names (read from the central directory)."""
    with _open_zip(data) as archive:
        names = set(archive.namelist())
        if CONTENT_TYPES in names:
            if "word/document.xml" in names:
                return "docx"
            if "xl/workbook.xml" in names:
                return "xlsx"
            kind = _("tài liệu Office khác (ví dụ PowerPoint)")
        elif "mimetype" in names:
            found = ODF_MIMETYPES.get(_read_head(archive, "mimetype").strip())
            if found is not None:
                return found
            kind = _("tài liệu OpenDocument khác (ví dụ trình chiếu)")
        else:
            raise refusal("archive", MSG_ZIP)
    raise refusal("not_allowed_format", MSG_OTHER_DOCUMENT, kind=kind, allowed=ALLOWED_EXTENSIONS)


def _read_head(archive: zipfile.ZipFile, name: str, size: int = 256) -> bytes:
    try:
        with archive.open(name) as member:
            return member.read(size)  # decompresses only what it returns
    except (*ZIP_READ_ERRORS, RuntimeError):  # RuntimeError: encrypted
        return b""


def inspect_ooxml(data: bytes, found: str) -> tuple[int | None, None]:
    parts = _checked_zip_parts(data, found, {CONTENT_TYPES, "docProps/app.xml"})
    content_types = parts.get(CONTENT_TYPES, b"").lower()
    if b"macroenabled" in content_types or b"vbaproject" in content_types:
        raise refusal("macro", MSG_MACRO, extension=MACRO_FREE_EXTENSION[found])
    if b"activex" in content_types:
        raise refusal("embedded_object", MSG_ACTIVEX, extension=MACRO_FREE_EXTENSION[found])
    if found == "docx":
        return _first_int(rb"<(?:\w+:)?Pages>\s*(\d+)\s*<", parts.get("docProps/app.xml")), None
    return None, None


def inspect_odf(data: bytes, found: str) -> tuple[int | None, None]:
    parts = _checked_zip_parts(data, found, {"meta.xml"})
    if found == "odt":
        return _first_int(rb'meta:page-count="(\d+)"', parts.get("meta.xml")), None
    return None, None


def _first_int(pattern: bytes, text: bytes | None) -> int | None:
    # A regular expression, not an XML parser: these parts come from strangers.
    match = re.search(pattern, text or b"")
    return int(match.group(1)) if match else None


def _checked_zip_parts(data: bytes, found: str, wanted: set[str]) -> dict[str, bytes]:
    """Check every member of the archive; return the wanted small parts."""
    with _open_zip(data) as archive:
        infos = archive.infolist()
        if len(infos) > MAX_ZIP_MEMBERS:
            raise refusal("zip_bomb", MSG_TOO_MANY_MEMBERS, limit=MAX_ZIP_MEMBERS)
        _check_member_names(infos, found)
        return _read_members(archive, infos, len(data), wanted)


def _check_member_names(infos: list[zipfile.ZipInfo], found: str) -> None:
    seen: set[str] = set()
    for info in infos:
        name, lowered = info.filename, info.filename.lower()
        if _unsafe_member_name(name) or lowered in seen:  # two parts, two readings
            raise refusal("unsafe_path", MSG_UNSAFE_PATH, name=name)
        seen.add(lowered)
        if info.flag_bits & 0x1:
            raise refusal("encrypted", MSG_ENCRYPTED)
        if "vbaproject" in lowered or lowered.endswith("vbadata.xml"):
            raise refusal("macro", MSG_MACRO, extension=_macro_free(found))
        if found in ("odt", "ods") and lowered.startswith(ODF_MACRO_FOLDERS):
            raise refusal("macro", MSG_MACRO, extension=_macro_free(found))
        if "activex/" in lowered:
            raise refusal("embedded_object", MSG_ACTIVEX, extension=_macro_free(found))
        if lowered.endswith(EMBEDDED_PROGRAM_SUFFIXES):
            raise refusal("executable", MSG_EMBEDDED_PROGRAM, name=name)


def _macro_free(found: str) -> str:
    return MACRO_FREE_EXTENSION.get(found, FORMATS[found].extensions[0])


def _unsafe_member_name(name: str) -> bool:
    # Extracting such a member would write outside the target folder.
    absolute = name.startswith(("/", "\\")) or re.match(r"[A-Za-z]:", name) is not None
    return absolute or ".." in re.split(r"[/\\]", name)


def _read_members(
    archive: zipfile.ZipFile, infos: list[zipfile.ZipInfo], archive_size: int, wanted: set[str]
) -> dict[str, bytes]:
    """Decompress every member, counting the bytes actually produced (declared sizes can lie)."""
    total = 0
    kept: dict[str, bytes] = {}
    for info in infos:
        # The data of a member cannot be larger than the archive, whatever its header says.
        compressed = max(1, min(info.compress_size, archive_size))
        size = 0
        chunks: list[bytes] = []
        try:
            with archive.open(info) as member:
                while chunk := member.read(READ_CHUNK):
                    size += len(chunk)
                    total += len(chunk)
                    _check_expansion(info.filename, size, compressed, total)
                    if info.filename in wanted and size <= KEPT_MEMBER_BYTES:
                        chunks.append(chunk)
        except ZIP_READ_ERRORS as error:
            raise damaged_document() from error
        if info.filename in wanted:
            kept[info.filename] = b"".join(chunks)
    return kept


def _check_expansion(name: str, size: int, compressed: int, total: int) -> None:
    if total > MAX_UNZIPPED_BYTES:
        raise refusal("zip_bomb", MSG_UNZIPPED_TOO_LARGE, limit=megabytes(MAX_UNZIPPED_BYTES))
    if size > RATIO_FREE_BYTES and size > MAX_RATIO * compressed:
        raise refusal("zip_bomb", MSG_RATIO, name=name, ratio=MAX_RATIO)

"""Checks on an uploaded form file by its content, not by its name.

Editors upload forms that citizens then download and open, so a file that is really a program,
an archive, a macro-enabled document, a decompression bomb or a file that parses as two formats
must never reach the library. The format is read from the bytes; the extension only has to agree
with it. Images are re-encoded so no EXIF (GPS), text or ICC metadata is published.
"""

import io
import lzma
import re
import subprocess
import unicodedata
import warnings
import zipfile
import zlib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

import olefile
from django.core.exceptions import ValidationError
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _
from PIL import Image, ImageOps


@dataclass(frozen=True)
class Inspected:
    format: str
    content_type: str
    filename: str
    page_count: int | None
    content: bytes | None


@dataclass(frozen=True)
class _Format:
    content_type: str
    label: Promise | str  # how an editor recognises the format in a message
    extensions: tuple[str, ...]  # the first is the one to suggest


FORMATS: dict[str, _Format] = {
    "pdf": _Format("application/pdf", "PDF (.pdf)", (".pdf",)),
    "doc": _Format("application/msword", _("Word 97–2003 (.doc)"), (".doc",)),
    "docx": _Format(
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        _("Word (.docx)"),
        (".docx",),
    ),
    "xls": _Format("application/vnd.ms-excel", _("Excel 97–2003 (.xls)"), (".xls",)),
    "xlsx": _Format(
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        _("Excel (.xlsx)"),
        (".xlsx",),
    ),
    "odt": _Format(
        "application/vnd.oasis.opendocument.text", _("văn bản OpenDocument (.odt)"), (".odt",)
    ),
    "ods": _Format(
        "application/vnd.oasis.opendocument.spreadsheet",
        _("bảng tính OpenDocument (.ods)"),
        (".ods",),
    ),
    "rtf": _Format("application/rtf", "RTF (.rtf)", (".rtf",)),
    "png": _Format("image/png", _("ảnh PNG (.png)"), (".png",)),
    "jpeg": _Format("image/jpeg", _("ảnh JPEG (.jpg)"), (".jpg", ".jpeg")),
}
EXTENSION_FORMATS = {ext: name for name, spec in FORMATS.items() for ext in spec.extensions}
ALLOWED_EXTENSIONS = ", ".join(EXTENSION_FORMATS)
# Macro-free format to suggest when a document carries macros.
MACRO_FREE_EXTENSION = {"doc": ".docx", "docx": ".docx", "xls": ".xlsx", "xlsx": ".xlsx"}

# Filenames.
MAX_FILENAME_CHARS = 150
MAX_EXTENSION_CHARS = 10
DEFAULT_STEM = "bieu-mau"
RESERVED_SUFFIX = "-tep"
FORBIDDEN_CHARS = frozenset('<>:"/\\|?*')
WINDOWS_RESERVED = frozenset(
    ["CON", "PRN", "AUX", "NUL"] + [f"{port}{n}" for port in ("COM", "LPT") for n in range(1, 10)]
)

# Signatures.
PDF_MAGIC = b"%PDF-"
PDF_END = b"%%EOF"
PDF_TAIL_BYTES = 1024
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

# PDF.
PDFINFO = Path("/usr/bin/pdfinfo")
PDFINFO_SECONDS = 15

# Images: a small file can declare a huge canvas that takes gigabytes to decode.
MAX_IMAGE_PIXELS = 50_000_000
JPEG_QUALITY = 92

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

# OLE (Word/Excel 97–2003): storage and stream names that hold VBA macros.
OLE_MACRO_NAMES = frozenset(["macros", "_vba_project_cur", "vba", "_vba_project", "project"])
OLE_FORMAT_STREAMS = {"worddocument": "doc", "workbook": "xls", "book": "xls"}

# Messages. Each says what is wrong and what the editor can do about it.
REDO_DOCUMENT = _(
    "Hãy mở tệp bằng Word, Excel hoặc LibreOffice, lưu thành tệp mới rồi tải lên lại."
)
MSG_TOO_LARGE = _(
    "Tệp lớn hơn giới hạn %(limit)s MB. Hãy giảm dung lượng (ví dụ nén ảnh hoặc xuất lại PDF) "
    "rồi tải lên lại."
)
MSG_EMPTY = _("Tệp rỗng (0 byte). Hãy chọn lại đúng tệp biểu mẫu rồi tải lên.")
MSG_NO_EXTENSION = _(
    "Tên tệp “%(filename)s” không có đuôi được chấp nhận. Chỉ nhận các tệp %(allowed)s. "
    "Hãy đặt tên tệp với đuôi đúng định dạng của nó."
)
MSG_UNKNOWN_CONTENT = _(
    "Không nhận ra định dạng của tệp. Chỉ nhận các tệp %(allowed)s. "
    "Hãy lưu biểu mẫu ở một trong các định dạng này rồi tải lên lại."
)
MSG_OTHER_DOCUMENT = _(
    "Tệp là %(kind)s, không phải định dạng được nhận. Chỉ nhận các tệp %(allowed)s. "
    "Hãy lưu biểu mẫu ở một trong các định dạng này rồi tải lên lại."
)
MSG_MISMATCH = _(
    "Nội dung tệp là %(actual)s nhưng tên tệp có đuôi %(extension)s. "
    "Hãy đổi đuôi tệp thành %(expected)s hoặc chọn đúng tệp."
)
MSG_PROGRAM = _(
    "Tệp là tệp thực thi (chương trình %(kind)s), không được phép tải lên. "
    "Hãy tải lên biểu mẫu ở dạng PDF, Word, Excel, OpenDocument, RTF hoặc ảnh."
)
MSG_SCRIPT = _(
    "Tệp là tập lệnh (script) có thể chạy được, không được phép tải lên. "
    "Hãy tải lên biểu mẫu ở dạng PDF, Word, Excel, OpenDocument, RTF hoặc ảnh."
)
MSG_EMBEDDED_PROGRAM = _(
    "Tệp chứa chương trình hoặc tập lệnh nhúng bên trong (“%(name)s”), không được phép tải lên. "
    "Hãy xoá phần đính kèm đó, lưu thành tệp mới rồi tải lên lại."
)
MSG_ZIP = _(
    "Tệp là tệp nén ZIP, không phải biểu mẫu Word, Excel hay OpenDocument. "
    "Hãy giải nén và tải lên từng biểu mẫu riêng."
)
MSG_ARCHIVE = _(
    "Tệp là tệp nén %(kind)s, không được nhận. Hãy giải nén và tải lên từng biểu mẫu riêng."
)
MSG_MACRO = _(
    "Tệp có chứa macro (mã lệnh VBA hoặc Basic tự chạy), không được phép tải lên. "
    "Hãy lưu lại dưới dạng %(extension)s không có macro rồi tải lên lại."
)
MSG_ACTIVEX = _(
    "Tệp chứa điều khiển ActiveX nhúng, có thể chạy mã trên máy người tải về. "
    "Hãy xoá các điều khiển này, lưu lại dưới dạng %(extension)s rồi tải lên lại."
)
MSG_RTF_OBJECT = _(
    "Tệp RTF chứa đối tượng nhúng (OLE), một cách thường dùng để phát tán mã độc. "
    "Hãy xoá đối tượng nhúng hoặc lưu lại dưới dạng .docx hay .pdf rồi tải lên."
)
MSG_TOO_MANY_MEMBERS = _(
    "Tệp chứa quá nhiều thành phần bên trong (hơn %(limit)s), có thể là “bom nén”. "
    "Hãy mở tệp bằng Word, Excel hoặc LibreOffice, lưu thành tệp mới rồi tải lên lại."
)
MSG_UNZIPPED_TOO_LARGE = _(
    "Tệp khi giải nén lớn hơn %(limit)s MB, có thể là “bom nén”. "
    "Hãy mở tệp bằng Word, Excel hoặc LibreOffice, lưu thành tệp mới rồi tải lên lại."
)
MSG_RATIO = _(
    "Thành phần “%(name)s” trong tệp nén với tỉ lệ bất thường (hơn %(ratio)s lần), có thể là "
    "“bom nén”. Hãy mở tệp bằng Word, Excel hoặc LibreOffice, lưu thành tệp mới rồi tải lên lại."
)
MSG_UNSAFE_PATH = _(
    "Tệp chứa thành phần có tên không an toàn (“%(name)s”), dấu hiệu tệp bị chỉnh sửa độc hại. "
    "Hãy mở tệp bằng Word, Excel hoặc LibreOffice, lưu thành tệp mới rồi tải lên lại."
)
MSG_ENCRYPTED = _(
    "Tệp được đặt mật khẩu nên không kiểm tra được. Hãy gỡ mật khẩu, lưu lại rồi tải lên."
)
MSG_DAMAGED = _("Tệp %(kind)s bị hỏng, không đọc được. %(advice)s")
MSG_PDF_TRUNCATED = _(
    "Tệp PDF bị cắt cụt hoặc hỏng (thiếu phần kết thúc của tệp), có thể do tải về hay sao chép "
    "chưa xong. Hãy xuất lại PDF từ tài liệu gốc rồi tải lên lại."
)
MSG_PDF_UNREADABLE = _(
    "Tệp PDF bị hỏng hoặc có mật khẩu mở nên không đọc được. "
    "Hãy xuất lại PDF (không đặt mật khẩu) từ tài liệu gốc rồi tải lên lại."
)
MSG_IMAGE_DAMAGED = _(
    "Ảnh bị hỏng hoặc không đọc được. Hãy mở ảnh, lưu lại thành tệp mới rồi tải lên."
)
MSG_IMAGE_BOMB = _(
    "Ảnh có quá nhiều điểm ảnh (tối đa %(limit)s triệu), có thể là ảnh “bom giải nén”. "
    "Hãy thu nhỏ ảnh rồi tải lên lại."
)
MSG_POLYGLOT = _(
    "Tệp mang hai định dạng: ngoài %(kind)s còn chứa %(other)s ghép vào, một cách giấu mã độc. "
    "Hãy mở tệp, lưu hoặc xuất lại thành tệp mới rồi tải lên."
)
POLYGLOT_ZIP = _("một tệp nén ZIP")
POLYGLOT_PROGRAM = _("một chương trình hoặc tệp nén")


def _error(code: str, message: Promise | str, **params: Any) -> ValidationError:
    return ValidationError(message, code=code, params=params)


# ---------------------------------------------------------------------------------------------
# Filenames


def sanitise_filename(name: str) -> str:
    """A safe, readable basename: no path, no control or reserved characters, at most 150 chars.

    Vietnamese letters are kept (NFC, so the name looks and sorts the same on every system).
    """
    text = unicodedata.normalize("NFC", name)
    text = re.split(r"[/\\]", text)[-1]  # browsers on Windows may send the full path
    text = " ".join("".join(_clean_char(char) for char in text).split())
    text = unicodedata.normalize("NFC", text).strip(" ").rstrip(". ")
    stem, extension = _split_extension(text)
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


def _split_extension(name: str) -> tuple[str, str]:
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


def _canonical_filename(name: str) -> str:
    stem, extension = _split_extension(name)
    return stem + extension.lower()


# ---------------------------------------------------------------------------------------------
# Entry point


def inspect_upload(file: IO[bytes], filename: str, max_bytes: int) -> Inspected:
    """What the uploaded file really is; raises ValidationError (in Vietnamese) to refuse it."""
    data = _read_upload(file, max_bytes)
    _check_size(data, max_bytes)
    clean_name = _canonical_filename(sanitise_filename(filename))
    found = detect_format(data)
    _check_extension(clean_name, found)
    page_count, content = INSPECTORS[found](data, found)
    return Inspected(
        format=found,
        content_type=FORMATS[found].content_type,
        filename=clean_name,
        page_count=page_count,
        content=content,
    )


def _read_upload(file: IO[bytes], max_bytes: int) -> bytes:
    """At most max_bytes + 1 bytes: enough to know the file is too large without holding it."""
    limit = max_bytes + 1
    chunks: list[bytes] = []
    read = 0
    try:
        file.seek(0)
        while read < limit and (chunk := file.read(limit - read)):
            chunks.append(chunk)
            read += len(chunk)
    finally:
        file.seek(0)  # the caller (Wagtail, the storage) reads it again from the start
    return b"".join(chunks)


def _check_size(data: bytes, max_bytes: int) -> None:
    if not data:
        raise _error("empty", MSG_EMPTY)
    if len(data) > max_bytes:
        raise _error("too_large", MSG_TOO_LARGE, limit=_megabytes(max_bytes))


def _megabytes(size: int) -> str:
    """20971520 → "20", 2621440 → "2,5" (Vietnamese decimal comma)."""
    return f"{size / (1024 * 1024):.1f}".removesuffix(".0").replace(".", ",")


def _check_extension(filename: str, found: str) -> None:
    extension = _split_extension(filename)[1]
    declared = EXTENSION_FORMATS.get(extension)
    if declared is None:
        raise _error(
            "not_allowed_format", MSG_NO_EXTENSION, filename=filename, allowed=ALLOWED_EXTENSIONS
        )
    if declared != found:
        spec = FORMATS[found]
        raise _error(
            "extension_mismatch",
            MSG_MISMATCH,
            actual=spec.label,
            extension=extension,
            expected=spec.extensions[0],
        )


# ---------------------------------------------------------------------------------------------
# Detection by signature


def detect_format(data: bytes) -> str:
    """The allowed format the bytes start as; programs, archives and the unknown are refused."""
    _reject_programs_and_archives(data)
    if data.startswith(PDF_MAGIC):
        return "pdf"
    if data.startswith(PNG_MAGIC):
        return "png"
    if data.startswith(JPEG_MAGIC):
        return "jpeg"
    if data.startswith(RTF_MAGIC):
        return "rtf"
    if data.startswith(OLE_MAGIC):
        return _ole_format(data)
    if data.startswith(ZIP_MAGICS):
        return _zip_format(data)
    raise _error("not_allowed_format", MSG_UNKNOWN_CONTENT, allowed=ALLOWED_EXTENSIONS)


def _reject_programs_and_archives(data: bytes) -> None:
    for magic, kind in PROGRAM_MAGICS:
        if data.startswith(magic):
            raise _error("executable", MSG_PROGRAM, kind=kind)
    if data.startswith(SCRIPT_MAGIC):
        raise _error("executable", MSG_SCRIPT)
    kind = _archive_kind(data)
    if kind is not None:
        raise _error("archive", MSG_ARCHIVE, kind=kind)


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


def _reject_zip_polyglot(data: bytes, kind: str) -> None:
    # A ZIP is found from its end, so a ZIP appended to a PDF or an image still opens as one.
    if zipfile.is_zipfile(io.BytesIO(data)):
        raise _error("polyglot", MSG_POLYGLOT, kind=FORMATS[kind].label, other=POLYGLOT_ZIP)


def _reject_program_after(data: bytes, ends: Iterable[int | None], kind: str) -> None:
    """Refuse a program or archive placed right after where the PDF or image ends."""
    for end in ends:
        if end is not None and _starts_like_program_or_archive(data[end:].lstrip(b"\0\t\r\n ")):
            raise _error("polyglot", MSG_POLYGLOT, kind=FORMATS[kind].label, other=POLYGLOT_PROGRAM)


# ---------------------------------------------------------------------------------------------
# PDF


def _inspect_pdf(data: bytes, found: str) -> tuple[int | None, None]:
    _reject_zip_polyglot(data, found)
    # Every revision of a PDF ends with %%EOF; check after each one, not only the last.
    ends = [match.end() for match in re.finditer(re.escape(PDF_END), data)]
    _reject_program_after(data, ends, found)
    if PDF_END not in data[-PDF_TAIL_BYTES:]:
        raise _error("damaged", MSG_PDF_TRUNCATED)
    if PDFINFO.exists():
        return _pdfinfo_pages(data), None
    return _count_pdf_pages(data), None


def _pdfinfo_pages(data: bytes) -> int | None:
    """Pages as poppler reads them; a PDF poppler cannot open would not open for citizens."""
    try:
        result = subprocess.run(  # noqa: S603 - fixed program, list arguments, data on stdin
            [str(PDFINFO), "-"], input=data, capture_output=True, timeout=PDFINFO_SECONDS
        )
    except (subprocess.TimeoutExpired, OSError) as error:
        raise _error("damaged", MSG_PDF_UNREADABLE) from error
    if result.returncode != 0:
        raise _error("damaged", MSG_PDF_UNREADABLE)
    match = re.search(rb"^Pages:\s+(\d+)", result.stdout, re.MULTILINE)
    return int(match.group(1)) if match else _count_pdf_pages(data)


def _count_pdf_pages(data: bytes) -> int | None:
    # Page objects outside compressed object streams; None rather than a wrong 0.
    count = len(re.findall(rb"/Type\s*/Page(?![A-Za-z])", data))
    return count or None


# ---------------------------------------------------------------------------------------------
# Images


def _inspect_image(data: bytes, found: str) -> tuple[int, bytes]:
    _reject_zip_polyglot(data, found)
    end = _png_end(data) if found == "png" else _jpeg_end(data)
    _reject_program_after(data, [end], found)
    return 1, _clean_image(data, "PNG" if found == "png" else "JPEG")


def _png_end(data: bytes) -> int | None:
    """Offset just after the IEND chunk."""
    position = len(PNG_MAGIC)
    while position + 12 <= len(data):
        length = int.from_bytes(data[position : position + 4], "big")
        chunk_type = data[position + 4 : position + 8]
        position += 12 + length  # length, type, data, CRC
        if chunk_type == b"IEND":
            return position
    return None


def _jpeg_end(data: bytes) -> int | None:
    """Offset just after the EOI marker, walking the segments (a thumbnail has its own EOI)."""
    position = 2
    while position + 4 <= len(data):
        if data[position] != 0xFF:
            return None
        marker = data[position + 1]
        if marker == 0xFF:  # fill byte
            position += 1
        elif marker == 0xD9:
            return position + 2
        elif 0xD0 <= marker <= 0xD7 or marker == 0x01:  # markers without a length
            position += 2
        else:
            position += 2 + int.from_bytes(data[position + 2 : position + 4], "big")
            if marker == 0xDA:  # start of scan: compressed data up to the next real marker
                position = _jpeg_scan_end(data, position)
    return None


def _jpeg_scan_end(data: bytes, position: int) -> int:
    while (position := data.find(b"\xff", position)) != -1 and position + 1 < len(data):
        following = data[position + 1]
        if following == 0xFF:
            position += 1
        elif following == 0x00 or 0xD0 <= following <= 0xD7:  # stuffed byte, restart marker
            position += 2
        else:
            return position
    return len(data)


def _clean_image(data: bytes, pil_format: str) -> bytes:
    """The image decoded in full and saved again: metadata gone, damage and bombs found."""
    with warnings.catch_warnings():
        warnings.simplefilter("error", Image.DecompressionBombWarning)
        try:
            with Image.open(io.BytesIO(data), formats=[pil_format]) as probe:
                _check_pixels(probe.size)
                probe.verify()
            # verify() leaves the image unusable: open it again to decode every pixel.
            with Image.open(io.BytesIO(data), formats=[pil_format]) as image:
                image.load()
                return _reencode(image, pil_format)
        except (Image.DecompressionBombError, Image.DecompressionBombWarning) as error:
            raise _image_bomb() from error
        except (OSError, SyntaxError, ValueError, EOFError) as error:
            raise _error("damaged", MSG_IMAGE_DAMAGED) from error


def _check_pixels(size: tuple[int, int]) -> None:
    width, height = size
    if width * height > MAX_IMAGE_PIXELS:
        raise _image_bomb()


def _image_bomb() -> ValidationError:
    return _error("decompression_bomb", MSG_IMAGE_BOMB, limit=MAX_IMAGE_PIXELS // 1_000_000)


def _reencode(image: Image.Image, pil_format: str) -> bytes:
    # Turn the pixels upright first: the Orientation tag goes with the rest of the EXIF.
    upright = ImageOps.exif_transpose(image)
    # Pillow writes ICC profiles and comments found in .info; keep only PNG transparency.
    kept = {"transparency"} if pil_format == "PNG" else set()
    upright.info = {key: value for key, value in upright.info.items() if key in kept}
    output = io.BytesIO()
    if pil_format == "JPEG":
        upright.save(output, format="JPEG", quality=JPEG_QUALITY)
    else:
        upright.save(output, format="PNG")
    return output.getvalue()


# ---------------------------------------------------------------------------------------------
# RTF


def _inspect_rtf(data: bytes, found: str) -> tuple[None, None]:
    _reject_zip_polyglot(data, found)
    lowered = data.lower()  # Word reads control words case-sensitively; be stricter than Word
    if b"\\objdata" in lowered or b"\\object" in lowered:
        raise _error("embedded_object", MSG_RTF_OBJECT)
    return None, None


# ---------------------------------------------------------------------------------------------
# OLE: Word and Excel 97–2003


def ole_format(paths: Iterable[Sequence[str]]) -> str | None:
    """The format (doc or xls) by the top-level streams of an OLE file; None for other OLE files."""
    for path in paths:
        if len(path) == 1 and path[0].lower() in OLE_FORMAT_STREAMS:
            return OLE_FORMAT_STREAMS[path[0].lower()]
    return None


def ole_macro_entry(paths: Iterable[Sequence[str]]) -> str | None:
    """The path of the first storage or stream that holds VBA macros, if any."""
    for path in paths:
        if any(part.lower() in OLE_MACRO_NAMES for part in path):
            return "/".join(path)
    return None


def _ole_paths(data: bytes) -> list[list[str]]:
    try:
        # BytesIO: olefile takes a short bytes value for a path on disk.
        with olefile.OleFileIO(io.BytesIO(data)) as ole:
            return ole.listdir(streams=True, storages=True)
    except Exception as error:  # olefile raises many types on hostile input
        raise _damaged_document("Office 97–2003") from error


def _ole_format(data: bytes) -> str:
    found = ole_format(_ole_paths(data))
    if found is None:
        kind = _("Office 97–2003 không phải Word hay Excel (ví dụ PowerPoint, bộ cài đặt MSI)")
        raise _error(
            "not_allowed_format", MSG_OTHER_DOCUMENT, kind=kind, allowed=ALLOWED_EXTENSIONS
        )
    return found


def _inspect_ole(data: bytes, found: str) -> tuple[None, None]:
    _reject_zip_polyglot(data, found)
    if ole_macro_entry(_ole_paths(data)) is not None:
        raise _error("macro", MSG_MACRO, extension=MACRO_FREE_EXTENSION[found])
    return None, None


# ---------------------------------------------------------------------------------------------
# ZIP-based: DOCX, XLSX, ODT, ODS


def _open_zip(data: bytes) -> zipfile.ZipFile:
    try:
        return zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, OSError, ValueError, EOFError) as error:
        raise _damaged_document() from error


def _zip_format(data: bytes) -> str:
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
            raise _error("archive", MSG_ZIP)
    raise _error("not_allowed_format", MSG_OTHER_DOCUMENT, kind=kind, allowed=ALLOWED_EXTENSIONS)


def _read_head(archive: zipfile.ZipFile, name: str, size: int = 256) -> bytes:
    try:
        with archive.open(name) as member:
            return member.read(size)  # decompresses only what it returns
    except (*ZIP_READ_ERRORS, RuntimeError):  # RuntimeError: encrypted
        return b""


def _inspect_ooxml(data: bytes, found: str) -> tuple[int | None, None]:
    parts = _checked_zip_parts(data, found, {CONTENT_TYPES, "docProps/app.xml"})
    content_types = parts.get(CONTENT_TYPES, b"").lower()
    if b"macroenabled" in content_types or b"vbaproject" in content_types:
        raise _error("macro", MSG_MACRO, extension=MACRO_FREE_EXTENSION[found])
    if b"activex" in content_types:
        raise _error("embedded_object", MSG_ACTIVEX, extension=MACRO_FREE_EXTENSION[found])
    if found == "docx":
        return _first_int(rb"<(?:\w+:)?Pages>\s*(\d+)\s*<", parts.get("docProps/app.xml")), None
    return None, None


def _inspect_odf(data: bytes, found: str) -> tuple[int | None, None]:
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
            raise _error("zip_bomb", MSG_TOO_MANY_MEMBERS, limit=MAX_ZIP_MEMBERS)
        _check_member_names(infos, found)
        return _read_members(archive, infos, len(data), wanted)


def _check_member_names(infos: list[zipfile.ZipInfo], found: str) -> None:
    seen: set[str] = set()
    for info in infos:
        name, lowered = info.filename, info.filename.lower()
        if _unsafe_member_name(name) or lowered in seen:  # two parts, two readings
            raise _error("unsafe_path", MSG_UNSAFE_PATH, name=name)
        seen.add(lowered)
        if info.flag_bits & 0x1:
            raise _error("encrypted", MSG_ENCRYPTED)
        if "vbaproject" in lowered or lowered.endswith("vbadata.xml"):
            raise _error("macro", MSG_MACRO, extension=_macro_free(found))
        if found in ("odt", "ods") and lowered.startswith(ODF_MACRO_FOLDERS):
            raise _error("macro", MSG_MACRO, extension=_macro_free(found))
        if "activex/" in lowered:
            raise _error("embedded_object", MSG_ACTIVEX, extension=_macro_free(found))
        if lowered.endswith(EMBEDDED_PROGRAM_SUFFIXES):
            raise _error("executable", MSG_EMBEDDED_PROGRAM, name=name)


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
            raise _damaged_document() from error
        if info.filename in wanted:
            kept[info.filename] = b"".join(chunks)
    return kept


def _check_expansion(name: str, size: int, compressed: int, total: int) -> None:
    if total > MAX_UNZIPPED_BYTES:
        raise _error("zip_bomb", MSG_UNZIPPED_TOO_LARGE, limit=_megabytes(MAX_UNZIPPED_BYTES))
    if size > RATIO_FREE_BYTES and size > MAX_RATIO * compressed:
        raise _error("zip_bomb", MSG_RATIO, name=name, ratio=MAX_RATIO)


def _damaged_document(kind: str = "Office/OpenDocument") -> ValidationError:
    return _error("damaged", MSG_DAMAGED, kind=kind, advice=REDO_DOCUMENT)


INSPECTORS = {
    "pdf": _inspect_pdf,
    "png": _inspect_image,
    "jpeg": _inspect_image,
    "rtf": _inspect_rtf,
    "doc": _inspect_ole,
    "xls": _inspect_ole,
    "docx": _inspect_ooxml,
    "xlsx": _inspect_ooxml,
    "odt": _inspect_odf,
    "ods": _inspect_odf,
}

"""The entry point: read the upload, detect its format from the bytes, check that the extension
agrees, then run the checks of that format."""

from dataclasses import dataclass
from typing import IO

from .filenames import canonical_filename, sanitise_filename, split_extension
from .formats import ALLOWED_EXTENSIONS, EXTENSION_FORMATS, FORMATS
from .images import inspect_image
from .messages import (
    MSG_EMPTY,
    MSG_MISMATCH,
    MSG_NO_EXTENSION,
    MSG_TOO_LARGE,
    MSG_UNKNOWN_CONTENT,
    megabytes,
    refusal,
)
from .office import detect_ole, inspect_ole, inspect_rtf
from .pdf import inspect_pdf
from .signatures import (
    JPEG_MAGIC,
    OLE_MAGIC,
    PDF_MAGIC,
    PNG_MAGIC,
    RTF_MAGIC,
    ZIP_MAGICS,
    reject_programs_and_archives,
)
from .zipped import detect_zip, inspect_odf, inspect_ooxml


@dataclass(frozen=True)
class Inspected:
    format: str
    content_type: str
    filename: str
    page_count: int | None
    content: bytes | None


def inspect_upload(file: IO[bytes], filename: str, max_bytes: int) -> Inspected:
    """What the uploaded file really is; raises ValidationError (in Vietnamese) to refuse it."""
    data = _read_upload(file, max_bytes)
    _check_size(data, max_bytes)
    clean_name = canonical_filename(sanitise_filename(filename))
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
        raise refusal("empty", MSG_EMPTY)
    if len(data) > max_bytes:
        raise refusal("too_large", MSG_TOO_LARGE, limit=megabytes(max_bytes))


def _check_extension(filename: str, found: str) -> None:
    extension = split_extension(filename)[1]
    declared = EXTENSION_FORMATS.get(extension)
    if declared is None:
        raise refusal(
            "not_allowed_format", MSG_NO_EXTENSION, filename=filename, allowed=ALLOWED_EXTENSIONS
        )
    if declared != found:
        spec = FORMATS[found]
        raise refusal(
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
    reject_programs_and_archives(data)
    if data.startswith(PDF_MAGIC):
        return "pdf"
    if data.startswith(PNG_MAGIC):
        return "png"
    if data.startswith(JPEG_MAGIC):
        return "jpeg"
    if data.startswith(RTF_MAGIC):
        return "rtf"
    if data.startswith(OLE_MAGIC):
        return detect_ole(data)
    if data.startswith(ZIP_MAGICS):
        return detect_zip(data)
    raise refusal("not_allowed_format", MSG_UNKNOWN_CONTENT, allowed=ALLOWED_EXTENSIONS)


INSPECTORS = {
    "pdf": inspect_pdf,
    "png": inspect_image,
    "jpeg": inspect_image,
    "rtf": inspect_rtf,
    "doc": inspect_ole,
    "xls": inspect_ole,
    "docx": inspect_ooxml,
    "xlsx": inspect_ooxml,
    "odt": inspect_odf,
    "ods": inspect_odf,
}

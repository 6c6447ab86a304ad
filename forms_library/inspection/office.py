"""Documents outside ZIP: Word and Excel 97–2003 (OLE) without macros, RTF without embedded
objects."""

import io
from collections.abc import Iterable, Sequence

import olefile
from django.utils.translation import gettext_lazy as _

from .formats import ALLOWED_EXTENSIONS, MACRO_FREE_EXTENSION
from .messages import MSG_MACRO, MSG_OTHER_DOCUMENT, MSG_RTF_OBJECT, damaged_document, refusal
from .signatures import reject_zip_polyglot

# OLE (Word/Excel 97–2003): storage and stream names that hold VBA macros.
OLE_MACRO_NAMES = frozenset(["macros", "_vba_project_cur", "vba", "_vba_project", "project"])
OLE_FORMAT_STREAMS = {"worddocument": "doc", "workbook": "xls", "book": "xls"}


def inspect_rtf(data: bytes, found: str) -> tuple[None, None]:
    reject_zip_polyglot(data, found)
    lowered = data.lower()  # Word reads control words case-sensitively; be stricter than Word
    if b"\\objdata" in lowered or b"\\object" in lowered:
        raise refusal("embedded_object", MSG_RTF_OBJECT)
    return None, None


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
        raise damaged_document("Office 97–2003") from error


def detect_ole(data: bytes) -> str:
    found = ole_format(_ole_paths(data))
    if found is None:
        kind = _("Office 97–2003 không phải Word hay Excel (ví dụ PowerPoint, bộ cài đặt MSI)")
        raise refusal(
            "not_allowed_format", MSG_OTHER_DOCUMENT, kind=kind, allowed=ALLOWED_EXTENSIONS
        )
    return found


def inspect_ole(data: bytes, found: str) -> tuple[None, None]:
    reject_zip_polyglot(data, found)
    if ole_macro_entry(_ole_paths(data)) is not None:
        raise refusal("macro", MSG_MACRO, extension=MACRO_FREE_EXTENSION[found])
    return None, None

"""The formats a form may come in: content type, the label an editor reads, the extensions."""

from dataclasses import dataclass

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _


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

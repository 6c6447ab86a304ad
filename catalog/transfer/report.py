"""What an import run reports: every problem with its row, column and reason, in Vietnamese with
English beside it, and the summary (created, updated, unchanged, rejected)."""

from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from .columns import COLUMNS_BY_KEY

# Messages: Vietnamese msgids, shown with their English translation beside them.
MISSING = _("Thiếu giá trị bắt buộc.")
BAD_LEVEL = _("Mức độ phải là số nguyên từ 1 đến 4 (nhận được “%(value)s”).")
BAD_TIER = _("Cấp thực hiện không hợp lệ: “%(value)s”. Dùng tỉnh, huyện, xã.")
BAD_STATUS = _("Tình trạng không hợp lệ: “%(value)s”. Dùng “đang hiệu lực” hoặc “đã bãi bỏ”.")
REPEATED_CODE = _("Mã thủ tục %(code)s lặp lại; đã có ở dòng %(first)s.")
UNKNOWN_FORM = _("Chưa có biểu mẫu mã “%(code)s” trong thư viện; dòng giấy tờ được giữ dạng chữ.")
UNKNOWN_COLUMN = _("Cột “%(header)s” không được nhận diện nên bị bỏ qua.")
MISSING_COLUMNS = _("Tệp thiếu cột bắt buộc: %(columns)s.")
NO_PROVINCE = _("Hệ thống có nhiều tỉnh: hãy chọn tỉnh bằng --province MÃ_TỈNH.")
TOO_LONG = _("Quá dài (%(length)s ký tự; tối đa %(limit)s).")
NOT_A_LIST = _("Phải là một danh sách.")
BAD_DATE = _("Ngày không hợp lệ: “%(value)s” (dùng dạng YYYY-MM-DD).")

BAD_CODE = _("Mã thủ tục không được chứa khoảng trắng hoặc các ký tự / ? #.")


def bilingual(message, **params) -> str:
    """The message in Vietnamese, then in English in brackets."""
    texts = []
    for language in ("vi", "en"):
        with translation.override(language):
            texts.append(str(message) % params if params else str(message))
    vi, en = texts
    return vi if vi == en else f"{vi} ({en})"


def bilingual_errors(error: ValidationError) -> list[str]:
    """A model's (lazy) validation messages, each in Vietnamese and English."""
    rendered = []
    for language in ("vi", "en"):
        with translation.override(language):
            rendered.append(list(error.messages))
    return [vi if vi == en else f"{vi} ({en})" for vi, en in zip(*rendered, strict=True)]


@dataclass
class Problem:
    row: int | None
    column: str | None
    message: str

    def __str__(self) -> str:
        where = []
        if self.row is not None:
            where.append(f"dòng/row {self.row}")
        if self.column:
            column = COLUMNS_BY_KEY.get(self.column)
            label = f"{column.header} / {column.key}" if column else self.column
            where.append(f"cột/column {label}")
        return f"{', '.join(where)}: {self.message}" if where else self.message


@dataclass
class ImportReport:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    rejected: int = 0
    errors: list[Problem] = field(default_factory=list)
    warnings: list[Problem] = field(default_factory=list)
    new_agencies: list[str] = field(default_factory=list)
    new_fields: list[str] = field(default_factory=list)
    written: bool = False

    def error(self, row, column, message, **params) -> None:
        self.errors.append(Problem(row, column, bilingual(message, **params)))

    def warn(self, row, column, message, **params) -> None:
        self.warnings.append(Problem(row, column, bilingual(message, **params)))

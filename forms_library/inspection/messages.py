"""The editor-facing refusals of the upload checks, in Vietnamese: each says what is wrong and
what the editor can do about it."""

from typing import Any

from django.core.exceptions import ValidationError
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

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


def refusal(code: str, message: Promise | str, **params: Any) -> ValidationError:
    return ValidationError(message, code=code, params=params)


def megabytes(size: int) -> str:
    """20971520 → "20", 2621440 → "2,5" (Vietnamese decimal comma)."""
    return f"{size / (1024 * 1024):.1f}".removesuffix(".0").replace(".", ",")


def damaged_document(kind: str = "Office/OpenDocument") -> ValidationError:
    return refusal("damaged", MSG_DAMAGED, kind=kind, advice=REDO_DOCUMENT)

"""Online public service levels: Decree 43/2011 (1-4) beside the Decree 42/2022 vocabulary."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Level(models.IntegerChoices):
    INFORMATION = 1, _("Mức độ 1")
    FORMS = 2, _("Mức độ 2")
    PARTIAL = 3, _("Mức độ 3")
    FULL = 4, _("Mức độ 4")


# What each level lets a citizen do online (seeds/003, quoting Decree 43/2011 Art. 3): the
# caption beside the level badge of a procedure page.
LEVEL_DESCRIPTIONS = {
    1: _("Cung cấp đầy đủ thông tin về thủ tục hành chính và văn bản liên quan."),
    2: _("Mức độ 1, và cho phép tải về các mẫu đơn, hồ sơ để hoàn thiện và nộp trực tiếp."),
    3: _("Mức độ 2, và cho phép điền, gửi hồ sơ trực tuyến; hồ sơ được xử lý trên mạng."),
    4: _("Mức độ 3, và thanh toán lệ phí, nhận kết quả trực tuyến hoặc qua bưu chính."),
}

# Decree 42/2022 vocabulary: levels 1-2 are "information only", 3 is "partial", 4 is "full-process".
LEVEL_2022_LABELS = {
    1: _("Thông tin trực tuyến"),
    2: _("Thông tin trực tuyến"),
    3: _("Dịch vụ công trực tuyến một phần"),
    4: _("Dịch vụ công trực tuyến toàn trình"),
}

ONLINE_SUBMISSION_LEVEL = 3


def level_label(level: int) -> str:
    """The label citizens see: the 2011 level with the 2022 name beside it."""
    return f"{Level(level).label} · {LEVEL_2022_LABELS[level]}"


def needs_submission_url(level: int | None) -> bool:
    return bool(level and level >= ONLINE_SUBMISSION_LEVEL)

"""Structured parts of the national procedure record, as blocks rather than one rich-text blob."""

from django.utils.translation import gettext_lazy as _
from wagtail import blocks
from wagtail.documents.blocks import DocumentChooserBlock


class ChannelChoices:
    IN_PERSON = "in_person"
    ONLINE = "online"
    POST = "post"
    CHOICES = [
        (IN_PERSON, _("Trực tiếp")),
        (ONLINE, _("Trực tuyến")),
        (POST, _("Dịch vụ bưu chính")),
    ]


CHANNEL_LABELS = dict(ChannelChoices.CHOICES)


class StepBlock(blocks.StructBlock):
    title = blocks.CharBlock(label=_("Tên bước"), required=False, max_length=255)
    description = blocks.TextBlock(label=_("Nội dung"))

    class Meta:
        icon = "list-ol"
        label = _("Bước")


class ChannelBlock(blocks.StructBlock):
    channel = blocks.ChoiceBlock(choices=ChannelChoices.CHOICES, label=_("Hình thức nộp"))
    processing_time = blocks.CharBlock(label=_("Thời hạn giải quyết"), required=False)
    fee = blocks.CharBlock(label=_("Phí, lệ phí"), required=False)
    description = blocks.TextBlock(label=_("Mô tả"), required=False)

    class Meta:
        icon = "site"
        label = _("Cách thức thực hiện")


class DocumentItemBlock(blocks.StructBlock):
    name = blocks.TextBlock(label=_("Tên giấy tờ"))
    originals = blocks.IntegerBlock(label=_("Số bản chính"), required=False, min_value=0)
    copies = blocks.IntegerBlock(label=_("Số bản sao"), required=False, min_value=0)
    form = DocumentChooserBlock(label=_("Biểu mẫu"), required=False)
    form_code = blocks.CharBlock(
        label=_("Mã biểu mẫu được nêu"),
        required=False,
        help_text=_("Mã mẫu đơn mà quyết định công bố nêu, kể cả khi chưa có tệp trong thư viện."),
    )

    class Meta:
        icon = "doc-full"
        label = _("Giấy tờ")


class DocumentCaseBlock(blocks.StructBlock):
    case = blocks.CharBlock(
        label=_("Trường hợp"),
        required=False,
        help_text=_("Để trống nếu mọi trường hợp đều cần cùng bộ hồ sơ."),
    )
    documents = blocks.ListBlock(DocumentItemBlock(), label=_("Giấy tờ"))

    class Meta:
        icon = "folder-open-inverse"
        label = _("Bộ hồ sơ")


class LegalDocumentBlock(blocks.StructBlock):
    number = blocks.CharBlock(label=_("Số ký hiệu"), max_length=100)
    summary = blocks.TextBlock(label=_("Trích yếu"), required=False)
    date = blocks.DateBlock(label=_("Ngày ban hành"), required=False)
    issuer = blocks.CharBlock(label=_("Cơ quan ban hành"), required=False)
    url = blocks.URLBlock(label=_("Liên kết"), required=False)

    class Meta:
        icon = "doc-full-inverse"
        label = _("Văn bản")

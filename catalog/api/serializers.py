"""The declaration of a procedure's public record: every key catalog.records.procedure_record()
returns, with its type and meaning (Vietnamese / English).

procedure_record() stays the one builder (the feed, the search index and the exports share it, and
it is fast); these serializers are its declaration. drf-spectacular reads them for the OpenAPI
schema, and tests/api/test_record_declaration.py holds every record to them. The feed's responses
are the builder's dictionaries as they are: ProcedureSerializer.to_representation() returns the
record, so a page of 500 pays nothing per field.
"""

from drf_spectacular.utils import OpenApiExample, extend_schema_serializer
from rest_framework import serializers

from forms_library.serializers import FormRecordSerializer

from ..blocks import ChannelChoices
from ..models import RoadmapTarget, Status, Tier
from ..records import procedure_record
from .examples import PROCEDURE_EXAMPLE

CODE = "Mã / code"
NAME = "Tên / name"


class RefSerializer(serializers.Serializer):
    """A province, agency, field or life event, by code and name."""

    code = serializers.CharField(help_text=CODE)
    name = serializers.CharField(help_text=NAME)


class StepSerializer(serializers.Serializer):
    number = serializers.IntegerField(min_value=1, help_text="Bước số / step number, from 1")
    title = serializers.CharField(allow_blank=True, help_text="Tên bước / step title")
    description = serializers.CharField(allow_blank=True, help_text="Nội dung / what to do")


class ChannelSerializer(serializers.Serializer):
    channel = serializers.ChoiceField(
        choices=[value for value, _ in ChannelChoices.CHOICES],
        help_text="Hình thức nộp / channel: in_person, online, post",
    )
    channel_label = serializers.CharField(help_text="Tên hình thức / channel name")
    processing_time = serializers.CharField(
        allow_blank=True, help_text="Thời hạn giải quyết qua hình thức này / processing time"
    )
    fee = serializers.CharField(allow_blank=True, help_text="Phí, lệ phí / fee by this channel")
    description = serializers.CharField(allow_blank=True, help_text="Mô tả / description")


class RequiredDocumentSerializer(serializers.Serializer):
    name = serializers.CharField(help_text="Tên giấy tờ / document")
    originals = serializers.IntegerField(
        allow_null=True, min_value=0, help_text="Số bản chính / originals"
    )
    copies = serializers.IntegerField(allow_null=True, min_value=0, help_text="Số bản sao / copies")
    form_code = serializers.CharField(allow_blank=True, help_text="Số hiệu mẫu đơn / form code")
    form = FormRecordSerializer(
        allow_null=True,
        help_text="Tệp mẫu trong thư viện, nếu có / the library's form file, when attached",
    )


class DocumentCaseSerializer(serializers.Serializer):
    case = serializers.CharField(
        allow_blank=True, help_text="Trường hợp áp dụng (trống: mọi trường hợp) / case, or all"
    )
    documents = RequiredDocumentSerializer(many=True, help_text="Giấy tờ / documents")


class LegalDocumentSerializer(serializers.Serializer):
    number = serializers.CharField(help_text="Số ký hiệu / document number")
    summary = serializers.CharField(allow_blank=True, help_text="Trích yếu / summary")
    date = serializers.DateField(allow_null=True, help_text="Ngày ban hành / date issued")
    issuer = serializers.CharField(allow_blank=True, help_text="Cơ quan ban hành / issuer")
    url = serializers.URLField(allow_null=True, help_text="Liên kết / link")


class RoadmapTargetSerializer(serializers.Serializer):
    target_level = serializers.IntegerField(
        min_value=1, max_value=4, help_text="Mức độ mục tiêu / target level"
    )
    due_year = serializers.IntegerField(allow_null=True, help_text="Năm hoàn thành / due year")
    due_date = serializers.DateField(allow_null=True, help_text="Hạn hoàn thành / due date")
    source_decision = serializers.CharField(
        allow_blank=True, help_text="Quyết định giao chỉ tiêu / decision setting the target"
    )
    status = serializers.ChoiceField(
        choices=[RoadmapTarget.MET, RoadmapTarget.DUE, RoadmapTarget.MISSED],
        help_text="Đã đạt, chưa đến hạn, quá hạn / met, due, missed",
    )


def _text(help_text: str) -> serializers.CharField:
    """A text of the record: an empty string when the editor left it empty."""
    return serializers.CharField(allow_blank=True, help_text=help_text)


def _texts(help_text: str) -> serializers.ListField:
    return serializers.ListField(child=serializers.CharField(), help_text=help_text)


@extend_schema_serializer(
    examples=[OpenApiExample("Đăng ký tạm trú", value=PROCEDURE_EXAMPLE, response_only=True)]
)
class ProcedureSerializer(serializers.Serializer):
    """The full public record of a procedure, as procedure_record() builds it."""

    code = serializers.CharField(help_text="Mã thủ tục / procedure code")
    title = serializers.CharField(help_text="Tên đầy đủ của thủ tục / full official title")
    province = RefSerializer(help_text="Tỉnh / province")
    url = serializers.URLField(help_text="Địa chỉ trang thủ tục / absolute page URL")
    agency = RefSerializer(help_text="Cơ quan thực hiện / lead agency")
    co_agencies = RefSerializer(many=True, help_text="Cơ quan phối hợp / co-handling agencies")
    field = RefSerializer(allow_null=True, help_text="Lĩnh vực / field")
    tiers = serializers.ListField(
        child=serializers.ChoiceField(choices=Tier.values),
        help_text="Cấp thực hiện / tiers: province, district, commune",
    )
    procedure_type = _text("Loại thủ tục / procedure type")
    level = serializers.IntegerField(
        min_value=1, max_value=4, help_text="Mức độ DVCTT (NĐ 43/2011) / online service level"
    )
    level_label = serializers.CharField(
        help_text="Mức độ với tên theo NĐ 42/2022 / level with its 2022 name"
    )
    level_2022_label = serializers.CharField(help_text="Tên theo NĐ 42/2022 / the 2022 name")
    submission_url = serializers.URLField(
        allow_null=True, help_text="Địa chỉ nộp trực tuyến (mức độ 3, 4) / online submission URL"
    )
    start_button_text = _text("Nhãn nút bắt đầu / start button text")
    continues_on = _text("Hệ thống tiếp nhận / the system the citizen continues on")
    other_ways = _text("Cách nộp khác / other ways to apply")
    online_payment = serializers.BooleanField(help_text="Thanh toán trực tuyến / online payment")
    downtime_notice = _text("Thông báo gián đoạn / downtime notice")
    processing_time = _text("Thời hạn giải quyết / processing time")
    fee = _text("Phí, lệ phí / fees")
    subjects = _texts("Đối tượng thực hiện / subjects")
    steps = StepSerializer(many=True, help_text="Trình tự thực hiện / steps")
    channels = ChannelSerializer(many=True, help_text="Cách thức thực hiện / channels")
    documents = DocumentCaseSerializer(
        many=True, help_text="Thành phần hồ sơ theo trường hợp / required documents by case"
    )
    forms = FormRecordSerializer(
        many=True, help_text="Mọi tệp mẫu mà hồ sơ dẫn tới / every form file the documents link"
    )
    competent_agency = _text("Cơ quan có thẩm quyền / competent agency")
    authorised_agency = _text("Cơ quan được ủy quyền / authorised agency")
    receiving_address = _text("Địa chỉ tiếp nhận hồ sơ / where the dossier is received")
    result = _text("Kết quả thực hiện / result")
    legal_basis = LegalDocumentSerializer(many=True, help_text="Căn cứ pháp lý / legal basis")
    requirements = _text("Yêu cầu, điều kiện / requirements")
    decision = _text("Quyết định công bố / announcing decision")
    keywords = _texts("Từ khóa, tên thường gọi / keywords, popular names")
    description = _text("Mô tả (HTML) / description (HTML)")
    life_events = RefSerializer(many=True, help_text="Sự kiện đời sống / life events")
    related_procedures = _texts("Mã các thủ tục liên quan / codes of related procedures")
    roadmap = RoadmapTargetSerializer(many=True, help_text="Lộ trình / roadmap targets")
    status = serializers.ChoiceField(
        choices=Status.values, help_text="Tình trạng / status: active, abolished"
    )
    abolished_on = serializers.DateField(allow_null=True, help_text="Ngày bãi bỏ / abolished on")
    abolishing_decision = _text("Quyết định bãi bỏ / abolishing decision")
    successor = serializers.CharField(
        allow_null=True, help_text="Mã thủ tục thay thế / code of the successor"
    )
    is_sample_content = serializers.BooleanField(
        help_text="Trang có nội dung minh họa / page with sample content"
    )
    last_published_at = serializers.DateTimeField(
        allow_null=True, help_text="Lần xuất bản gần nhất / last published at"
    )

    def to_representation(self, instance) -> dict:
        return procedure_record(instance, request=self.context.get("request"))


class ProvincesOfCodeSerializer(serializers.Serializer):
    """300 Multiple Choices: the code is used in several provinces."""

    detail = serializers.CharField(help_text="Thông báo / message")
    provinces = _texts("Các tỉnh có mã này / provinces using the code")

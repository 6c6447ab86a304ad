"""The declaration of a form's public record (forms_library.records): its keys, their types and
meanings, for the OpenAPI schema and for the tests that hold form_record() to it. The records are
still built by form_record() and version_record(); these serializers only describe them."""

from rest_framework import serializers

from .models import Language


class FileFactsSerializer(serializers.Serializer):
    """What a form and each of its earlier files share (the models' FileFacts)."""

    version = serializers.CharField(allow_blank=True, help_text="Phiên bản / version")
    effective_date = serializers.DateField(
        allow_null=True, help_text="Ngày có hiệu lực / effective date"
    )
    file_url = serializers.URLField(help_text="Địa chỉ tải tệp / download URL")
    format = serializers.CharField(help_text="Định dạng tệp: pdf, docx… / file format")
    size_bytes = serializers.IntegerField(
        allow_null=True, help_text="Dung lượng (byte) / size in bytes"
    )
    sha256 = serializers.CharField(
        allow_blank=True, help_text="Mã băm SHA-256 của tệp / SHA-256 of the file"
    )


class FormRecordSerializer(FileFactsSerializer):
    """A form file: what a citizen needs to know before downloading it."""

    id = serializers.IntegerField(help_text="Mã số của mẫu trong thư viện / library id")
    code = serializers.CharField(
        allow_blank=True, help_text="Số hiệu mẫu, ví dụ CT01 / form code, e.g. CT01"
    )
    title = serializers.CharField(help_text="Tên mẫu / form title")
    filename = serializers.CharField(help_text="Tên tệp khi tải về / file name when saved")
    page_count = serializers.IntegerField(
        allow_null=True, help_text="Số trang (PDF) / number of pages (PDF)"
    )
    legal_document = serializers.CharField(
        allow_blank=True,
        help_text="Văn bản ban hành mẫu / legal document issuing the form",
    )
    language = serializers.ChoiceField(
        choices=Language.choices, help_text="Ngôn ngữ của mẫu / language of the form"
    )
    is_sample = serializers.BooleanField(
        help_text="Mẫu minh họa, không phải mẫu chính thức / sample, not the official form"
    )
    preview_url = serializers.URLField(
        allow_null=True, help_text="Ảnh xem trước trang đầu / preview image of the first page"
    )
    page_url = serializers.URLField(help_text="Trang của mẫu trên cổng / the form's page")


class FormVersionSerializer(FileFactsSerializer):
    """An earlier file of a form, kept when the form was replaced."""

    replaced_at = serializers.DateTimeField(help_text="Thời điểm bị thay thế / replaced at")
    title = serializers.CharField(help_text="Tên mẫu khi đó / title at the time")

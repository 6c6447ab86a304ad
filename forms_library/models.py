"""The forms library: a Wagtail document model for the forms (mẫu đơn, tờ khai) procedures cite,
the earlier versions of each form, and daily download counts."""

import hashlib

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import IntegrityError, models, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import get_language, pgettext_lazy
from django.utils.translation import gettext_lazy as _
from wagtail.documents.models import AbstractDocument

from cms.text import fold, normalise_text

from .downloads import attachment_header, content_type_of
from .inspection import Inspected, inspect_upload
from .previews import render_preview


class Language(models.TextChoices):
    VIETNAMESE = "vi", _("Tiếng Việt")
    ENGLISH = "en", _("Tiếng Anh")
    BILINGUAL = "vi-en", _("Song ngữ Việt – Anh")
    OTHER = "other", _("Ngôn ngữ khác")


class FileFacts(models.Model):
    """What a stored form file is: the facts a citizen sees before downloading it."""

    original_filename = models.CharField(
        _("tên tệp khi tải về"), max_length=255, blank=True, editable=False
    )
    file_format = models.CharField(_("định dạng"), max_length=10, blank=True, editable=False)
    sha256 = models.CharField(_("SHA-256"), max_length=64, blank=True, editable=False)
    page_count = models.PositiveIntegerField(_("số trang"), null=True, blank=True, editable=False)
    version = models.CharField(
        _("phiên bản"), max_length=30, blank=True, help_text=_('Ví dụ "2" hoặc "2024".')
    )
    effective_date = models.DateField(_("ngày có hiệu lực"), null=True, blank=True)
    legal_document = models.CharField(
        _("văn bản ban hành mẫu"),
        max_length=255,
        blank=True,
        help_text=_('Ví dụ "Thông tư 66/2023/TT-BCA".'),
    )

    class Meta:
        abstract = True


class FormDocument(FileFacts, AbstractDocument):
    """A downloadable form. Procedures cite it by its code (for example "Mẫu số 01").

    Uploading a new file replaces the form on every procedure that cites it; the file it
    replaces is kept as a FormVersion, still downloadable from the form's history."""

    code = models.CharField(
        _("mã biểu mẫu"),
        max_length=100,
        blank=True,
        db_index=True,
        help_text=_('Ví dụ "Mẫu số 01" hoặc "TK1-TS".'),
    )
    title_en = models.CharField(_("tên tiếng Anh"), max_length=255, blank=True)
    language = models.CharField(
        _("ngôn ngữ của mẫu"), max_length=10, choices=Language.choices, default=Language.VIETNAMESE
    )
    is_sample = models.BooleanField(
        _("mẫu minh họa"),
        default=False,
        help_text=_("Đánh dấu tệp dùng để trình diễn, không phải biểu mẫu chính thức."),
    )
    preview = models.FileField(
        _("ảnh xem trước"), upload_to="form_previews", blank=True, editable=False
    )
    folded_text = models.TextField(blank=True, editable=False)
    updated_at = models.DateTimeField(_("cập nhật lúc"), auto_now=True)

    admin_form_fields = (
        "code",
        "title",
        "title_en",
        "file",
        "version",
        "effective_date",
        "legal_document",
        "language",
        "is_sample",
        "collection",
        "tags",
    )

    class Meta(AbstractDocument.Meta):
        verbose_name = _("biểu mẫu")
        verbose_name_plural = pgettext_lazy("plural", "biểu mẫu")

    def __str__(self) -> str:
        return f"{self.code} – {self.title}" if self.code else self.title

    def save(self, *args, **kwargs):
        update_fields = kwargs.get("update_fields")
        if update_fields is not None and "file" not in update_fields:
            return super().save(*args, **kwargs)  # e.g. Wagtail filling in a missing size
        self.code, self.title = normalise_text(self.code), normalise_text(self.title)
        self.folded_text = fold(" ".join([self.code, self.title, self.title_en]))
        replaced = self._replaced_file()
        if self.file and (replaced is not None or not self.sha256):
            self._describe_file(getattr(self, "_inspected", None))
        with transaction.atomic():
            super().save(*args, **kwargs)
            if replaced is not None and replaced.file:
                FormVersion.objects.create(form=self, **_facts(replaced))
                if replaced.preview and replaced.preview.name != self.preview.name:
                    old = replaced.preview
                    transaction.on_commit(lambda: old.storage.delete(old.name))

    @property
    def format(self) -> str:
        return self.file_format or self.file_extension.lower()

    @property
    def localised_title(self) -> str:
        return self.title_en if get_language() == "en" and self.title_en else self.title

    @property
    def download_name(self) -> str:
        """The name the browser saves: the editor's own file name, Vietnamese kept."""
        return self.original_filename or self.filename

    @property
    def content_type(self) -> str:
        """What Wagtail's serve view sends: the checked format's type, not a guess from the name."""
        return content_type_of(self.file_format)

    @property
    def content_disposition(self) -> str:
        """Always a download (Wagtail would show a PDF inline), under the Vietnamese name."""
        return attachment_header(self.download_name)

    def _replaced_file(self) -> "FormDocument | None":
        """The stored row, when this save puts a different file in place of its file."""
        if not self.pk:
            return None
        stored = FormDocument.objects.filter(pk=self.pk).first()
        return stored if stored and stored.file.name != self.file.name else None

    def _describe_file(self, inspected: Inspected | None) -> None:
        """Checks a file that came in by another way than the admin form (load_demo, a shell)
        and records its facts; images are stored re-encoded, without their metadata."""
        if inspected is None:
            name = self.original_filename or self.file.name.rsplit("/", 1)[-1]
            inspected = inspect_upload(self.file, name, settings.FORMS_MAX_UPLOAD_BYTES)
            if inspected.content is not None:
                self.file = ContentFile(inspected.content, name=inspected.filename)
        self.original_filename = inspected.filename
        self.file_format = inspected.format
        self.page_count = inspected.page_count
        self.sha256, data = file_sha256(self.file)
        self._set_document_file_metadata()  # Wagtail's size and SHA-1 (its download ETag)
        self.preview = _preview_file(data, inspected)
        self._inspected = None


def _preview_file(data: bytes, inspected: Inspected) -> ContentFile | str:
    image = render_preview(data, inspected.format)
    if image is None:
        return ""
    stem = inspected.filename.rsplit(".", 1)[0]
    return ContentFile(image, name=f"{stem}.png")


def _facts(form: FormDocument) -> dict:
    names = [f.name for f in FileFacts._meta.get_fields()]
    return {
        **{name: getattr(form, name) for name in names},
        "file": form.file.name,
        "file_size": form.file_size,
        "title": form.title,
    }


class FormVersion(FileFacts):
    """An earlier file of a form, replaced by a newer version and kept for the record."""

    form = models.ForeignKey(FormDocument, on_delete=models.CASCADE, related_name="versions")
    title = models.CharField(_("tên biểu mẫu khi đó"), max_length=255)
    file = models.FileField(_("tệp"), upload_to="documents", max_length=255)
    file_size = models.PositiveIntegerField(_("dung lượng"), null=True, editable=False)
    replaced_at = models.DateTimeField(_("thay thế lúc"), default=timezone.now, editable=False)

    class Meta:
        ordering = ["-replaced_at", "-pk"]
        verbose_name = _("phiên bản cũ của biểu mẫu")
        verbose_name_plural = _("phiên bản cũ của biểu mẫu")

    def __str__(self) -> str:
        return f"{self.form} ({self.version or self.replaced_at:%d/%m/%Y})"

    @property
    def format(self) -> str:
        return self.file_format

    @property
    def download_name(self) -> str:
        return self.original_filename or self.file.name.rsplit("/", 1)[-1]


class FormDownloadDay(models.Model):
    """How many times a form was downloaded on one day (the file itself, or inside a ZIP)."""

    form = models.ForeignKey(FormDocument, on_delete=models.CASCADE, related_name="download_days")
    day = models.DateField(_("ngày"))
    count = models.PositiveIntegerField(_("lượt tải"), default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["form", "day"], name="one_count_a_day")]
        verbose_name = _("lượt tải biểu mẫu trong ngày")
        verbose_name_plural = _("lượt tải biểu mẫu theo ngày")

    def __str__(self) -> str:
        return f"{self.form_id} {self.day}: {self.count}"


def count_download(form_ids: list[int]) -> None:
    """One more download today for each of these forms: an UPDATE, or an INSERT on the first
    download of the day (a concurrent first download retries as an UPDATE)."""
    today = timezone.localdate()
    for form_id in form_ids:
        row = FormDownloadDay.objects.filter(form_id=form_id, day=today)
        if row.update(count=F("count") + 1):
            continue
        try:
            with transaction.atomic():
                FormDownloadDay.objects.create(form_id=form_id, day=today, count=1)
        except IntegrityError:
            row.update(count=F("count") + 1)


def file_sha256(field_file) -> tuple[str, bytes]:
    """SHA-256 of a stored or uploaded file, with its bytes (forms are bounded by the upload
    limit, so reading one whole is fine)."""
    field_file.open("rb")
    field_file.seek(0)
    data = field_file.read()
    field_file.seek(0)
    return hashlib.sha256(data).hexdigest(), data

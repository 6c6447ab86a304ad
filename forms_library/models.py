"""The forms library: a Wagtail document model for the forms (mẫu đơn, tờ khai) procedures cite."""

import hashlib

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from wagtail.documents.models import AbstractDocument, Document


class FormDocument(AbstractDocument):
    """A downloadable form. Procedures cite it by its code (for example "Mẫu số 01")."""

    code = models.CharField(
        _("mã biểu mẫu"),
        max_length=100,
        blank=True,
        db_index=True,
        help_text=_('Ví dụ "Mẫu số 01" hoặc "TK1-TS".'),
    )
    sha256 = models.CharField(_("SHA-256"), max_length=64, blank=True, editable=False)
    is_sample = models.BooleanField(
        _("mẫu minh họa"),
        default=False,
        help_text=_("Đánh dấu tệp dùng để trình diễn, không phải biểu mẫu chính thức."),
    )

    admin_form_fields = Document.admin_form_fields + ("code", "is_sample")

    class Meta(AbstractDocument.Meta):
        verbose_name = _("biểu mẫu")
        verbose_name_plural = pgettext_lazy("plural", "biểu mẫu")

    def __str__(self) -> str:
        return f"{self.code} – {self.title}" if self.code else self.title

    @property
    def format(self) -> str:
        return self.file_extension.lower()

    def save(self, *args, **kwargs):
        if self.file and (not self.sha256 or self._file_changed()):
            self.sha256 = file_sha256(self.file)
        super().save(*args, **kwargs)

    def _file_changed(self) -> bool:
        if not self.pk:
            return True
        stored = FormDocument.objects.filter(pk=self.pk).values_list("file", flat=True).first()
        return stored != self.file.name


def file_sha256(field_file) -> str:
    """SHA-256 of a stored or uploaded file, read in chunks."""
    digest = hashlib.sha256()
    field_file.open("rb")
    field_file.seek(0)
    for chunk in field_file.chunks():
        digest.update(chunk)
    field_file.seek(0)
    return digest.hexdigest()

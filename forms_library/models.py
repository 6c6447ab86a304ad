"""The forms library: a Wagtail document model for the forms (mẫu đơn, tờ khai) procedures cite."""

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

"""The admin's document form for the forms library (WAGTAILDOCS_DOCUMENT_FORM_BASE): every upload,
from the edit page, the multiple uploader or a chooser, is checked by its content."""

from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile, UploadedFile
from wagtail.documents.forms import BaseDocumentForm

from .inspection import inspect_upload
from .models import Language


class FormDocumentForm(BaseDocumentForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if "language" in self.fields:
            # Wagtail's multiple uploader posts only a file and a title: Vietnamese by default.
            self.fields["language"].required = False

    def clean_language(self):
        return self.cleaned_data.get("language") or Language.VIETNAMESE

    def clean_file(self):
        uploaded = self.cleaned_data.get("file")
        if not isinstance(uploaded, UploadedFile):
            return uploaded  # no new file in this submission
        inspected = inspect_upload(uploaded, uploaded.name, settings.FORMS_MAX_UPLOAD_BYTES)
        if inspected.content is not None:  # an image, re-encoded without its metadata
            uploaded = SimpleUploadedFile(
                inspected.filename, inspected.content, inspected.content_type
            )
        uploaded.name = inspected.filename
        self.instance._inspected = inspected
        return uploaded

    def save(self, commit=True):
        # Wagtail deletes the replaced file here; the forms library keeps it as the form's
        # previous version (FormDocument.save), so citizens can still download it.
        self.original_file = None
        return super().save(commit=commit)

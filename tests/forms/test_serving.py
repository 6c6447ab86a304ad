"""Forms are served by Wagtail's document view (its hooks, its document_served signal, the
model's content type and disposition), under both serve methods a deployment may choose."""

from urllib.parse import quote

import pytest
from django.core.files.base import ContentFile
from django.urls import reverse
from django.utils import timezone
from wagtail.models import Collection, CollectionViewRestriction

from forms_library.models import FormDownloadDay
from tests.factories import FormDocumentFactory, ProcedureFactory, citing, pdf_bytes

pytestmark = pytest.mark.django_db


@pytest.fixture
def serve_view(settings):
    settings.WAGTAILDOCS_SERVE_METHOD = "serve_view"


@pytest.fixture
def redirect(settings):
    settings.WAGTAILDOCS_SERVE_METHOD = "redirect"


def downloads(form) -> int:
    row = FormDownloadDay.objects.filter(form=form, day=timezone.localdate()).first()
    return row.count if row else 0


def restricted_form():
    private = Collection.get_first_root_node().add_child(name="Nội bộ")
    CollectionViewRestriction.objects.create(
        collection=private, restriction_type=CollectionViewRestriction.LOGIN
    )
    return FormDocumentFactory(collection=private)


@pytest.mark.usefixtures("serve_view")
class TestServeView:
    def test_every_header_of_a_public_form(self, client):
        form = FormDocumentFactory(file=ContentFile(pdf_bytes(), name="Tờ khai đăng ký.pdf"))
        response = client.get(form.url)
        assert response.status_code == 200
        assert response["Content-Type"] == "application/pdf"
        # A PDF too is a download (Wagtail's default shows it inline), under its Vietnamese name.
        assert response["Content-Disposition"] == (
            'attachment; filename="To khai dang ky.pdf"; '
            f"filename*=UTF-8''{quote('Tờ khai đăng ký.pdf')}"
        )
        assert response["Content-Length"] == str(form.file.size)
        assert response["ETag"] == f'"{form.sha256}"'
        assert response["Cache-Control"] == "public, max-age=3600"
        assert response["X-Content-Type-Options"] == "nosniff"
        assert response["Content-Security-Policy"] == "default-src 'none'"
        assert not response.has_header("Last-Modified")
        assert not response.has_header("Content-Encoding")
        assert b"".join(response.streaming_content) == form.file.open("rb").read()
        assert downloads(form) == 1

    def test_the_model_gives_wagtail_the_checked_format_and_a_download(self):
        form = FormDocumentFactory()
        assert form.content_type == "application/pdf"
        assert form.content_disposition.startswith('attachment; filename="To khai.pdf"')

    def test_a_head_request_is_not_a_download(self, client):
        form = FormDocumentFactory()
        assert client.head(form.url).status_code == 200
        assert downloads(form) == 0

    def test_a_visitor_who_may_not_see_a_restricted_form_learns_nothing_of_its_checksum(
        self, client
    ):
        form = restricted_form()
        response = client.get(form.url, headers={"if-none-match": f'"{form.sha256}"'})
        assert response.status_code == 302  # to the login page, not 304
        assert "login" in response["Location"]
        assert downloads(form) == 0

    def test_a_wrong_file_name_is_not_found(self, client):
        form = FormDocumentFactory()
        assert client.get(f"/documents/{form.pk}/other.pdf").status_code == 404
        assert downloads(form) == 0


@pytest.mark.usefixtures("redirect")
class TestRedirect:
    def test_a_public_form_redirects_to_the_storage_url_and_counts(self, client):
        form = FormDocumentFactory()
        response = client.get(form.url)
        assert response.status_code == 302
        assert response["Location"] == form.file.url
        assert response["Location"].startswith("/media/documents/")
        assert downloads(form) == 1

    def test_a_browser_that_has_the_file_gets_304_and_is_not_counted(self, client):
        form = FormDocumentFactory()
        response = client.get(form.url, headers={"if-none-match": f'"{form.sha256}"'})
        assert response.status_code == 304
        assert response["ETag"] == f'"{form.sha256}"'
        assert downloads(form) == 0

    def test_a_restricted_form_sends_a_visitor_to_the_login_not_to_the_file(self, client):
        form = restricted_form()
        response = client.get(form.url)
        assert response.status_code == 302
        assert "login" in response["Location"]
        assert form.file.url not in response["Location"]
        assert downloads(form) == 0

    def test_a_restricted_form_is_streamed_privately_never_redirected_to_public_media(
        self, admin_client
    ):
        form = restricted_form()
        response = admin_client.get(form.url)
        assert response.status_code == 200  # Wagtail alone would redirect to /media/…
        assert response["Cache-Control"] == "private, no-store"
        assert response["ETag"] == f'"{form.sha256}"'
        assert response["Content-Disposition"] == form.content_disposition
        assert response["Content-Length"] == str(form.file.size)
        assert b"".join(response.streaming_content) == form.file.open("rb").read()
        assert downloads(form) == 1

    def test_earlier_versions_and_the_zip_are_still_sent_by_the_site(self, client, agency):
        form = FormDocumentFactory(file=ContentFile(pdf_bytes(("first",)), name="a.pdf"))
        first_sha256 = form.sha256
        form.file = ContentFile(pdf_bytes(("second",)), name="b.pdf")
        form.save()
        version = form.versions.get()
        url = reverse("form-version", args=[form.pk, version.pk, version.download_name])
        response = client.get(url)
        assert response.status_code == 200
        assert response["ETag"] == f'"{first_sha256}"'
        page = ProcedureFactory(agency=agency, documents=citing(form))
        bundle = client.get(reverse("procedure-forms-zip", args=[page.pk]))
        assert bundle.status_code == 200
        assert bundle["Content-Type"] == "application/zip"
        assert downloads(form) == 1  # the ZIP counts its forms

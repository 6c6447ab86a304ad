"""The forms library: facts recorded on save, versions, downloads and their counts, the ZIP of a
procedure's forms, the forms pages and /api/v1/forms/."""

import datetime
import hashlib
import io
import json
import zipfile
from urllib.parse import quote

import pytest
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from PIL import Image
from wagtail.models import Collection, CollectionViewRestriction

from forms_library.downloads import attachment_header
from forms_library.models import FormDocument, FormDownloadDay, FormVersion
from search.popularity import recent_downloads_by_procedure
from tests.factories import FormDocumentFactory, ProcedureFactory, citing, pdf_bytes

pytestmark = pytest.mark.django_db


def downloads(form) -> int:
    row = FormDownloadDay.objects.filter(form=form, day=timezone.localdate()).first()
    return row.count if row else 0


def png_bytes(size=(800, 600)) -> bytes:
    output = io.BytesIO()
    Image.new("RGB", size, (200, 30, 30)).save(output, format="PNG")
    return output.getvalue()


class TestFacts:
    def test_checksum_size_format_and_pages_are_recorded(self):
        data = pdf_bytes(pages=3)
        form = FormDocumentFactory(file=ContentFile(data, name="Tờ khai.pdf"))
        assert form.sha256 == hashlib.sha256(data).hexdigest()
        assert form.file_size == len(data)
        assert form.file_format == "pdf"
        assert form.page_count == 3
        assert form.original_filename == "Tờ khai.pdf"

    @pytest.mark.requires_debian("poppler-utils", "pdftoppm")
    def test_pdf_preview_is_a_small_png_of_the_first_page(self):
        form = FormDocumentFactory()
        with form.preview.open("rb") as stored:
            image = Image.open(io.BytesIO(stored.read()))
        assert image.format == "PNG"
        assert image.width <= 360
        assert image.height > image.width  # an A4 page, portrait

    def test_image_forms_get_a_thumbnail_preview(self):
        form = FormDocumentFactory(file=ContentFile(png_bytes((1600, 1200)), name="mau.png"))
        with form.preview.open("rb") as stored:
            assert Image.open(io.BytesIO(stored.read())).size == (360, 270)

    def test_office_forms_have_no_preview(self, tmp_path):
        import docx

        path = tmp_path / "don.docx"
        document = docx.Document()
        document.add_paragraph("Đơn đề nghị")
        document.save(path)
        form = FormDocumentFactory(file=ContentFile(path.read_bytes(), name="Đơn.docx"))
        assert form.file_format == "docx"
        assert not form.preview

    def test_a_file_that_fails_the_checks_is_not_saved(self):
        with pytest.raises(Exception) as caught:
            FormDocumentFactory(file=ContentFile(b"MZ\x90\x00" + b"\x00" * 200, name="x.pdf"))
        assert "thực thi" in str(caught.value)
        assert not FormDocument.objects.exists()


class TestVersions:
    def test_a_new_file_replaces_the_form_everywhere_and_keeps_the_old_one(self, agency):
        form = FormDocumentFactory(version="1")
        page = ProcedureFactory(agency=agency, documents=citing(form))
        old_name, old_sha = form.file.name, form.sha256

        form.file = ContentFile(pdf_bytes(("Version 2",)), name="Tờ khai mới.pdf")
        form.version = "2"
        form.save()

        version = FormVersion.objects.get(form=form)
        assert (version.version, version.sha256, version.file.name) == ("1", old_sha, old_name)
        assert version.file.storage.exists(old_name)
        assert form.sha256 != old_sha
        page.refresh_from_db()
        linked = page.documents[0].value["documents"][0]["form"]
        assert linked.pk == form.pk and linked.sha256 == form.sha256

    def test_saving_without_a_new_file_makes_no_version(self):
        form = FormDocumentFactory()
        form.title = "Tờ khai (sửa tên)"
        form.save()
        assert not FormVersion.objects.exists()

    def test_the_admin_keeps_the_replaced_file(self, admin_client):
        form = FormDocumentFactory(version="1")
        old_name = form.file.name
        upload = SimpleUploadedFile("Tờ khai 2025.pdf", pdf_bytes(("v2",)), "application/pdf")
        response = admin_client.post(
            reverse("wagtaildocs:edit", args=[form.pk]),
            {
                "code": form.code,
                "title": form.title,
                "file": upload,
                "version": "2",
                "language": "vi",
                "collection": Collection.get_first_root_node().pk,
            },
        )
        assert response.status_code == 302, response.content.decode()[:2000]
        form.refresh_from_db()
        assert form.version == "2" and form.original_filename == "Tờ khai 2025.pdf"
        version = form.versions.get()
        assert version.file.name == old_name and version.file.storage.exists(old_name)

    def test_an_old_version_stays_downloadable(self, client):
        form = FormDocumentFactory(version="1")
        first = pdf_bytes(("first",))
        form.file = ContentFile(first, name="a.pdf")
        form.save()
        form.file = ContentFile(pdf_bytes(("second",)), name="b.pdf")
        form.save()
        version = form.versions.first()
        url = reverse("form-version", args=[form.pk, version.pk, version.download_name])
        response = client.get(url)
        assert response.status_code == 200
        assert b"".join(response.streaming_content) == first


class TestAdminUpload:
    def post(self, admin_client, name: str, data: bytes):
        return admin_client.post(
            reverse("wagtaildocs:add"),
            {
                "title": "Tờ khai",
                "code": "TK-01",
                "file": SimpleUploadedFile(name, data),
                "language": "vi",
                "collection": Collection.get_first_root_node().pk,
            },
        )

    def test_a_renamed_executable_is_refused_with_a_vietnamese_message(self, admin_client):
        response = self.post(admin_client, "to-khai.pdf", b"MZ\x90\x00" + b"\x00" * 500)
        assert response.status_code == 200
        assert "thực thi" in response.content.decode()
        assert not FormDocument.objects.exists()

    def test_a_good_file_is_stored_under_its_cleaned_name(self, admin_client):
        response = self.post(admin_client, "../../Tờ khai\u202e.pdf", pdf_bytes())
        assert response.status_code == 302
        form = FormDocument.objects.get()
        assert form.original_filename == "Tờ khai.pdf"
        assert ".." not in form.file.name and form.page_count == 1


class TestDownload:
    def test_headers_name_the_file_in_vietnamese_and_count_the_download(self, client):
        form = FormDocumentFactory(file=ContentFile(pdf_bytes(), name="Tờ khai đăng ký.pdf"))
        response = client.get(form.url)
        assert response.status_code == 200
        assert response["Content-Type"] == "application/pdf"
        disposition = response["Content-Disposition"]
        assert disposition.startswith("attachment;")
        assert 'filename="To khai dang ky.pdf"' in disposition
        assert f"filename*=UTF-8''{quote('Tờ khai đăng ký.pdf')}" in disposition
        assert response["ETag"] == f'"{form.sha256}"'
        assert b"".join(response.streaming_content) == form.file.open("rb").read()
        assert downloads(form) == 1
        client.get(form.url)
        assert downloads(form) == 2

    def test_a_browser_that_has_the_file_gets_304_and_is_not_counted(self, client):
        form = FormDocumentFactory()
        response = client.get(form.url, headers={"if-none-match": f'"{form.sha256}"'})
        assert response.status_code == 304
        assert downloads(form) == 0

    def test_attachment_header_fallback_is_plain_ascii(self):
        header = attachment_header('Đơn "mẫu" số 1.docx')
        fallback = header.split('filename="')[1].split('"')[0]
        assert fallback == "Don 'mau' so 1.docx"
        assert header.encode("ascii")

    def test_forms_in_a_restricted_collection_are_not_served(self, client):
        private = Collection.get_first_root_node().add_child(name="Nội bộ")
        CollectionViewRestriction.objects.create(
            collection=private, restriction_type=CollectionViewRestriction.LOGIN
        )
        form = FormDocumentFactory(collection=private)
        assert client.get(form.url).status_code == 302  # to the login page
        assert downloads(form) == 0
        assert client.get(reverse("form-detail", args=[form.pk])).status_code == 404


def test_recent_downloads_are_shared_among_the_procedures_linking_a_form(agency):
    shared, own = FormDocumentFactory(code="TK-01"), FormDocumentFactory(code="TK-02")
    first = ProcedureFactory(agency=agency, documents=citing(shared, own))
    second = ProcedureFactory(agency=agency, documents=citing(shared))
    unused = ProcedureFactory(agency=agency)
    today = timezone.localdate()
    FormDownloadDay.objects.create(form=shared, day=today, count=6)
    FormDownloadDay.objects.create(form=own, day=today - datetime.timedelta(days=89), count=1)
    FormDownloadDay.objects.create(form=own, day=today - datetime.timedelta(days=90), count=50)
    popularity = recent_downloads_by_procedure([first.pk, second.pk, unused.pk])
    assert popularity == {first.pk: 3 + 1, second.pk: 3}  # 90 days, today included


class TestZip:
    def test_all_forms_of_a_procedure_in_one_zip_with_a_manifest(self, client, agency):
        first = FormDocumentFactory(file=ContentFile(pdf_bytes(), name="Tờ khai.pdf"))
        second = FormDocumentFactory(file=ContentFile(pdf_bytes(("b",)), name="Tờ khai.pdf"))
        page = ProcedureFactory(agency=agency, documents=citing(first, second, first))

        response = client.get(reverse("procedure-forms-zip", args=[page.pk]))

        assert response.status_code == 200
        assert response["Content-Type"] == "application/zip"
        assert quote(f"Biểu mẫu {page.code}.zip") in response["Content-Disposition"]
        archive = zipfile.ZipFile(io.BytesIO(b"".join(response.streaming_content)))
        assert archive.testzip() is None
        names = archive.namelist()
        assert names[:2] == ["Tờ khai.pdf", "Tờ khai (2).pdf"]
        assert archive.read("Tờ khai.pdf") == first.file.open("rb").read()
        sums = archive.read("SHA256SUMS").decode()
        assert f"{second.sha256}  Tờ khai (2).pdf" in sums
        manifest = json.loads(archive.read("manifest.json"))
        assert [f["code"] for f in manifest["files"]] == [first.code, second.code]
        assert page.code in archive.read("DANH-MUC.txt").decode()
        assert (downloads(first), downloads(second)) == (1, 1)

    def test_a_procedure_without_forms_has_no_zip(self, client, agency):
        page = ProcedureFactory(agency=agency)
        assert client.get(reverse("procedure-forms-zip", args=[page.pk])).status_code == 404

    def test_the_procedure_page_links_the_zip_and_shows_form_facts(self, client, agency):
        form = FormDocumentFactory(effective_date="2024-07-01")
        page = ProcedureFactory(agency=agency, documents=citing(form))
        html = client.get(page.url).content.decode()
        assert reverse("procedure-forms-zip", args=[page.pk]) in html
        assert "PDF" in html and "01/07/2024" in html


class TestPagesAndApi:
    def test_forms_page_searches_without_accents_and_filters_by_format(self, client):
        FormDocumentFactory(code="CT01", title="Tờ khai thay đổi thông tin cư trú")
        FormDocumentFactory(code="M01", title="Đơn đề nghị cấp giấy phép xây dựng")
        html = client.get(reverse("forms"), {"q": "to khai cu tru"}).content.decode()
        assert "CT01" in html and "M01" not in html
        html = client.get(reverse("forms"), {"format": "docx"}).content.decode()
        assert "CT01" not in html

    def test_form_page_lists_citing_procedures_and_history(self, client, agency):
        form = FormDocumentFactory(version="1")
        page = ProcedureFactory(agency=agency, documents=citing(form), title="Đăng ký thường trú")
        form.file = ContentFile(pdf_bytes(("2",)), name="moi.pdf")
        form.version = "2"
        form.save()
        html = client.get(reverse("form-detail", args=[form.pk])).content.decode()
        assert page.title in html
        assert "Các phiên bản trước" in html

    def test_api_lists_forms_with_their_public_record(self, client, agency):
        form = FormDocumentFactory(code="CT01", title="Tờ khai", title_en="Declaration")
        page = ProcedureFactory(agency=agency, documents=citing(form))
        body = client.get("/api/v1/forms/").json()
        assert body["count"] == 1
        record = body["results"][0]
        assert record["code"] == "CT01"
        assert record["file_url"].startswith("http://testserver/documents/")
        assert (record["format"], record["size_bytes"]) == ("pdf", form.file_size)
        assert record["sha256"] == form.sha256
        assert record["procedures"] == [{"province": page.province.code, "code": page.code}]
        english = client.get("/api/v1/forms/", {"lang": "en"}).json()
        assert english["results"][0]["title"] == "Declaration"

    def test_api_filters_by_procedure_and_province(self, client, agency):
        cited = FormDocumentFactory()
        FormDocumentFactory()
        page = ProcedureFactory(agency=agency, documents=citing(cited))
        by_procedure = client.get("/api/v1/forms/", {"procedure": page.code}).json()
        assert [r["id"] for r in by_procedure["results"]] == [cited.pk]
        by_province = client.get("/api/v1/forms/", {"province": "khong-co"}).json()
        assert by_province["count"] == 0

    def test_the_procedure_record_carries_the_form_facts(self, client, agency):
        form = FormDocumentFactory(effective_date="2024-07-01")
        page = ProcedureFactory(agency=agency, documents=citing(form))
        record = client.get(f"/api/v1/procedures/{page.code}/").json()
        assert record["forms"][0]["sha256"] == form.sha256
        assert record["forms"][0]["effective_date"] == "2024-07-01"
        assert record["documents"][0]["documents"][0]["form"]["code"] == form.code


class TestReviewFindings:
    def test_a_restricted_form_is_never_cached_by_proxies(self, admin_client):
        private = Collection.get_first_root_node().add_child(name="Nội bộ")
        CollectionViewRestriction.objects.create(
            collection=private, restriction_type=CollectionViewRestriction.LOGIN
        )
        form = FormDocumentFactory(collection=private)
        response = admin_client.get(form.url)
        assert response.status_code == 200
        assert response["Cache-Control"] == "private, no-store"

    def test_a_restricted_form_is_not_in_the_procedure_record(self, client, agency):
        private = Collection.get_first_root_node().add_child(name="Nội bộ")
        CollectionViewRestriction.objects.create(
            collection=private, restriction_type=CollectionViewRestriction.LOGIN
        )
        form = FormDocumentFactory(collection=private)
        page = ProcedureFactory(agency=agency, documents=citing(form))
        record = client.get(f"/api/v1/procedures/{page.code}/").json()
        assert record["forms"] == []
        assert record["documents"][0]["documents"][0]["form"] is None
        assert (
            reverse("procedure-forms-zip", args=[page.pk])
            not in client.get(page.url).content.decode()
        )

    def test_the_api_last_modified_moves_when_a_form_is_edited(self, client):
        form = FormDocumentFactory()
        before = client.get("/api/v1/forms/")["Last-Modified"]
        FormDocument.objects.filter(pk=form.pk).update(
            updated_at=timezone.now() + datetime.timedelta(minutes=5)
        )
        after = client.get("/api/v1/forms/", headers={"if-modified-since": before})
        assert after.status_code == 200
        assert after["Last-Modified"] != before

    def test_wagtails_multiple_uploader_stores_a_checked_vietnamese_form(self, admin_client):
        response = admin_client.post(
            reverse("wagtaildocs:add_multiple"),
            {
                "files[]": SimpleUploadedFile("Tờ khai.pdf", pdf_bytes()),
                "collection": Collection.get_first_root_node().pk,
            },
        )
        assert response.json()["success"] is True
        form = FormDocument.objects.get()
        assert (form.language, form.file_format, form.page_count) == ("vi", "pdf", 1)

    def test_the_multiple_uploader_refuses_a_renamed_program(self, admin_client):
        response = admin_client.post(
            reverse("wagtaildocs:add_multiple"),
            {"files[]": SimpleUploadedFile("x.pdf", b"MZ" + b"\x00" * 300)},
        )
        assert response.json()["success"] is False
        assert "thực thi" in response.json()["error_message"]
        assert not FormDocument.objects.exists()

    def test_filling_in_a_missing_size_does_not_check_the_file_again(self):
        form = FormDocumentFactory()
        FormDocument.objects.filter(pk=form.pk).update(file_size=None)
        form = FormDocument.objects.get(pk=form.pk)
        preview = form.preview.name
        assert form.get_file_size() == form.file.size
        form.refresh_from_db()
        assert form.file_size == form.file.size and form.preview.name == preview

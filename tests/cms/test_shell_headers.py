"""Anonymous pages can be kept by browsers and caches: no cookie, no CSRF token, Cache-Control,
a stable ETag and Last-Modified, compressed; a logged-in editor's pages are private."""

import datetime
import gzip

import pytest
from django.contrib.auth.models import User
from django.core.cache import caches
from django.core.management import call_command
from django.templatetags.static import static
from django.test import Client
from django.utils import timezone
from django.utils.http import http_date, parse_http_date

from catalog.models import ProcedurePage
from cms.middleware import CONTENT_CHANGED_KEY

from ..factories import AgencyFactory, ProcedureFactory, lam_dong_province

pytestmark = pytest.mark.django_db


@pytest.fixture
def procedure(db):
    agency = AgencyFactory(province=lam_dong_province(), code="SXD", title="Sở Xây dựng")
    return ProcedureFactory(agency=agency, code="1.000894", title="Cấp giấy phép xây dựng")


@pytest.fixture
def page_urls(procedure):
    return [
        procedure.url,
        "/en" + procedure.url,
        "/",
        "/tim-kiem/?q=giay+phep",
        "/bieu-mau/",
        "/huong-dan/muc-do-truc-tuyen/",
        "/so-do-trang/",
    ]


def test_anonymous_pages_set_no_cookie_and_carry_no_csrf_token(client, page_urls):
    for url in page_urls:
        response = client.get(url)
        assert response.status_code == 200, url
        assert not response.cookies, url
        assert b"csrfmiddlewaretoken" not in response.content, url
        assert response["Cache-Control"] == "public, max-age=300", url


def test_the_page_lifetime_is_a_setting(client, procedure, settings):
    settings.PAGE_CACHE_SECONDS = 60
    assert client.get(procedure.url)["Cache-Control"] == "public, max-age=60"


def test_a_repeat_visit_gets_a_304(client, page_urls):
    for url in page_urls:
        first = client.get(url)
        again = client.get(url)
        assert first["ETag"] == again["ETag"], url  # the body is the same each time
        repeat = client.get(url, HTTP_IF_NONE_MATCH=first["ETag"])
        assert repeat.status_code == 304, url
        assert repeat.content == b""


def test_a_wagtail_page_says_when_it_last_changed(client, procedure):
    response = client.get(procedure.url)
    published = int(procedure.last_published_at.timestamp())
    assert parse_http_date(response["Last-Modified"]) >= published
    since = client.get(procedure.url, HTTP_IF_MODIFIED_SINCE=response["Last-Modified"])
    assert since.status_code == 304


def test_renaming_its_agency_moves_a_pages_last_modified(
    client, procedure, django_capture_on_commit_callbacks
):
    an_hour_ago = timezone.now() - datetime.timedelta(hours=1)
    ProcedurePage.objects.filter(pk=procedure.pk).update(last_published_at=an_hour_ago)
    caches["pages"].set(CONTENT_CHANGED_KEY, an_hour_ago, timeout=None)
    before = client.get(procedure.url)["Last-Modified"]
    assert before == http_date(an_hour_ago.timestamp())

    agency = procedure.agency
    agency.title = "Sở Xây dựng tỉnh Lâm Đồng"
    with django_capture_on_commit_callbacks(execute=True):
        agency.save_revision().publish()

    # Only If-Modified-Since, as some caches send: the page changed, so no 304.
    again = client.get(procedure.url, HTTP_IF_MODIFIED_SINCE=before)
    assert again.status_code == 200 and "Sở Xây dựng tỉnh Lâm Đồng" in again.content.decode()
    assert parse_http_date(again["Last-Modified"]) > parse_http_date(before)


def test_pages_vary_on_encoding_and_cookie_but_not_on_the_browser_language(client, procedure):
    vary = {v.strip() for v in client.get(procedure.url)["Vary"].split(",")}
    assert {"Accept-Encoding", "Cookie"} <= vary
    assert "Accept-Language" not in vary  # the path says the language


def test_the_feed_still_varies_on_the_browser_language(client, procedure):
    assert "Accept-Language" in client.get("/api/v1/procedures/")["Vary"]


def test_pages_are_compressed_with_a_weak_etag(client, procedure):
    plain = client.get(procedure.url)
    compressed = client.get(procedure.url, HTTP_ACCEPT_ENCODING="gzip")
    assert compressed["Content-Encoding"] == "gzip"
    assert gzip.decompress(compressed.content) == plain.content
    assert len(compressed.content) < len(plain.content) / 2
    # GZipMiddleware weakens the ETag ConditionalGet took of the uncompressed body.
    assert compressed["ETag"] == "W/" + plain["ETag"]
    repeat = client.get(
        procedure.url, HTTP_ACCEPT_ENCODING="gzip", HTTP_IF_NONE_MATCH=compressed["ETag"]
    )
    assert repeat.status_code == 304


def test_a_logged_in_editor_gets_private_pages(client, procedure):
    editor = User.objects.create_superuser("editor", "editor@example.org", "pw")
    client.force_login(editor)
    response = client.get(procedure.url)
    control = {part.strip() for part in response["Cache-Control"].split(",")}
    assert control == {"private", "no-cache"}
    assert "Last-Modified" not in response
    assert b"wagtail-userbar" in response.content  # the page is the editor's own


def test_a_404_is_public_too(client, db):
    response = client.get("/khong-co-trang-nay/")
    assert response.status_code == 404
    assert response["Cache-Control"] == "public, max-age=300"
    assert not response.cookies


def test_fingerprinted_static_files_are_cached_for_a_year(settings, tmp_path):
    """whitenoise's manifest storage: a hashed name, served immutable for a year or more."""
    settings.STATIC_ROOT = tmp_path
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
    }
    # Only the site's own files: the apps' (Wagtail admin) would take a minute to compress.
    settings.STATICFILES_FINDERS = ["django.contrib.staticfiles.finders.FileSystemFinder"]
    call_command("collectstatic", interactive=False, verbosity=0)
    url = static("css/site.css")
    assert url != "/static/css/site.css" and url.endswith(".css")
    response = Client().get(url, HTTP_ACCEPT_ENCODING="gzip")  # a new handler reads STATIC_ROOT
    assert response.status_code == 200
    control = response["Cache-Control"]
    assert "immutable" in control and "public" in control
    assert int(control.split("max-age=")[1].split(",")[0]) >= 365 * 24 * 3600
    assert response["Content-Encoding"] == "gzip"
    assert Client().get("/static/css/site.css")["Cache-Control"] == "max-age=60, public"

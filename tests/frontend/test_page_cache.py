"""The page cache (wagtail-cache): an anonymous page is rendered once, then served from the
cache until something it shows is published, moved, deleted or edited."""

import pytest
from django.contrib.auth.models import User
from django.core.cache import caches
from django.core.files.base import ContentFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from wagtail.models import Site

from catalog.models import Field
from cms.models import PortalSettings

from ..factories import (
    AgencyFactory,
    FormDocumentFactory,
    ProcedureFactory,
    citing,
    lam_dong_province,
    pdf_bytes,
)

pytestmark = pytest.mark.django_db
CACHE_HEADER = "X-Wagtail-Cache"


@pytest.fixture(autouse=True)
def page_cache(settings):
    settings.WAGTAIL_CACHE = True
    caches["pages"].clear()
    yield
    caches["pages"].clear()


@pytest.fixture
def agency(db):
    return AgencyFactory(province=lam_dong_province(), code="SXD", title="Sở Xây dựng")


@pytest.fixture
def form(db):
    return FormDocumentFactory(code="Mẫu số 01", title="Đơn đề nghị cấp giấy phép xây dựng")


@pytest.fixture
def procedure(agency, form):
    return ProcedureFactory(
        agency=agency, code="1.000894", title="Cấp giấy phép xây dựng", documents=citing(form)
    )


def served(client, url: str):
    """The response, and how many SQL queries serving it took."""
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    return response, len(queries)


def test_the_second_visit_is_served_from_the_cache(client, procedure):
    first, first_queries = served(client, procedure.url)
    second, second_queries = served(client, procedure.url)
    assert first[CACHE_HEADER] == "miss" and second[CACHE_HEADER] == "hit"
    assert first_queries > 5
    assert second_queries == 0
    assert second.content == first.content
    assert second["ETag"] == first["ETag"]
    assert client.get(procedure.url, HTTP_IF_NONE_MATCH=first["ETag"]).status_code == 304


def test_each_language_is_cached_apart(client, procedure):
    assert client.get(procedure.url)[CACHE_HEADER] == "miss"
    english = client.get("/en" + procedure.url)
    assert english[CACHE_HEADER] == "miss"
    assert 'lang="en"' in english.content.decode()


def test_help_pages_and_404s_are_cached(client, db):
    for url in ("/huong-dan/muc-do-truc-tuyen/", "/khong-co-trang-nay/"):
        assert client.get(url)[CACHE_HEADER] == "miss"
        assert client.get(url)[CACHE_HEADER] == "hit"


def test_searches_are_answered_every_time(client, procedure):
    """Each one is counted in the search analytics."""
    client.get("/tim-kiem/?q=giay+phep")
    assert client.get("/tim-kiem/?q=giay+phep")[CACHE_HEADER] == "skip"


def test_a_logged_in_editor_is_never_served_the_cached_page(client, procedure):
    client.get(procedure.url)
    client.force_login(User.objects.create_superuser("editor", "e@example.org", "pw"))
    response = client.get(procedure.url)
    assert response[CACHE_HEADER] == "skip"
    assert b"wagtail-userbar" in response.content


def test_the_feed_and_files_keep_out_of_the_page_cache(client, procedure, form):
    assert client.get("/api/v1/procedures/")[CACHE_HEADER] == "skip"
    assert client.get("/robots.txt")[CACHE_HEADER] == "skip"


def publish(page) -> None:
    page.save_revision().publish()


def test_publishing_a_change_to_the_page_serves_it(
    client, procedure, django_capture_on_commit_callbacks
):
    client.get(procedure.url)
    procedure.title = "Cấp giấy phép xây dựng nhà ở riêng lẻ"
    with django_capture_on_commit_callbacks(execute=True):
        publish(procedure)
    response = client.get(procedure.url)
    assert response[CACHE_HEADER] == "miss"
    assert "nhà ở riêng lẻ" in response.content.decode()


def test_publishing_its_agency_serves_the_new_name(
    client, agency, procedure, django_capture_on_commit_callbacks
):
    client.get(procedure.url)
    agency.title = "Sở Xây dựng tỉnh Lâm Đồng"
    with django_capture_on_commit_callbacks(execute=True):
        publish(agency)
    assert "Sở Xây dựng tỉnh Lâm Đồng" in client.get(procedure.url).content.decode()


def test_a_new_file_of_a_form_it_cites_is_served(
    client, form, procedure, django_capture_on_commit_callbacks
):
    client.get(procedure.url)
    assert client.get(procedure.url)[CACHE_HEADER] == "hit"
    form.file = ContentFile(pdf_bytes(pages=3), name="Đơn mới.pdf")
    with django_capture_on_commit_callbacks(execute=True):
        form.save()
    assert client.get(procedure.url)[CACHE_HEADER] == "miss"


@pytest.mark.parametrize("change", ["unpublish", "delete", "move", "field", "settings"])
def test_other_changes_clear_the_cache(
    client, agency, procedure, change, django_capture_on_commit_callbacks
):
    other = AgencyFactory(province=agency.get_parent(), code="STP", title="Sở Tư pháp")
    portal = PortalSettings.for_site(Site.objects.get(is_default_site=True))
    home_url = "/"
    client.get(home_url)
    assert client.get(home_url)[CACHE_HEADER] == "hit"
    with django_capture_on_commit_callbacks(execute=True):
        if change == "unpublish":
            procedure.unpublish()
        elif change == "delete":
            procedure.delete()
        elif change == "move":
            procedure.move(other, pos="last-child")
        elif change == "field":
            Field.objects.filter(pk=procedure.field_id).get().save()
        else:
            portal.save()
    assert client.get(home_url)[CACHE_HEADER] == "miss"


def test_without_a_committed_change_nothing_is_cleared(client, procedure):
    """The purge waits for the commit: a rolled-back change keeps the cached page."""
    client.get(procedure.url)
    procedure.title = "Bản nháp"
    publish(procedure)  # the test's transaction never commits
    assert client.get(procedure.url)[CACHE_HEADER] == "hit"


def test_a_page_from_the_cache_keeps_its_headers(client, procedure):
    first = client.get(procedure.url)
    hit = client.get(procedure.url)
    assert hit[CACHE_HEADER] == "hit"
    for header in ("Cache-Control", "Last-Modified", "Vary", "Content-Language"):
        assert hit[header] == first[header], header
    assert "Accept-Language" not in hit["Vary"]

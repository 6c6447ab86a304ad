"""The site configured on a live Elasticsearch node (ELASTICSEARCH_URL, a test index prefix):
what editors and imports do reaches the next search once the transaction commits (real
commits: on_commit runs as in production), and rebuild_search_index runs while searches keep
answering."""

import csv
import datetime
import threading
from io import StringIO

import pytest
from django.core.management import call_command
from django.db import transaction

from catalog.models import AgencyPage, ProcedurePage, Status
from search.backends import configured_backend, search
from search.backends.base import SearchQuery
from search.backends.elasticsearch import ElasticsearchBackend
from search.documents import all_documents

from ..factories import AgencyFactory, ProcedureFactory, cao_bang_province
from .es_node import URL, client, delete_prefix, indices_of, needs_node, unique_prefix

pytestmark = [needs_node, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def on_elasticsearch(settings, site_tree):
    """The site searches this node, under a prefix of its own; its indices go afterwards."""
    prefix = unique_prefix()
    settings.ELASTICSEARCH_URL = URL
    settings.ELASTICSEARCH_INDEX_PREFIX = prefix
    configured_backend.cache_clear()
    backend = configured_backend()
    assert isinstance(backend, ElasticsearchBackend) and backend.prefix == prefix
    yield backend
    configured_backend.cache_clear()
    delete_prefix(client(), prefix)


def draft(agency, field, **values) -> ProcedurePage:
    values.setdefault("code", "1.000894")
    values.setdefault("title", "Cấp giấy phép xây dựng nhà ở riêng lẻ")
    values.setdefault("slug", f"thu-tuc-{values['code'].replace('.', '-')}")
    return ProcedureFactory(
        agency=agency, field=field, live=False, first_published_at=None, last_published_at=None,
        **values,
    )  # fmt: skip


def publish(page) -> ProcedurePage:
    page.save_revision().publish()
    return page.specific_class.objects.get(pk=page.pk)


def results(text: str, **filters):
    """What a citizen's search finds: answered by Elasticsearch, not the stand-in."""
    found = search(SearchQuery(text, **filters))
    assert (found.backend, found.degraded) == ("elasticsearch", False)
    return found


def found(text: str, **filters) -> list[str]:
    """The procedures holding every word of `text` (not the fallback of search.backends)."""
    answer = results(text, **filters)
    return [] if answer.searched else sorted(hit.code for hit in answer.hits)


def hit_for(text: str, code: str, **filters):
    return next(hit for hit in results(text, **filters).hits if hit.code == code)


@pytest.fixture
def published(on_elasticsearch, agency, building) -> ProcedurePage:
    page = publish(draft(agency, building))
    assert found("giay phep xay dung") == ["1.000894"]
    return page


# --- publishing ---------------------------------------------------------------------------------


def test_publishing_makes_a_procedure_findable_with_its_record(published, agency):
    hit = hit_for("cấp giấy phép xây dựng", "1.000894")
    assert (hit.province, hit.agency, hit.field) == ("lam-dong", agency.title, "Xây dựng")
    assert hit.url == published.get_url()


def test_a_draft_is_not_findable_and_editing_changes_what_is_found(published, agency, building):
    publish(draft(agency, building, code="1.000895", title="Đăng ký khai sinh"))
    other = ProcedurePage.objects.get(code="1.000895")
    other.title = "Đăng ký khai tử"
    other.save_revision()  # a draft: the public record is unchanged
    assert found("khai sinh") == ["1.000895"] and found("khai tu") == []

    published.title = "Cấp giấy phép sửa chữa, cải tạo công trình"
    publish(published)
    assert found("sua chua cai tao") == ["1.000894"]
    assert found("nha o rieng le") == []


def test_unpublishing_removes_it_and_republishing_brings_it_back(published):
    published.unpublish()
    assert found("giay phep xay dung") == []
    publish(ProcedurePage.objects.get(pk=published.pk))
    assert found("giay phep xay dung") == ["1.000894"]


def test_abolishing_hides_it_from_the_default_search_only(published):
    published.status = Status.ABOLISHED
    published.abolished_on = datetime.date(2024, 7, 1)
    publish(published)
    assert found("giay phep xay dung") == []
    assert found("giay phep xay dung", status="abolished") == ["1.000894"]
    assert hit_for("giay phep xay dung", "1.000894", status="all").status == "abolished"


def test_deleting_removes_it(published, on_elasticsearch):
    published.delete()
    assert found("giay phep xay dung", status="all") == []
    assert client().count(index=on_elasticsearch.prefix)["count"] == 0


def test_a_rolled_back_transaction_indexes_nothing(on_elasticsearch, published, agency, building):
    with transaction.atomic():
        publish(draft(agency, building, code="1.000895", title="Đăng ký khai sinh"))
        transaction.set_rollback(True)
    assert found("khai sinh") == []


# --- moves and renames --------------------------------------------------------------------------


def test_moving_to_another_agency_gives_the_new_agency_and_url(published, province):
    construction = AgencyFactory(
        province=province, code="SXD", title="Sở Xây dựng", slug="so-xay-dung"
    )
    ProcedurePage.objects.get(pk=published.pk).move(construction, pos="last-child")
    hit = hit_for("giay phep xay dung", "1.000894")
    assert (hit.agency, hit.url) == ("Sở Xây dựng", ProcedurePage.objects.get(pk=published.pk).url)
    assert "/so-xay-dung/" in hit.url
    assert found("giay phep xay dung", agency="SXD") == ["1.000894"]
    assert found("giay phep xay dung", agency="STTTT") == []


def test_moving_an_agency_to_another_province_leaves_no_copy_behind(
    published, agency, on_elasticsearch
):
    cao_bang = cao_bang_province()
    AgencyPage.objects.get(pk=agency.pk).move(cao_bang, pos="last-child")
    assert found("giay phep xay dung", province="lam-dong") == []
    assert found("giay phep xay dung", province="cao-bang") == ["1.000894"]
    assert "/cao-bang/" in hit_for("giay phep xay dung", "1.000894").url
    assert client().count(index=on_elasticsearch.prefix)["count"] == 1
    aliases = set().union(*indices_of(client(), on_elasticsearch.prefix).values())
    assert f"{on_elasticsearch.prefix}-cao-bang" in aliases  # created by the move's write


def test_renaming_an_agency_reindexes_its_procedures_hits_and_facets(published, agency):
    page = AgencyPage.objects.get(pk=agency.pk)
    page.title = "Sở Văn hóa, Thể thao và Du lịch"
    page.save_revision().publish()
    assert found("so van hoa the thao") == ["1.000894"]
    facet = results("giay phep xay dung").facets["agency"]
    assert [(f.value, f.label) for f in facet] == [("STTTT", "Sở Văn hóa, Thể thao và Du lịch")]


def test_renaming_a_field_reindexes_its_procedures_facets_and_hits(published, building):
    building.name = "Quy hoạch, xây dựng"
    building.save()
    now = results("giay phep xay dung")
    assert {hit.field for hit in now.hits} == {"Quy hoạch, xây dựng"}
    assert [(f.value, f.label) for f in now.facets["field"]] == [
        ("xay-dung", "Quy hoạch, xây dựng")
    ]
    assert found("quy hoach") == ["1.000894"]


# --- import and rebuild -------------------------------------------------------------------------

IMPORTED = [
    ("1.001001", "Cấp giấy phép hoạt động báo chí in"),
    ("1.001002", "Cấp giấy phép xuất bản bản tin"),
    ("1.001003", "Thông báo tổ chức họp báo"),
]


def test_an_import_is_searchable_on_elasticsearch(tmp_path, on_elasticsearch, province, agency):
    path = tmp_path / "danh-muc.csv"
    with path.open("w", encoding="utf-8", newline="") as out:
        writer = csv.writer(out)
        writer.writerow(["code", "title", "agency", "field", "tiers", "level", "keywords"])
        for code, title in IMPORTED:
            writer.writerow([code, title, "STTTT", "Báo chí", "tỉnh", "2", "báo chí"])
    call_command("import_catalog", str(path), province="lam-dong", stdout=StringIO())
    for code, title in IMPORTED:
        assert code in found(title, province="lam-dong"), title
    assert found("hop bao") == ["1.001003"]
    assert client().count(index=on_elasticsearch.prefix)["count"] == len(IMPORTED)


def test_rebuild_search_index_builds_the_elasticsearch_index(on_elasticsearch, agency, building):
    for n in range(3):
        ProcedureFactory(agency=agency, field=building, code=f"1.00010{n}", title=f"Cấp phép {n}")
    out = StringIO()
    call_command("rebuild_search_index", stdout=out)
    assert "elasticsearch: 3 " in out.getvalue() and "database: 3 " in out.getvalue()
    assert found("cap phep") == ["1.000100", "1.000101", "1.000102"]


# --- rebuilding while citizens search -----------------------------------------------------------

SEARCHERS = 3
REBUILDS = 6


def test_searches_keep_answering_while_the_index_is_rebuilt(on_elasticsearch, agency, building):
    """Each rebuild builds new indices and switches the aliases in one call, then deletes the
    old ones: a search running meanwhile sees the old or the new index, whole, never none."""
    for n in range(40):
        ProcedureFactory(
            agency=agency, field=building, code=f"1.{n:06d}", title=f"Cấp giấy phép số {n}"
        )
    call_command("rebuild_search_index", stdout=StringIO())
    documents = list(all_documents())
    # Searchers of their own (no editors' synonyms, so no database in their threads).
    reader = ElasticsearchBackend(URL, prefix=on_elasticsearch.prefix, synonyms=lambda: [])
    answers: list[int] = []
    errors: list[BaseException] = []
    done = threading.Event()

    def searching(province):
        while not done.is_set():
            try:
                answers.append(reader.search(SearchQuery("giay phep", province=province)).total)
            except BaseException as error:  # noqa: BLE001 - any failure is the finding
                errors.append(error)

    threads = [
        threading.Thread(target=searching, args=(p,)) for p in (None, "lam-dong", None)[:SEARCHERS]
    ]
    for thread in threads:
        thread.start()
    try:
        for n in range(REBUILDS):
            if n % 2:
                call_command("rebuild_search_index", stdout=StringIO())
            else:
                on_elasticsearch.rebuild(documents)
    finally:
        done.set()
        for thread in threads:
            thread.join()
    assert errors == []
    assert len(answers) > REBUILDS
    assert set(answers) == {40}
    assert len(indices_of(client(), on_elasticsearch.prefix)) == 1  # the old ones deleted

"""The bulk publisher leaves exactly what page.save_revision().publish() leaves.

The same procedure is written twice under one agency, once through Wagtail (create_page, then
publish_page for a change) and once through BulkPublisher (as import_catalog and load_demo write),
and everything Wagtail keeps of a publication is compared field by field: the revision's content,
the history, the reference index, both search indexes, the live state, url_path, numchild.
"""

import datetime
import json
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from wagtail.models import PageLogEntry, ReferenceIndex
from wagtail.search.models import IndexEntry

from catalog.models import AgencyPage, ProcedurePage
from catalog.publishing import BulkPublisher, create_page, publish_page
from catalog.transfer.procedures import ProcedureData, ProcedureWriter, new_procedure
from search.models import SearchEntry
from tests.factories import FieldFactory, FormDocumentFactory, SubjectFactory

pytestmark = pytest.mark.django_db
BLOCK_ID = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")
IDENTITY = {"pk", "id", "page_ptr", "path", "url_path", "slug", "code", "translation_key"}
# What differs between two pages' revisions by nature: only whether they are set is compared.
MOMENTS = {"latest_revision", "live_revision", "first_published_at", "last_published_at"}
MOMENTS |= {"latest_revision_created_at"}


def procedure_data(
    code: str, form, subject, field, title="Cấp giấy phép xây dựng"
) -> ProcedureData:
    values = {
        "field": field,
        "level": 3,
        "tier_province": True,
        "submission_url": "https://dichvucong.lamdong.gov.vn/",
        "steps": [{"type": "step", "value": {"title": "", "description": "Nộp hồ sơ"}}],
        "documents": [
            {
                "type": "case",
                "value": {
                    "case": "",
                    "documents": [
                        {
                            "name": "Tờ khai",
                            "originals": 1,
                            "copies": None,
                            "form": form.pk,
                            "form_code": form.code,
                        }
                    ],
                },
            }
        ],
    }
    return ProcedureData(code=code, title=title, values=values, subjects=[subject])


def without_identity(value):
    """Content with the keys that name one page (ids, path, code) and stream block ids left out."""
    if isinstance(value, str) and value.startswith("["):
        value = json.loads(value)
    if isinstance(value, dict):
        return {
            k: bool(v) if k in MOMENTS else without_identity(v)
            for k, v in value.items()
            if k not in IDENTITY
        }
    if isinstance(value, list):
        return [without_identity(v) for v in value]
    return value


def publication(page: ProcedurePage) -> dict:
    """Everything Wagtail and our search keep of a page's publication, without its identity."""
    page = ProcedurePage.objects.get(pk=page.pk)
    history = PageLogEntry.objects.filter(page=page).order_by("pk")
    references = ReferenceIndex.objects.filter(object_id=str(page.pk))
    search = SearchEntry.objects.filter(procedure=page).values().first()
    index = IndexEntry.objects.filter(object_id=str(page.pk)).values("title", "body").first()
    return {
        "revision": without_identity(page.live_revision.content),
        "latest_is_live": page.latest_revision_id == page.live_revision_id,
        "revisions": page.revisions.count(),
        "history": [
            (e.action, e.data, e.content_changed, e.revision_id == page.live_revision_id)
            for e in history
        ],
        "references": sorted(
            (to_type, to_id, model_path, BLOCK_ID.sub("BLOCK", content_path))
            for to_type, to_id, model_path, content_path in references.values_list(
                "to_content_type", "to_object_id", "model_path", "content_path"
            )
        ),
        "search": {k: v for k, v in search.items() if k not in ("procedure_id", "code", "url")},
        "index": {k: v.replace(page.code, "CODE") for k, v in index.items()},
        "live": (page.live, page.has_unpublished_changes, page.expired, page.draft_title),
        "published": (page.first_published_at is not None, page.last_published_at is not None),
        "url_path": page.url_path.removesuffix(f"{page.slug}/"),
        "owner": page.owner_id,
    }


@pytest.fixture(autouse=True)
def committed(django_capture_on_commit_callbacks):
    """Each write's on-commit work (the search and reference indexes) runs as if committed."""

    def write(function, *args, **kwargs):
        with django_capture_on_commit_callbacks(execute=True):
            return function(*args, **kwargs)

    return write


def bulk_upsert(agency, data, source):
    with BulkPublisher(source=source) as publisher:
        return ProcedureWriter(publisher).upsert(agency, data)


@pytest.fixture
def cited(db):
    return FormDocumentFactory(code="MAU-01"), SubjectFactory(), FieldFactory(code="xay-dung")


def numchild(agency) -> int:
    return AgencyPage.objects.get(pk=agency.pk).numchild


def test_a_page_created_in_bulk_is_what_wagtail_publishing_leaves(agency, cited, committed):
    before = numchild(agency)
    normal = new_procedure(agency, procedure_data("1.000001", *cited))
    committed(create_page, agency, normal, source="tep.csv")
    assert numchild(agency) == before + 1
    bulk, outcome = committed(bulk_upsert, agency, procedure_data("1.000002", *cited), "tep.csv")
    assert outcome == "created"
    assert numchild(agency) == before + 2

    assert publication(bulk) == publication(normal)
    assert publication(bulk)["references"]  # the form, the field, the agency cited
    assert [h[0] for h in publication(bulk)["history"]] == [
        "wagtail.create",
        "catalog.import",
        "wagtail.publish",
    ]


def test_a_page_changed_in_bulk_is_what_wagtail_publishing_leaves(agency, cited, committed):
    normal = new_procedure(agency, procedure_data("1.000001", *cited))
    committed(create_page, agency, normal, source="tep.csv")
    bulk, _ = committed(bulk_upsert, agency, procedure_data("1.000002", *cited), "tep.csv")

    normal.title = "Cấp lại giấy phép xây dựng"
    normal.fee = "Không"
    committed(publish_page, normal, source="lan-2.csv")
    changed = procedure_data("1.000002", *cited, title="Cấp lại giấy phép xây dựng")
    changed.values["fee"] = "Không"
    bulk, outcome = committed(bulk_upsert, agency, changed, "lan-2.csv")
    assert outcome == "updated"
    assert publication(bulk) == publication(normal)
    assert publication(bulk)["revisions"] == 2
    assert "wagtail.rename" in [h[0] for h in publication(bulk)["history"]]


def test_a_page_with_a_go_live_date_is_published_by_wagtail_itself(agency, cited, committed):
    """Bulk publishing writes what an immediate publication leaves; a page scheduled by an
    editor is handed to Wagtail, which schedules the change instead of showing it at once."""
    page, _ = committed(bulk_upsert, agency, procedure_data("1.000001", *cited), "lan-1.csv")
    live_revision = page.live_revision_id
    ProcedurePage.objects.filter(pk=page.pk).update(
        go_live_at=timezone.now() + datetime.timedelta(days=7)
    )
    changed = procedure_data("1.000001", *cited, title="Cấp lại giấy phép xây dựng")

    _page, outcome = committed(bulk_upsert, agency, changed, "lan-2.csv")

    assert outcome == "updated"
    page = ProcedurePage.objects.get(pk=page.pk)
    assert page.live_revision_id == live_revision  # still live as it was
    assert page.title == "Cấp giấy phép xây dựng"
    assert page.has_unpublished_changes
    assert page.latest_revision.approved_go_live_at == page.go_live_at
    actions = PageLogEntry.objects.filter(page=page).values_list("action", flat=True)
    assert "wagtail.publish.schedule" in actions


def test_search_indexes_pages_published_in_bulk_from_wagtails_read(
    agency, cited, django_capture_on_commit_callbacks
):
    """Once committed, the pages are read once (as their public record reads them) for
    Wagtail's indexes and ours, not once for each."""
    with (
        django_capture_on_commit_callbacks() as callbacks,
        BulkPublisher(source="tep.csv") as publisher,
    ):
        new_agency = AgencyPage(code="SXD", slug="sxd", title="Sở Xây dựng", kind="department")
        publisher.create_page(agency.province, new_agency)
        writer = ProcedureWriter(publisher)
        for code in ("1.000001", "1.000002", "1.000003"):
            writer.upsert(new_agency, procedure_data(code, *cited))

    with CaptureQueriesContext(connection) as queries:
        for callback in callbacks:
            callback()

    page_reads = [q for q in queries if '"catalog_procedurepage"."keywords"' in q["sql"]]
    assert len(page_reads) == 1
    assert SearchEntry.objects.filter(procedure__agency=new_agency).count() == 3
    procedure_ids = ProcedurePage.objects.filter(agency=new_agency).values_list("pk", flat=True)
    assert IndexEntry.objects.filter(object_id__in=[str(pk) for pk in procedure_ids]).count() == 3
    assert IndexEntry.objects.filter(object_id=str(new_agency.pk)).exists()

"""changes/: the catalogue's change log, and a portal's mirror kept by it.

The mirror is what a member portal keeps: a second database (SQLite, Python's own) filled by a
full sync of procedures/ and then kept by incremental syncs of changes/ from a stored cursor. After
every kind of change it must hold exactly what the feed serves.
"""

import datetime
import json
import sqlite3

import pytest
from django.core.files.base import ContentFile

from catalog.models import ProcedureChange, ProcedurePage, Status
from forms_library.models import FormDocument

from ..factories import AgencyFactory, ProcedureFactory, citing, pdf_bytes, small_catalogue

CHANGES = "/api/v1/changes/"
LIST = "/api/v1/procedures/"


@pytest.fixture
def catalog(db):
    return small_catalogue()


def republish(page: ProcedurePage, **values) -> ProcedurePage:
    page = ProcedurePage.objects.get(pk=page.pk)
    for name, value in values.items():
        setattr(page, name, value)
    page.save_revision().publish()
    return ProcedurePage.objects.get(pk=page.pk)


def cursor_now() -> int:
    """The cursor of the latest change: ids come from a sequence, which PostgreSQL never rolls
    back between tests, so a test reads it rather than counting on a number."""
    return ProcedureChange.objects.latest("id").id


def kinds(client, **params) -> list[tuple[str, str, str]]:
    results = client.get(CHANGES, {"page_size": 500, **params}).json()["results"]
    return [(c["change"], c["province"], c["code"]) for c in results]


class Mirror:
    """A portal's copy of the catalogue, by (province, code), and the cursor it synced to."""

    def __init__(self, client):
        self.client = client
        self.db = sqlite3.connect(":memory:")
        self.db.execute(
            "CREATE TABLE procedure (province TEXT, code TEXT, record TEXT,"
            " PRIMARY KEY (province, code))"
        )
        self.db.execute("CREATE TABLE sync (cursor INTEGER)")
        self.db.execute("INSERT INTO sync VALUES (0)")

    @property
    def cursor(self) -> int:
        return self.db.execute("SELECT cursor FROM sync").fetchone()[0]

    def full_sync(self) -> None:
        """Every procedure, abolished ones too; the cursor is read before the first page, so
        a change made while paging is read again by the next incremental sync, never lost."""
        url = f"{LIST}?status=all&page_size=2"
        first = True
        while url:
            response = self.client.get(url)
            if first:
                cursor, first = int(response["X-Changes-Cursor"]), False
            page = response.json()
            for record in page["results"]:
                self.upsert(record)
            url = page["next"]
        self.save_cursor(cursor)

    def incremental_sync(self, page_size: int = 2, crash_after: int | None = None) -> None:
        """Apply changes/ page by page, storing the cursor once a page is applied; with
        `crash_after`, stop in the middle of the page after applying that many changes."""
        while True:
            page = self.client.get(CHANGES, {"cursor": self.cursor, "page_size": page_size}).json()
            for applied, change in enumerate(page["results"]):
                if crash_after is not None and applied == crash_after:
                    return  # the process died: this page's cursor was never stored
                self.apply(change)
            self.save_cursor(page["cursor"])
            if page["next"] is None:
                return

    def apply(self, change: dict) -> None:
        if change["change"] == "deleted":
            self.db.execute(
                "DELETE FROM procedure WHERE province = ? AND code = ?",
                (change["province"], change["code"]),
            )
        elif change["record"] is not None:
            self.upsert(change["record"])

    def upsert(self, record: dict) -> None:
        self.db.execute(
            "INSERT OR REPLACE INTO procedure VALUES (?, ?, ?)",
            (record["province"]["code"], record["code"], json.dumps(record, sort_keys=True)),
        )

    def save_cursor(self, cursor: int) -> None:
        self.db.execute("UPDATE sync SET cursor = ?", (cursor,))

    def contents(self) -> dict:
        rows = self.db.execute("SELECT province, code, record FROM procedure")
        return {(province, code): json.loads(record) for province, code, record in rows}


def served(client) -> dict:
    """What the feed serves now, by (province, code)."""
    records = client.get(LIST, {"status": "all", "page_size": 500}).json()["results"]
    return {(r["province"]["code"], r["code"]): r for r in records}


# --- the log ------------------------------------------------------------------------------------


def test_each_published_procedure_is_created_once_in_order(client, catalog):
    assert kinds(client) == [
        ("created", "lam-dong", "1.000894"),
        ("created", "lam-dong", "1.000895"),
        ("created", "lam-dong", "2.000488"),
        ("created", "cao-bang", "2.000488"),
        ("created", "lam-dong", "2.000999"),
    ]


def test_an_edit_is_an_update_with_the_new_record(client, catalog):
    start = cursor_now()
    republish(catalog["permit"], fee="500.000 đồng")
    last = client.get(CHANGES, {"cursor": start}).json()["results"]
    assert [(c["change"], c["code"]) for c in last] == [("updated", "1.000894")]
    assert last[0]["record"]["fee"] == "500.000 đồng"
    assert last[0]["record"]["agency"]["code"] == "SXD"


def test_abolishing_is_its_own_kind(client, catalog):
    start = cursor_now()
    republish(catalog["repair"], status=Status.ABOLISHED, abolished_on=datetime.date(2026, 1, 1))
    assert kinds(client, cursor=start) == [("abolished", "lam-dong", "1.000895")]
    abolished = cursor_now()
    republish(catalog["repair"], fee="1 đồng")  # still abolished: an update of it
    assert kinds(client, cursor=abolished) == [("updated", "lam-dong", "1.000895")]


def test_deleting_and_unpublishing_leave_tombstones(client, catalog):
    start = cursor_now()
    ProcedurePage.objects.get(pk=catalog["birth"].pk).delete()
    ProcedurePage.objects.get(pk=catalog["birth_cb"].pk).unpublish()
    changes = client.get(CHANGES, {"cursor": start}).json()["results"]
    assert [(c["change"], c["province"], c["code"], c["record"]) for c in changes] == [
        ("deleted", "lam-dong", "2.000488", None),
        ("deleted", "cao-bang", "2.000488", None),
    ]
    assert changes[0]["agency"] == "STP"


def test_a_move_to_another_agency_names_the_one_it_left(client, catalog):
    start = cursor_now()
    stp = ProcedurePage.objects.get(pk=catalog["birth"].pk).get_parent()
    ProcedurePage.objects.get(pk=catalog["repair"].pk).move(stp, pos="last-child")
    moved = client.get(CHANGES, {"cursor": start}).json()["results"]
    assert [(c["change"], c["agency"], c["previous_agency"]) for c in moved] == [
        ("updated", "STP", "SXD")
    ]
    # The agency's portal sees the procedure leave it, as well as those it gains.
    assert kinds(client, cursor=start, agency="SXD") == [("updated", "lam-dong", "1.000895")]
    assert kinds(client, cursor=start, agency="STP") == [("updated", "lam-dong", "1.000895")]


def test_a_move_to_another_province_is_a_tombstone_then_a_creation(client, catalog):
    start = cursor_now()
    ubnd = ProcedurePage.objects.get(pk=catalog["birth_cb"].pk).get_parent()
    ProcedurePage.objects.get(pk=catalog["repair"].pk).move(ubnd, pos="last-child")
    assert kinds(client, cursor=start) == [
        ("deleted", "lam-dong", "1.000895"),
        ("created", "cao-bang", "1.000895"),
    ]


def test_a_new_code_is_a_tombstone_then_a_creation(client, catalog):
    start = cursor_now()
    republish(catalog["repair"], code="1.000896")
    assert kinds(client, cursor=start) == [
        ("deleted", "lam-dong", "1.000895"),
        ("created", "lam-dong", "1.000896"),
    ]


def test_an_agency_renamed_updates_the_records_below_it(client, catalog):
    start = cursor_now()
    agency = ProcedurePage.objects.get(pk=catalog["permit"].pk).get_parent().specific
    agency.title = "Sở Xây dựng tỉnh Lâm Đồng"
    agency.save_revision().publish()
    changes = client.get(CHANGES, {"cursor": start}).json()["results"]
    assert {(c["change"], c["code"]) for c in changes} == {
        ("updated", "1.000894"),
        ("updated", "1.000895"),
    }
    assert changes[0]["record"]["agency"]["name"] == "Sở Xây dựng tỉnh Lâm Đồng"


def test_a_form_replaced_updates_the_procedures_citing_it(client, catalog):
    form = FormDocument.objects.create(
        title="Tờ khai", code="CT01", file=ContentFile(pdf_bytes(), name="ct01.pdf")
    )
    republish(catalog["birth"], documents=citing(form))
    cited = cursor_now()
    form.title = "Tờ khai (mẫu mới)"
    form.save()
    assert kinds(client, cursor=cited) == [("updated", "lam-dong", "2.000488")]


def test_a_draft_is_not_a_change(client, catalog):
    start = cursor_now()
    ProcedureFactory(agency=catalog["permit"].get_parent(), code="9.000001", live=False)
    page = ProcedurePage.objects.get(pk=catalog["permit"].pk)
    page.fee = "draft only"
    page.save_revision()
    assert kinds(client, cursor=start) == []


def test_scoped_by_province_and_since(client, catalog):
    assert kinds(client, province="cao-bang") == [("created", "cao-bang", "2.000488")]
    first_three = ProcedureChange.objects.order_by("id").values_list("id", flat=True)[:3]
    ProcedureChange.objects.filter(id__in=list(first_three)).update(
        at=datetime.datetime(2025, 1, 1, tzinfo=datetime.UTC)
    )
    assert len(kinds(client, since="2026-01-01T00:00:00+07:00")) == 2
    # ISO 8601 allows offsets PostgreSQL does not take: the same instant, however written.
    assert len(kinds(client, since="2025-12-30T19:55:00-21:05")) == 2
    assert len(kinds(client, since="2026-01-01T00:00:00")) == 2  # no offset: Vietnam's time


@pytest.mark.parametrize(
    "params, field",
    [
        ({"cursor": "abc"}, "cursor"),
        ({"cursor": "-1"}, "cursor"),
        ({"cursor": str(2**63)}, "cursor"),
        ({"page_size": "0"}, "page_size"),
        ({"page_size": "501"}, "page_size"),
        ({"since": "hôm qua"}, "since"),
        ({"since": "9999-12-31T23:00:00-21:00"}, "since"),  # past the calendar's end in UTC
    ],
)
def test_bad_parameters_are_named(client, catalog, params, field):
    response = client.get(CHANGES, params)
    assert response.status_code == 400
    assert field in response.json()


def test_pages_follow_the_cursor_without_gaps_or_repeats(client, catalog):
    seen, url = [], f"{CHANGES}?page_size=2"
    while url:
        page = client.get(url).json()
        seen += [c["cursor"] for c in page["results"]]
        url = page["next"]
    assert seen == sorted(set(seen)) and len(seen) == 5
    assert client.get(CHANGES, {"cursor": page["cursor"]}).json()["results"] == []


def test_a_conditional_request_is_answered_304_until_the_catalogue_changes(client, catalog):
    first = client.get(CHANGES)
    assert first["Cache-Control"] == "public, max-age=60"
    assert client.get(CHANGES, HTTP_IF_NONE_MATCH=first["ETag"]).status_code == 304
    republish(catalog["permit"], fee="1 đồng")
    assert client.get(CHANGES, HTTP_IF_NONE_MATCH=first["ETag"]).status_code == 200


def test_the_list_says_which_cursor_its_records_are_as_of(client, catalog):
    assert client.get(LIST)["X-Changes-Cursor"] == str(cursor_now())


# --- the mirror ---------------------------------------------------------------------------------


def test_a_mirror_kept_by_full_then_incremental_syncs_is_exact(client, catalog):
    mirror = Mirror(client)
    mirror.full_sync()
    assert mirror.contents() == served(client)

    sxd = ProcedurePage.objects.get(pk=catalog["permit"].pk).get_parent()
    ubnd = ProcedurePage.objects.get(pk=catalog["birth_cb"].pk).get_parent()
    ProcedureFactory(agency=sxd, code="1.000900", title="Cấp giấy phép di dời công trình")
    republish(catalog["permit"], fee="500.000 đồng")
    mirror.incremental_sync()
    assert mirror.contents() == served(client)

    ProcedurePage.objects.get(pk=catalog["repair"].pk).move(ubnd, pos="last-child")
    republish(catalog["birth"], status=Status.ABOLISHED, abolished_on=datetime.date(2026, 1, 1))
    republish(catalog["abolished"], code="2.001000")
    ProcedurePage.objects.get(pk=catalog["birth_cb"].pk).delete()
    new_agency = AgencyFactory(province=catalog["ld"], code="SNV", title="Sở Nội vụ")
    ProcedurePage.objects.get(pk=catalog["permit"].pk).move(new_agency, pos="last-child")
    mirror.incremental_sync()
    assert mirror.contents() == served(client)

    ProcedurePage.objects.get(code="1.000900").unpublish()
    republish(catalog["birth"], fee="0 đồng")
    mirror.incremental_sync()
    assert mirror.contents() == served(client)
    assert ("lam-dong", "1.000900") not in mirror.contents()


def test_a_mirror_that_crashed_mid_page_resumes_from_its_cursor(client, catalog):
    mirror = Mirror(client)
    mirror.full_sync()
    for n in range(5):
        republish(catalog["permit"], fee=f"{n} đồng")
    ProcedurePage.objects.get(pk=catalog["repair"].pk).delete()
    stored = mirror.cursor
    mirror.incremental_sync(page_size=4, crash_after=2)
    assert mirror.cursor == stored  # nothing of the interrupted page was acknowledged
    mirror.incremental_sync(page_size=4)
    assert mirror.contents() == served(client)
    assert mirror.cursor == ProcedureChange.objects.latest("id").id

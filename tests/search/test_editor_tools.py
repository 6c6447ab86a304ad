"""What editors steer search with: synonyms, best bets, and the daily query counts behind the
analytics report; and the admin screens for all three. One small indexed catalogue for the
module."""

import datetime
import io
import re

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone
from wagtail.contrib.search_promotions.models import Query, SearchPromotion
from wagtail.models import Site

from catalog.models import ProcedurePage
from search import text
from search.backends import search
from search.backends.base import SearchQuery
from search.backends.database import DatabaseBackend
from search.documents import all_documents
from search.models import DailyQueryCount, PromotionScope, Synonym

from ..factories import (
    AgencyFactory,
    FieldFactory,
    ProcedureFactory,
    building_field,
    cao_bang_province,
    civil_field,
    lam_dong_province,
)

SEARCH = "/api/v1/search/"
PAGE = "/tim-kiem/"
NO_MATCH = "cất nhà"  # no title, keyword or name has these words

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("database_search")]


@pytest.fixture(scope="module")
def catalogue(module_transaction) -> dict:
    ld = lam_dong_province()
    cb = cao_bang_province()
    snv = AgencyFactory(province=ld, code="SNV", title="Sở Nội vụ", slug="so-noi-vu")
    sxd = AgencyFactory(province=ld, code="SXD", title="Sở Xây dựng", slug="so-xay-dung")
    ubnd = AgencyFactory(
        province=cb, code="UBND-XA", title="UBND cấp xã", tier="commune", slug="ubnd-xa"
    )
    pages = {
        "ld": ld,
        "cb": cb,
        "work": ProcedureFactory(
            agency=snv,
            code="2.000205",
            title="Cấp giấy phép lao động cho người nước ngoài",
            field=FieldFactory(code="viec-lam", name="Việc làm"),
        ),
        "permit": ProcedureFactory(
            agency=sxd,
            code="1.000894",
            title="Cấp giấy phép xây dựng",
            field=building_field(),
        ),
        "birth_cb": ProcedureFactory(
            agency=ubnd,
            code="2.000488",
            title="Đăng ký khai sinh",
            field=civil_field(),
            tier_province=False,
            tier_commune=True,
        ),
    }
    DatabaseBackend().rebuild(all_documents())
    return pages


def found(text: str, **filters) -> list[str]:
    """The procedures holding every word of `text` (not the fallback of search.backends)."""
    results = search(SearchQuery(text, **filters))
    return [] if results.searched else [hit.code for hit in results.hits]


def api(client, **params) -> dict:
    response = client.get(SEARCH, params)
    assert response.status_code == 200, response.content
    return response.json()


def promote(query: str, procedure, province=None, sort_order: int = 0) -> SearchPromotion:
    """A promoted result as the admin saves it (search.promotions): its query folded."""
    promotion = SearchPromotion.objects.create(
        query=Query.get(text.fold(query)), page=procedure, sort_order=sort_order
    )
    if province is not None:
        PromotionScope.objects.create(promotion=promotion, province=province)
    return promotion


def page_items(content: str) -> list[tuple[str, str]]:
    """The results list of the search page: (class, link) for each item."""
    listing = content.split('<ol class="results">', 1)[1].split("</ol>", 1)[0]
    return re.findall(r'<li(?: class="([^"]*)")?><a href="([^"]*)"', listing)


# --- synonyms -------------------------------------------------------------------------------------


def test_an_editors_synonym_finds_the_procedure_without_a_rebuild(catalogue):
    assert found("thẻ xanh") == []
    Synonym.objects.create(term="thẻ xanh", expansions="giấy phép lao động")
    assert found("thẻ xanh") == ["2.000205"]
    assert found("cấp thẻ xanh") == ["2.000205"]


def test_a_synonym_with_several_expansions(catalogue):
    Synonym.objects.create(term="giấy tờ nhà", expansions="giấy phép xây dựng\nđăng ký khai sinh")
    assert sorted(found("giấy tờ nhà")) == ["1.000894", "2.000488"]


def test_an_inactive_synonym_does_nothing(catalogue):
    Synonym.objects.create(term="thẻ xanh", expansions="giấy phép lao động", is_active=False)
    assert found("thẻ xanh") == []


def test_an_accented_synonym_expands_its_own_accents_and_none_but_no_other(catalogue):
    Synonym.objects.create(term="sổ xanh", expansions="giấy phép lao động")
    assert found("sổ xanh") == ["2.000205"]
    assert found("so xanh") == ["2.000205"]  # typed without accents: may mean it
    assert found("sơ xanh") == []


def test_an_unaccented_synonym_expands_queries_with_or_without_accents(catalogue):
    Synonym.objects.create(term="the xanh", expansions="giấy phép lao động")
    assert found("the xanh") == ["2.000205"]
    assert found("thẻ xanh") == ["2.000205"]


def test_a_synonym_added_in_the_admin_is_used(admin_client, catalogue):
    response = admin_client.post(
        reverse("wagtailsnippets_search_synonym:add"),
        {"term": "thẻ xanh", "expansions": "giấy phép lao động", "is_active": "on"},
    )
    assert response.status_code == 302
    assert Synonym.objects.get().term == "thẻ xanh"
    body = api(admin_client, q="thẻ xanh")
    assert [r["code"] for r in body["results"]] == ["2.000205"]


# --- best bets ------------------------------------------------------------------------------------


def test_a_best_bet_pins_a_procedure_the_query_does_not_match(client, catalogue):
    assert api(client, q=NO_MATCH)["best_bets"] == []
    promote(NO_MATCH, catalogue["permit"])

    body = api(client, q=NO_MATCH)
    assert [(b["province"], b["code"]) for b in body["best_bets"]] == [("lam-dong", "1.000894")]
    bet = body["best_bets"][0]
    assert bet["title"] == "Cấp giấy phép xây dựng"
    assert bet["url"] == catalogue["permit"].get_url()
    assert (bet["agency"], bet["field"], bet["status"]) == ("Sở Xây dựng", "Xây dựng", "active")
    # The query matches however it is typed.
    assert [b["code"] for b in api(client, q="Cat  NHA")["best_bets"]] == ["1.000894"]


def test_a_best_bet_comes_first_on_the_page_and_is_not_repeated(client, catalogue):
    promote("giấy phép", catalogue["permit"])
    content = client.get(PAGE, {"q": "giay phep"}).content.decode()
    items = page_items(content)
    assert items[0] == ("best-bet", catalogue["permit"].get_url())
    assert [link for _, link in items].count(catalogue["permit"].get_url()) == 1
    assert ("", catalogue["work"].get_url()) in items

    body = api(client, q="giay phep")
    assert [b["code"] for b in body["best_bets"]] == ["1.000894"]
    assert "1.000894" not in [r["code"] for r in body["results"]]


def test_a_best_bet_for_a_query_with_no_result_shows_on_the_page(client, catalogue):
    promote(NO_MATCH, catalogue["permit"])
    content = client.get(PAGE, {"q": NO_MATCH}).content.decode()
    assert page_items(content) == [("best-bet", catalogue["permit"].get_url())]
    assert "Không tìm thấy thủ tục phù hợp" not in content


def test_best_bets_are_on_the_first_page_only(client, catalogue):
    promote("giấy phép", catalogue["permit"])
    assert api(client, q="giay phep", page_size=1, page=2)["best_bets"] == []


def test_best_bets_are_ordered(client, catalogue):
    promote(NO_MATCH, catalogue["permit"], sort_order=2)
    promote(NO_MATCH, catalogue["work"], sort_order=1)
    assert [b["code"] for b in api(client, q=NO_MATCH)["best_bets"]] == ["2.000205", "1.000894"]


def test_a_province_best_bet_applies_in_its_province_only(client, catalogue):
    promote(NO_MATCH, catalogue["permit"], province=catalogue["ld"])
    assert [b["code"] for b in api(client, q=NO_MATCH, province="lam-dong")["best_bets"]] == [
        "1.000894"
    ]
    assert api(client, q=NO_MATCH, province="cao-bang")["best_bets"] == []
    site = Site.objects.create(hostname="dvc.caobang.example", port=80, root_page=catalogue["cb"])
    try:
        response = client.get(SEARCH, {"q": NO_MATCH}, HTTP_HOST="dvc.caobang.example")
        assert response.json()["best_bets"] == []
    finally:
        site.delete()  # also clears Wagtail's cached site list


def test_a_province_best_bet_does_not_apply_to_searches_of_every_province(client, catalogue):
    promote(NO_MATCH, catalogue["permit"], province=catalogue["ld"])
    assert api(client, q=NO_MATCH)["best_bets"] == []


def test_a_best_bet_without_a_province_follows_its_procedure(client, catalogue):
    promote(NO_MATCH, catalogue["permit"])
    assert [b["code"] for b in api(client, q=NO_MATCH)["best_bets"]] == ["1.000894"]
    assert api(client, q=NO_MATCH, province="cao-bang")["best_bets"] == []


def test_a_best_bet_of_an_unpublished_procedure_is_not_shown(client, catalogue):
    promote(NO_MATCH, catalogue["permit"])
    ProcedurePage.objects.get(pk=catalogue["permit"].pk).unpublish()
    assert api(client, q=NO_MATCH)["best_bets"] == []
    content = client.get(PAGE, {"q": NO_MATCH}).content.decode()
    assert "best-bet" not in content


# --- query counts ---------------------------------------------------------------------------------


def counts() -> list[tuple]:
    return list(
        DailyQueryCount.objects.order_by("folded_query", "province").values_list(
            "date", "folded_query", "province", "backend", "hits", "zero_result_hits", "results"
        )
    )


def test_searches_are_counted_per_query_and_day(client, catalogue):
    api(client, q="Đăng Ký   KHAI sinh")
    api(client, q="dang ki khai sinh")
    api(client, q="qwxz zzvk")
    client.get(PAGE, {"q": "giấy phép", "province": "lam-dong"})
    client.get(PAGE, {"q": "giay phep"})
    today = timezone.localdate()
    assert counts() == [
        # folded: no accents, case or extra spaces; one row for both ways of typing it
        (today, "dang ki khai sinh", "", "database", 2, 0, 1),
        (today, "giay phep", "", "database", 1, 0, 2),
        (today, "giay phep", "lam-dong", "database", 1, 0, 2),
        (today, "qwxz zzvk", "", "database", 1, 1, 0),
    ]


def test_a_new_day_starts_a_new_count(catalogue):
    today = timezone.localdate()
    yesterday = today - datetime.timedelta(days=1)
    DailyQueryCount.add_hit("khai sinh", "", "database", 0, date=yesterday)
    DailyQueryCount.add_hit("khai sinh", "", "database", 3)
    DailyQueryCount.add_hit("khai sinh", "", "database", 1)
    assert sorted(counts()) == [
        (yesterday, "khai sinh", "", "database", 1, 1, 0),
        (today, "khai sinh", "", "database", 2, 0, 1),  # what the latest search found
    ]


def test_two_workers_first_searches_of_the_day_both_count(catalogue):
    """Both workers' UPDATE found no row; the first inserts it, the second's INSERT then meets
    the unique constraint and adds its hit to that row (tests/cms/test_concurrency.py runs the
    same race in two real gunicorn workers)."""
    key = {"date": timezone.localdate(), "folded_query": "ket hon", "province": "", "backend": "x"}
    DailyQueryCount.first_hit_of_the_day(key, results=0)
    DailyQueryCount.first_hit_of_the_day(key, results=2)
    count = DailyQueryCount.objects.get()
    assert (count.hits, count.zero_result_hits, count.results) == (2, 1, 2)


def test_empty_queries_and_autocomplete_are_not_counted(client, catalogue):
    api(client, q="   ")
    client.get(PAGE)
    client.get("/api/v1/suggest/", {"q": "dang ky"})
    assert DailyQueryCount.objects.count() == 0


def test_long_queries_are_counted_cut_to_the_column(client, catalogue):
    api(client, q="giấy phép " * 60)
    count = DailyQueryCount.objects.get()
    assert len(count.folded_query) <= 200
    assert count.folded_query.startswith("giay phep giay phep")


def test_a_query_answered_by_a_best_bet_is_not_a_zero_result(client, catalogue):
    promote(NO_MATCH, catalogue["permit"])
    api(client, q=NO_MATCH)
    count = DailyQueryCount.objects.get()
    assert (count.results, count.zero_result_hits) == (1, 0)


def test_the_counts_store_nothing_personal(admin_client, admin_user, catalogue):
    admin_client.get(
        SEARCH,
        {"q": "khai sinh"},
        REMOTE_ADDR="203.0.113.7",
        HTTP_USER_AGENT="Mozilla/5.0 test-agent",
        HTTP_X_FORWARDED_FOR="198.51.100.9",
    )
    fields = {f.name for f in DailyQueryCount._meta.get_fields()}
    assert fields == {
        "id", "date", "folded_query", "province", "backend", "hits", "zero_result_hits", "results"
    }  # fmt: skip
    stored = " ".join(str(value) for value in DailyQueryCount.objects.values().get().values())
    for personal in ("203.0.113.7", "198.51.100.9", "test-agent", admin_user.username):
        assert personal not in stored


def test_old_counts_are_garbage_collected(catalogue, settings):
    today = timezone.localdate()
    for age in (0, 30, 31):
        DailyQueryCount.add_hit(
            "khai sinh", "", "database", 1, date=today - datetime.timedelta(age)
        )
    settings.SEARCH_ANALYTICS_MAX_AGE_DAYS = 30
    call_command("search_analytics_garbage_collect", stdout=io.StringIO())
    assert sorted(DailyQueryCount.objects.values_list("date", flat=True)) == [
        today - datetime.timedelta(30),
        today,
    ]


# --- the admin ------------------------------------------------------------------------------------


def test_the_analytics_report_shows_weekly_counts_and_zero_result_queries(admin_client, catalogue):
    for q in ("khai sinh", "Khai Sinh", "giấy phép", "qwxz zzvk", "thẻ xanh"):
        api(admin_client, q=q)
    ten_weeks_ago = timezone.localdate() - datetime.timedelta(weeks=10)
    DailyQueryCount.add_hit("cu lam", "", "database", 0, date=ten_weeks_ago)

    response = admin_client.get(reverse("search_analytics"))
    assert response.status_code == 200
    content = response.content.decode()
    today = timezone.localdate()
    monday = today - datetime.timedelta(days=today.weekday())
    assert re.search(rf"<tr><td>{monday:%d/%m/%Y}</td><td>5</td><td>2</td></tr>", content), (
        "this week: 5 searches, 2 without result"
    )
    zero_section = content.split("Không có kết quả</h2>", 1)[1]
    zero_rows = re.findall(r"<tr><td>([^<]+)</td><td>(\d+)</td></tr>", zero_section)
    assert sorted(zero_rows) == [("qwxz zzvk", "1"), ("the xanh", "1")]
    assert "cu lam" not in content  # older than the report's eight weeks
    assert 'href="/tim-kiem/?q=khai%20sinh">khai sinh</a></td><td>2</td>' in content


def test_the_analytics_report_is_listed_under_reports(admin_client, catalogue):
    content = admin_client.get(reverse("wagtailadmin_home")).content.decode()
    assert reverse("search_analytics") in content
    assert reverse("wagtailsearchpromotions:search_terms") not in content  # Wagtail's, unfed


def test_the_analytics_report_is_for_editors_only(client, catalogue):
    response = client.get(reverse("search_analytics"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("wagtailadmin_login"))


def test_the_synonym_and_promoted_result_listings_render(admin_client, catalogue):
    Synonym.objects.create(term="thẻ xanh", expansions="giấy phép lao động")
    promote(NO_MATCH, catalogue["permit"], province=catalogue["ld"])

    synonyms = admin_client.get(reverse("wagtailsnippets_search_synonym:list"))
    assert synonyms.status_code == 200
    assert "thẻ xanh" in synonyms.content.decode()
    assert "giấy phép lao động" in synonyms.content.decode()

    promoted = admin_client.get(reverse("wagtailsearchpromotions:index"))
    assert promoted.status_code == 200
    content = promoted.content.decode()
    assert text.fold(NO_MATCH) in content
    assert "Cấp giấy phép xây dựng" in content


def promotion_form(query: str, procedure, province=None, **extra) -> dict:
    return {
        "query_string": query,
        "editors_picks-TOTAL_FORMS": 1,
        "editors_picks-INITIAL_FORMS": 0,
        "editors_picks-MAX_NUM_FORMS": 1000,
        "editors_picks-0-DELETE": "",
        "editors_picks-0-ORDER": 0,
        "editors_picks-0-page": procedure.pk,
        "editors_picks-0-province": province.pk if province else "",
        **extra,
    }


def test_a_promoted_result_added_on_wagtails_screen_is_folded_and_scoped(admin_client, catalogue):
    add = reverse("wagtailsearchpromotions:add")
    form = admin_client.get(add).content.decode()
    assert 'name="editors_picks-__prefix__-province"' in form  # the province, on Wagtail's form

    response = admin_client.post(
        add, promotion_form("Sổ  ĐỎ", catalogue["permit"], province=catalogue["ld"])
    )
    assert response.status_code == 302, response.content.decode()
    promotion = SearchPromotion.objects.get()
    assert promotion.query.query_string == "so do"
    assert promotion.scope.province == catalogue["ld"]
    assert [b["code"] for b in api(admin_client, q="so do", province="lam-dong")["best_bets"]] == [
        "1.000894"
    ]
    assert api(admin_client, q="sổ đỏ")["best_bets"] == []  # Lâm Đồng's searches only

    edit = reverse("wagtailsearchpromotions:edit", args=[promotion.query_id])
    content = admin_client.get(edit).content.decode()
    assert f'<option value="{catalogue["ld"].pk}" selected>' in content
    data = promotion_form("so do", catalogue["permit"], **{
        "editors_picks-INITIAL_FORMS": 1, "editors_picks-0-id": promotion.pk
    })  # fmt: skip
    assert admin_client.post(edit, data).status_code == 302
    assert not PromotionScope.objects.exists()  # now for every province's searches
    assert [b["code"] for b in api(admin_client, q="sổ đỏ")["best_bets"]] == ["1.000894"]


def test_only_a_procedure_can_be_promoted(admin_client, catalogue):
    response = admin_client.post(
        reverse("wagtailsearchpromotions:add"), promotion_form("gpxd", catalogue["ld"])
    )
    assert response.status_code == 200
    assert "Chỉ chọn một trang thủ tục." in response.content.decode()
    assert not SearchPromotion.objects.exists()

"""The feed's ?q= folds as the search does (cms.text): "dang ki", "dang ky", "đăng ký" and
"ĐĂNG KÝ" find the same procedures, and the feed and /api/v1/search/ agree on which procedures
hold every word of a query in their title."""

import re
import unicodedata

import pytest
from django.test import override_settings

from catalog.models import ProcedurePage
from cms.text import fold
from search.backends import configured_backend
from search.backends.database import DatabaseBackend
from search.documents import all_documents

from ..factories import AgencyFactory, ProcedureFactory

pytestmark = pytest.mark.django_db

TITLES = {
    "T.01": "Đăng ký khai sinh",
    "T.02": "Đăng kí kết hôn",
    "T.03": "ĐĂNG KÝ THƯỜNG TRÚ",
    "T.04": "Cấp lại Giấy chứng nhận đăng ký kinh doanh hộ kinh doanh",
    "T.05": "Cấp Phiếu lý lịch tư pháp",
    "T.06": "Cấp Phiếu lí lịch tư pháp cho người nước ngoài",
    "T.07": "Công nhận hoà giải viên",
    "T.08": "Thôi làm hòa giải viên",
    "T.09": "Kiểm định kỹ thuật an toàn lao động",
    "T.10": "Cấp chứng chỉ kĩ thuật viên",
    "T.11": "Cấp giấy phép khai thác thuỷ sản",
    "T.12": "Cấp giấy phép nuôi trồng thủy sản",
    "T.13": "Cấp giấy phép xây dựng",
}


@pytest.fixture(scope="module")
def catalogue(module_transaction):
    agency = AgencyFactory(code="STP", title="Sở Tư pháp")
    for code, title in TITLES.items():
        ProcedureFactory(agency=agency, code=code, title=title)


def feed(client, q: str) -> set[str]:
    response = client.get("/api/v1/procedures/", {"q": q, "page_size": 500})
    assert response.status_code == 200, response.content
    return {record["code"] for record in response.json()["results"]}


def nfd(text: str) -> str:
    return unicodedata.normalize("NFD", text)


@pytest.mark.parametrize(
    ("spellings", "expected"),
    [
        (
            ["dang ki", "dang ky", "đăng ký", "ĐĂNG KÝ", "Đăng kí", nfd("đăng ký")],
            {"T.01", "T.02", "T.03", "T.04"},
        ),
        (["dang ki ket hon", "ĐĂNG KÝ KẾT HÔN", "đăng kí kết hôn"], {"T.02"}),
        (["ly lich tu phap", "lí lịch tư pháp", "LÝ LỊCH TƯ PHÁP"], {"T.05", "T.06"}),
        (["hoa giai vien", "hoà giải viên", "hòa giải viên"], {"T.07", "T.08"}),
        (["ky thuat", "kĩ thuật", "KỸ THUẬT"], {"T.09", "T.10"}),
        (["thuy san", "thuỷ sản", "thủy sản"], {"T.11", "T.12"}),
    ],
)
def test_every_spelling_of_a_query_finds_the_same_procedures(
    client, catalogue, spellings, expected
):
    assert {q: feed(client, q) for q in spellings} == {q: expected for q in spellings}


# --- the feed and the search API ----------------------------------------------------------------

AGREEMENT_QUERIES = [
    "dang ky",
    "dang ki",
    "Đăng kí",
    "ĐĂNG KÝ",
    "ly lich",
    "lí lịch",
    "lý lịch tư pháp",
    "hoa giai",
    "hoà giải",
    "hòa giải viên",
    "ky thuat",
    "kỹ thuật",
    "thuỷ sản",
    "thủy sản",
]


def folded_words(text: str) -> set[str]:
    return set(re.findall(r"\w+", fold(text)))


def holding_every_word(codes: set[str], q: str) -> set[str]:
    """The procedures among `codes` whose title holds every folded word of the query, whole."""
    titles = dict(ProcedurePage.objects.filter(code__in=codes).values_list("code", "title"))
    return {code for code, title in titles.items() if folded_words(q) <= folded_words(title)}


@pytest.fixture(scope="module")
def indexed(catalogue):
    with override_settings(ELASTICSEARCH_URL=""):  # the embedded database backend
        configured_backend.cache_clear()
        DatabaseBackend().rebuild(all_documents())
        yield
    configured_backend.cache_clear()


def searched(client, q: str) -> set[str]:
    response = client.get("/api/v1/search/", {"q": q, "page_size": 100})
    assert response.status_code == 200, response.content
    return {hit["code"] for hit in response.json()["results"]}


@pytest.mark.parametrize("q", AGREEMENT_QUERIES)
def test_the_feed_and_the_search_agree_on_titles_holding_every_word(client, indexed, q):
    everything = holding_every_word(set(TITLES), q)
    assert everything, "the query should match some titles"
    assert holding_every_word(feed(client, q), q) == everything
    assert holding_every_word(searched(client, q), q) == everything

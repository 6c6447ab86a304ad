"""What only the database backend does: its in-memory entry table (filters, facets, standing)
follows every write, also across rolled-back transactions; of many matches it ranks those most
likely to come first; it pages through at most MAX_PAGED_RESULTS; it corrects typos only when
nothing else matched."""

import pytest
from django.db import connection, transaction

from search.backends import database
from search.backends.base import SearchQuery
from search.backends.database import DatabaseBackend, engines
from search.backends.entry_table import entry_table
from search.documents import documents_for_ids

from ..factories import (
    AgencyFactory,
    FieldFactory,
    ProcedureFactory,
    ProvinceFactory,
)


class RolledBack(Exception):
    pass


@pytest.fixture
def agency(db):
    province = ProvinceFactory(code="ha-giang", title="Hà Giang", allowed_submission_domains="")
    return AgencyFactory(province=province, code="SNN", title="Sở Nông nghiệp")


def index(*pages):
    DatabaseBackend().index(documents_for_ids(page.pk for page in pages))


def found(query):
    return [hit.code for hit in DatabaseBackend().search(SearchQuery(query)).hits]


def test_a_write_after_a_rolled_back_one_is_seen(agency):
    """The table is read again when the index's version token changes; a counter would come
    back to the same number after a rollback and hide the next write."""
    field = FieldFactory(code="thuy-loi", name="Thủy lợi")
    index(ProcedureFactory(agency=agency, code="1.000001", title="Cấp phép xả thải", field=field))
    assert found("xa thai") == ["1.000001"]
    with pytest.raises(RolledBack), transaction.atomic():
        index(ProcedureFactory(agency=agency, code="1.000002", title="Cấp phép xả lũ"))
        assert found("xa lu") == ["1.000002"]
        raise RolledBack
    index(ProcedureFactory(agency=agency, code="1.000003", title="Cấp phép xả nước", field=field))
    assert found("xa nuoc") == ["1.000003"]
    assert {
        f.value: f.count for f in DatabaseBackend().search(SearchQuery("xa")).facets["field"]
    } == {"thuy-loi": 2}


def test_removing_a_procedure_updates_counts(agency):
    pages = [
        ProcedureFactory(agency=agency, code=f"1.00001{n}", title=f"Cấp phép khai thác cát {n}")
        for n in range(3)
    ]
    index(*pages)
    assert DatabaseBackend().search(SearchQuery("khai thac cat")).total == 3
    DatabaseBackend().remove([pages[0].pk])
    results = DatabaseBackend().search(SearchQuery("khai thac cat"))
    assert results.total == 2
    assert sum(f.count for f in results.facets["agency"]) == 2
    assert pages[0].pk not in entry_table().standing


def test_of_many_matches_those_with_the_query_s_word_pairs_are_ranked(agency, monkeypatch):
    """When a way of matching finds more than are ranked, the titles holding most of the
    query's adjacent word pairs (the bonus that orders a tier) are, not just the shortest."""
    monkeypatch.setattr(database, "RANK_LIMIT", 3)
    short = ["Nước cấp phép giấy", "Phép giấy nước cấp", "Giấy nước phép cấp"]  # no pair
    index(
        *(
            ProcedureFactory(agency=agency, code=f"1.00003{n}", title=t)
            for n, t in enumerate(short)
        ),
        ProcedureFactory(agency=agency, code="1.000039", title="Cấp giấy phép xả nước thải"),
    )
    results = DatabaseBackend().search(SearchQuery("cap giay phep nuoc", page_size=3))
    assert results.total == 4
    assert results.hits[0].code == "1.000039"


def test_all_words_in_the_keywords_outrank_words_split_over_title_and_keywords(agency, monkeypatch):
    monkeypatch.setattr(database, "RANK_LIMIT", 3)
    split = [
        ProcedureFactory(agency=agency, code=f"1.00004{n}", title=f"Nuôi ong {n}", keywords="mật")
        for n in range(4)
    ]
    in_keywords = ProcedureFactory(
        agency=agency,
        code="1.000049",
        title="Thủ tục chứng nhận cơ sở chăn nuôi côn trùng có ích",
        keywords="ong mật; nuôi",
    )
    index(*split, in_keywords)
    results = DatabaseBackend().search(SearchQuery("nuoi ong mat", page_size=3))
    assert results.total == 5
    assert results.hits[0].code == "1.000049"


def test_codes_are_counted_and_ranked_within_the_filters(agency, monkeypatch):
    """National codes repeat in every province: the province's own must not be cut off by
    other provinces' codes that sort first."""
    monkeypatch.setattr(database, "RANK_LIMIT", 3)
    other = AgencyFactory(
        province=ProvinceFactory(code="lao-cai", title="Lào Cai", allowed_submission_domains=""),
        code="SNN-LC",
        title="Sở Nông nghiệp Lào Cai",
    )
    pages = [
        ProcedureFactory(agency=agency, code=f"1.00005{n}", title=f"Thủ tục {n}") for n in range(4)
    ]
    pages.append(ProcedureFactory(agency=other, code="1.000059", title="Thủ tục Lào Cai"))
    index(*pages)
    assert DatabaseBackend().search(SearchQuery("1.00005")).total == 5
    in_lao_cai = DatabaseBackend().search(SearchQuery("1.00005", province="lao-cai"))
    assert (in_lao_cai.total, [hit.code for hit in in_lao_cai.hits]) == (1, ["1.000059"])


def test_results_are_paged_up_to_the_limit_and_all_counted(agency, monkeypatch):
    monkeypatch.setattr(database, "RANK_LIMIT", 3)
    monkeypatch.setattr(database, "MAX_PAGED_RESULTS", 10)
    index(
        *(
            ProcedureFactory(agency=agency, code=f"1.0001{n:02d}", title=f"Cấp phép trồng rừng {n}")
            for n in range(12)
        )
    )
    pages = [
        DatabaseBackend().search(SearchQuery("trong rung", page=number, page_size=5))
        for number in (1, 2, 3)
    ]
    assert [page.total for page in pages] == [12, 12, 12]
    assert [len(page.hits) for page in pages] == [5, 5, 0]
    assert len({hit.code for page in pages for hit in page.hits}) == 10


def test_words_are_not_corrected_once_the_query_found_something(agency):
    """Here "hồng" is in no title, yet "sổ hồng" found its meaning through synonyms: taking
    "hồng" for a typo of "cổng" would add every gate permit. (Elasticsearch, whose fuzziness is
    a tier of the one query, ranks such matches last instead.)"""
    owned = ProcedureFactory(
        agency=agency, code="1.004228", title="Cấp giấy chứng nhận quyền sở hữu nhà ở"
    )
    gate = ProcedureFactory(agency=agency, code="1.009002", title="Cấp phép mở cổng ra đường")
    index(owned, gate)
    assert found("sổ hồng") == ["1.004228"]
    assert found("cap phep mo hong") == ["1.009002"]  # nothing else matched: a typo


def test_pages_of_code_matches_neither_repeat_nor_skip(agency, monkeypatch):
    monkeypatch.setattr(database, "RANK_LIMIT", 4)
    index(
        *(
            ProcedureFactory(
                agency=agency, code=f"2.0003{n:02d}", title="Cấp phép" + " x" * (11 - n)
            )
            for n in range(12)
        )
    )  # the later the code, the shorter the title: ranked other than in code order
    pages = [
        DatabaseBackend().search(SearchQuery("2.0003", page=number, page_size=3)).hits
        for number in (1, 2, 3, 4)
    ]
    seen = [hit.code for page in pages for hit in page]
    assert len(seen) == len(set(seen)) == 12


def test_words_split_over_title_and_keywords_outrank_words_in_the_body(agency, monkeypatch):
    monkeypatch.setattr(database, "RANK_LIMIT", 3)
    in_body = [
        ProcedureFactory(
            agency=agency, code=f"1.00008{n}", title=f"Thủ tục {n}",
            requirements="Khai thác mật ong trong rừng tự nhiên",
        )
        for n in range(4)
    ]  # fmt: skip
    split = ProcedureFactory(  # two words in its title, though not side by side
        agency=agency, code="1.000089", title="Nuôi ong lấy mật", keywords="rừng"
    )
    index(*in_body, split)
    results = DatabaseBackend().search(SearchQuery("mat ong rung", page_size=3))
    assert results.total == 5
    assert results.hits[0].code == "1.000089"


@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL's query plans")
def test_postgresql_matches_through_its_full_text_indexes(agency):
    """The whole-text expression must stay the one migration 0002 indexed."""
    index(ProcedureFactory(agency=agency, code="1.000061", title="Cấp phép khai thác cát"))
    engine = engines.PostgresEngine()
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
        for columns in (engines.ALL, engines.TITLE, engines.KEYWORDS, engines.SPLIT):
            sql, params = engine.query(engine.expression([["cat"]], columns))
            cursor.execute(f"EXPLAIN {sql}", params)
            plan = " ".join(row[0] for row in cursor.fetchall())
            assert "Bitmap Index Scan on search_entry_" in plan, plan

"""What only the database backend does: its in-memory entry table (filters, facets, standing)
follows every write, also across rolled-back transactions; of many matches it ranks those that
stand highest; it corrects typos only when nothing else matched."""

import pytest
from django.db import transaction

from search.backends import database
from search.backends.base import SearchQuery
from search.backends.database import DatabaseBackend
from search.backends.entry_table import entry_table
from search.documents import documents_for_ids

from ..factories import AgencyFactory, FieldFactory, ProcedureFactory, ProvinceFactory


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


def test_past_the_ranked_depth_the_most_popular_and_shortest_titles_come_first(agency, monkeypatch):
    """When a way of matching finds more than are worth ranking, the ranked ones are those
    that stand highest (popularity, then title length), the order ranking breaks ties in."""
    monkeypatch.setattr(database, "RANK_LIMIT", 3)
    pages = [
        ProcedureFactory(
            agency=agency, code=f"1.00002{n}", title="Cấp phép nuôi ong" + " mật" * (5 - n)
        )
        for n in range(6)
    ]  # the later, the shorter: not the order the engine finds them in
    index(*pages)
    results = DatabaseBackend().search(SearchQuery("nuoi ong", page_size=3))
    assert results.total == 6
    assert [hit.code for hit in results.hits] == ["1.000025", "1.000024", "1.000023"]


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

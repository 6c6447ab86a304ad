"""generate_catalog: deterministic synthetic procedures, clearly marked, for benchmarks."""

import csv

import pytest

from catalog.models import ProcedurePage, ProvincePage

from .helpers import VIETNAMESE_HEADERS, run, summary

pytestmark = pytest.mark.django_db

MARK = "[dữ liệu tổng hợp]"


def generate(path, seed: int, count: int = 20) -> bytes:
    result = run("generate_catalog", "--procedures", count, "--seed", seed, "--output", path)
    assert not result.failed, result.err
    return path.read_bytes()


def test_the_same_seed_gives_the_same_bytes(tmp_path):
    first = generate(tmp_path / "a.csv", seed=3)

    assert generate(tmp_path / "b.csv", seed=3) == first
    assert generate(tmp_path / "c.csv", seed=4) != first


def test_generated_rows_are_marked_synthetic_and_in_the_import_columns(tmp_path):
    data = generate(tmp_path / "x.csv", seed=3)

    assert data.startswith(b"\xef\xbb\xbf")
    rows = list(csv.DictReader(data.decode("utf-8-sig").splitlines()))
    assert list(rows[0]) == VIETNAMESE_HEADERS
    assert len(rows) == 20
    assert all(MARK in r["Tên thủ tục"] for r in rows)
    assert len({r["Mã thủ tục"] for r in rows}) == 20
    assert {r["Mã tỉnh"] for r in rows} == {"tong-hop"}


def test_generate_without_output_imports_the_procedures(db):
    result = run("generate_catalog", "--procedures", 20, "--seed", 3)

    assert not result.failed, result.err
    assert summary(created=20) in result.out
    province = ProvincePage.objects.get(code="tong-hop")
    procedures = ProcedurePage.objects.filter(province=province)
    assert procedures.count() == 20
    assert all(MARK in title for title in procedures.values_list("title", flat=True))


def test_generate_into_another_province(db):
    result = run("generate_catalog", "--procedures", 3, "--province", "thu-nghiem")

    assert not result.failed, result.err
    assert ProcedurePage.objects.filter(province__code="thu-nghiem").count() == 3


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--procedures", 0], "--procedures"),
        (["--procedures", 2, "--output", "x.json"], ".csv hoặc .xlsx"),
    ],
)
def test_generate_refuses_bad_arguments(tmp_path, db, args, message):
    args = [tmp_path / a if str(a).endswith(".json") else a for a in args]

    result = run("generate_catalog", *args)

    assert result.failed and message in str(result.error)
    assert not ProcedurePage.objects.exists()

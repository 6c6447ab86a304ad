"""import_catalog: upsert procedures from .xlsx, .csv or .json.

Every row is checked before anything is kept. By default the import is atomic: one bad row and
nothing is written. Each problem names its row (as the spreadsheet numbers it), its column and
the reason, in Vietnamese with English beside it.
"""

from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from itertools import islice
from pathlib import Path

from django.core.exceptions import ValidationError
from django.db import transaction

from ..models import ProcedurePage, ProvincePage
from ..publishing import BulkPublisher
from ..records import public_procedures
from .columns import COLUMNS, split_lines
from .export import export_record, flat_row
from .flat_rows import parse_flat_row
from .json_rows import parse_json_row
from .procedures import ProcedureWriter
from .readers import Sheet, read_file
from .report import (
    MISSING_COLUMNS,
    NO_PROVINCE,
    REPEATED_CODE,
    UNKNOWN_COLUMN,
    ImportReport,
    Problem,
    bilingual_errors,
)
from .resolver import Resolver
from .rows import Ref, RowPlan, forms_by_key, province_by_code

CHUNK_ROWS = 200  # rows planned together, so the pages they update are read in one query


@dataclass
class ImportOptions:
    province: str | None = None
    dry_run: bool = False
    skip_invalid: bool = False
    user: object = None
    progress: Callable[[Iterable], Iterable] = iter


def import_catalog(path: Path, options: ImportOptions) -> ImportReport:
    """Read, check and write row by row inside one transaction; keep it only when it may be kept
    (no rejected row, or --skip-invalid) and this is not a dry run."""
    report = ImportReport()
    # Lookups are cached for one run only: the library and the provinces may change between runs.
    province_by_code.cache_clear()
    forms_by_key.cache_clear()
    sheet = read_file(path)
    if not sheet.is_json:
        _check_header(sheet, report)
    if not report.errors:
        default_province = _default_province(options.province, sheet, report)
    if not report.errors:
        _run(sheet, default_province, path.name, options, report)
    return report


# --- reading and checking rows ------------------------------------------------------------


def _check_header(sheet: Sheet, report: ImportReport) -> None:
    for header in sheet.unknown_headers:
        report.warn(1, header, UNKNOWN_COLUMN, header=header)
    missing = [c for c in COLUMNS if c.required and c.key not in sheet.columns]
    if missing:
        names = ", ".join(f"{c.key} ({c.header})" for c in missing)
        report.error(1, None, MISSING_COLUMNS, columns=names)


def _default_province(code: str | None, sheet: Sheet, report: ImportReport):
    """The province rows go to when they name none: --province, or the only one there is."""
    if code:
        province = ProvincePage.objects.filter(code=code).first()
        return province or Ref(code=code, name=code)
    provinces = list(ProvincePage.objects.all()[:2])
    if len(provinces) == 1:
        return provinces[0]
    if "province" not in sheet.columns and not sheet.is_json:
        report.error(None, None, NO_PROVINCE)
    return None  # each row must name its province


def _plan_row(number, raw, default_province, sheet, first_row_of_code, report) -> RowPlan | None:
    """The row checked and planned, or None (with the reasons in the report) when it is bad."""
    errors_before = len(report.errors)
    parse = parse_json_row if sheet.is_json else parse_flat_row
    plan = parse(number, raw, default_province, report)
    if plan.province is None and plan.province_ref is None:
        report.error(number, "province", NO_PROVINCE)
    else:
        key = (plan.province.code if plan.province else plan.province_ref.code, plan.data.code)
        if key in first_row_of_code:
            first = first_row_of_code[key]
            report.error(number, "code", REPEATED_CODE, code=plan.data.code, first=first)
        else:
            first_row_of_code[key] = number
    return plan if len(report.errors) == errors_before else None


def _run(sheet: Sheet, default_province, source: str, options: ImportOptions, report) -> None:
    rejected_rows: set[int] = set()
    first_row_of_code: dict[tuple, int] = {}
    with transaction.atomic():
        with BulkPublisher(user=options.user, source=source) as publisher:
            resolver = Resolver(publisher, report, sheet.document)
            writer = ProcedureWriter(publisher)
            if sheet.is_json:
                resolver.create_described(options.province)
            to_link = []
            for chunk in batched(options.progress(sheet.rows), CHUNK_ROWS):
                plans = []
                for number, raw in chunk:
                    plan = _plan_row(
                        number, raw, default_province, sheet, first_row_of_code, report
                    )
                    if plan is None:
                        rejected_rows.add(number)
                    else:
                        plans.append(plan)
                published = _published_pages(plans)
                for plan in plans:
                    savepoint = transaction.savepoint()
                    try:
                        existing = published.get((_province_code(plan), plan.data.code))
                        outcome = _write_row(plan, resolver, writer, existing)
                    except ValidationError as error:
                        transaction.savepoint_rollback(savepoint)
                        resolver.forget_row()
                        _reject(plan, error, report, rejected_rows)
                        continue
                    transaction.savepoint_commit(savepoint)
                    resolver.keep_row()
                    if plan.refers_to_procedures:
                        to_link.append(plan)
                    setattr(report, outcome, getattr(report, outcome) + 1)
            for plan, error in _link_procedures(to_link, resolver, writer):
                _reject(plan, error, report, rejected_rows)
        report.rejected = len(rejected_rows)
        keep = not options.dry_run and (options.skip_invalid or not rejected_rows)
        if not keep:
            transaction.set_rollback(True)
            report.new_agencies, report.new_fields = (
                [f"{a} (chưa ghi / not written)" for a in report.new_agencies],
                [f"{f} (chưa ghi / not written)" for f in report.new_fields],
            )
        report.written = keep


def _reject(plan: RowPlan, error: ValidationError, report: ImportReport, rejected: set) -> None:
    rejected.add(plan.row)
    for column, problem in _errors_by_column(error):
        for message in bilingual_errors(problem):
            report.errors.append(Problem(plan.row, column, message))


def _link_procedures(plans: list[RowPlan], resolver: Resolver, writer: ProcedureWriter):
    """Related procedures and successors may name rows further down the file: link them once
    every row is in. Yields (plan, error) for the links that do not validate."""
    for plan in plans:
        province = resolver.province(plan.province, plan.province_ref)
        plan.data.related_procedures = resolver.procedures(province, plan.related_codes or [])
        successor = resolver.procedures(
            province, [plan.successor_code] if plan.successor_code else []
        )
        plan.data.values["successor"] = successor[0] if successor else None
        agency = resolver.agency(province, plan.agency)
        try:
            writer.upsert(agency, plan.data)
        except ValidationError as error:
            yield plan, error


def batched(rows: Iterable, size: int) -> Iterator[list]:
    """Rows in lists of `size` (itertools.batched arrives with Python 3.12)."""
    rows = iter(rows)
    while chunk := list(islice(rows, size)):
        yield chunk


def _province_code(plan: RowPlan) -> str:
    return plan.province.code if plan.province is not None else plan.province_ref.code


def _published_pages(plans: list[RowPlan]) -> dict[tuple[str, str], ProcedurePage]:
    """The published procedures these rows name, with everything their record reads, in one
    read per province: a row-by-row read of the wide page model costs more than the write."""
    codes = defaultdict(set)
    for plan in plans:
        codes[_province_code(plan)].add(plan.data.code)
    found = {}
    for province_code, province_codes in codes.items():
        pages = public_procedures().filter(province__code=province_code, code__in=province_codes)
        found.update({(province_code, page.code): page for page in pages})
    return found


def _write_row(plan: RowPlan, resolver: Resolver, writer: ProcedureWriter, existing) -> str:
    province = resolver.province(plan.province, plan.province_ref)
    agency = resolver.agency(province, plan.agency)
    plan.data.values["field"] = resolver.field(plan.field)
    if plan.co_agencies is not None:
        plan.data.co_agencies = [resolver.agency(province, ref) for ref in plan.co_agencies]
    if plan.subjects is not None:
        plan.data.subjects = resolver.subjects(plan.subjects)
    if plan.life_events is not None:
        plan.data.life_events = resolver.life_events(plan.life_events)
    if plan.refers_to_procedures:
        # Linked after every row is in (_link_procedures); the first pass leaves them as they are.
        plan.data.related_procedures = None
    if existing is not None:
        keep_unchanged_structure(plan, existing)
    _page, outcome = writer.upsert(agency, plan.data, page=existing)
    return outcome


def keep_unchanged_structure(plan: RowPlan, existing: ProcedurePage) -> None:
    """A spreadsheet flattens steps, documents and legal basis to lines of text. When a cell
    still reads exactly as the existing procedure flattens, the editor did not touch it: keep
    the structured original (step titles, document cases and counts, legal dates, links)."""
    if not plan.flat_cells:
        return
    current = flat_row(export_record(existing))
    for key, cell in plan.flat_cells.items():
        if split_lines(current[key]) == split_lines(cell):
            plan.data.values.pop(key, None)


def _errors_by_column(error: ValidationError):
    """A model's validation errors, keyed by the import column they belong to."""
    column_of = {"tier_province": "tiers", "tier_district": "tiers", "tier_commune": "tiers"}
    if not hasattr(error, "error_dict"):
        yield None, error
        return
    for name, errors in error.error_dict.items():
        yield column_of.get(name, name), ValidationError(errors)

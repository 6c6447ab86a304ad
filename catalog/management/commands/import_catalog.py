"""import_catalog FILE [--dry-run] [--skip-invalid] [--province CODE]"""

import sys
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from tqdm import tqdm

from catalog.transfer.readers import ReadError
from catalog.transfer.run import ImportOptions, import_catalog


class Command(BaseCommand):
    help = (
        "Nhập (thêm mới hoặc cập nhật theo mã) thủ tục từ tệp .xlsx, .csv hoặc .json. "
        "Import procedures (upsert by code) from .xlsx, .csv or .json."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path)
        parser.add_argument("--dry-run", action="store_true", help="Chỉ kiểm tra, không ghi.")
        parser.add_argument(
            "--skip-invalid", action="store_true", help="Ghi các dòng hợp lệ, liệt kê dòng lỗi."
        )
        parser.add_argument("--province", help="Mã tỉnh (tạo mới nếu chưa có).")

    def handle(self, *args, file: Path, dry_run, skip_invalid, province, **options):
        interactive = self.stdout.isatty()
        options = ImportOptions(
            province=province,
            dry_run=dry_run,
            skip_invalid=skip_invalid,
            progress=lambda rows: tqdm(
                rows, desc="Nhập / importing", unit="dòng", disable=not interactive, file=sys.stderr
            ),
        )
        try:
            report = import_catalog(file, options)
        except ReadError as error:
            raise CommandError(str(error)) from error
        for problem in report.errors:
            self.stderr.write(f"LỖI / ERROR {problem}")
        for problem in report.warnings:
            self.stdout.write(f"CẢNH BÁO / WARNING {problem}")
        for agency in report.new_agencies:
            self.stdout.write(f"Cơ quan mới / new agency: {agency}")
        for field in report.new_fields:
            self.stdout.write(f"Lĩnh vực mới / new field: {field}")
        self.stdout.write(
            f"Tạo mới / created: {report.created}, cập nhật / updated: {report.updated}, "
            f"không đổi / unchanged: {report.unchanged}, bị từ chối / rejected: {report.rejected}"
        )
        if dry_run:
            self.stdout.write("Chạy thử: không ghi gì. (Dry run: nothing was written.)")
        elif report.rejected and report.written:
            self.stdout.write(
                "Đã ghi các dòng hợp lệ; các dòng lỗi ở trên không được ghi. "
                "(The valid rows were written; the rows listed above were not.)"
            )
        elif report.rejected:
            self.stdout.write(
                "Không ghi gì vì có dòng lỗi; sửa các dòng trên hoặc dùng --skip-invalid. "
                "(Nothing was written because some rows are invalid.)"
            )
        if report.errors and not report.rejected:
            raise CommandError("Không nhập được tệp. (The file was not imported.)", returncode=1)
        if report.errors:
            raise CommandError(
                f"{report.rejected} dòng bị từ chối. ({report.rejected} rows rejected.)",
                returncode=1,
            )

"""generate_catalog --procedures N [--province CODE] [--seed S] [--output FILE]

Synthetic procedures for benchmarks, titles marked "[dữ liệu tổng hợp]". With --output the rows
are written to a .csv or .xlsx file; without it they go straight through import_catalog.
"""

import tempfile
from pathlib import Path

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError

from catalog.synthetic import synthetic_rows
from catalog.transfer.export import write_rows_csv, write_rows_xlsx


class Command(BaseCommand):
    help = "Tạo danh mục thủ tục tổng hợp để đo hiệu năng (Synthetic catalogue for benchmarks)."

    def add_arguments(self, parser):
        parser.add_argument("--procedures", type=int, required=True)
        parser.add_argument("--province", default="tong-hop", help="Mã tỉnh (mặc định tong-hop).")
        parser.add_argument("--seed", type=int, default=1)
        parser.add_argument("--output", type=Path, help=".csv hoặc .xlsx; bỏ trống: nhập luôn.")

    def handle(self, *args, procedures: int, province: str, seed: int, output, **options):
        if procedures < 1:
            raise CommandError("--procedures phải lớn hơn 0. (--procedures must be positive.)")
        rows = synthetic_rows(procedures, seed=seed, province=province)
        if output is not None:
            self.write(output, rows)
            self.stderr.write(f"Đã tạo {procedures} thủ tục tổng hợp trong {output}.")
            return
        with tempfile.TemporaryDirectory() as folder:
            path = Path(folder) / f"tong-hop-{seed}.csv"
            self.write(path, rows)
            call_command("import_catalog", str(path), stdout=self.stdout, stderr=self.stderr)

    def write(self, path: Path, rows) -> None:
        if path.suffix.lower() == ".xlsx":
            write_rows_xlsx(path, rows)
        elif path.suffix.lower() == ".csv":
            with path.open("w", encoding="utf-8", newline="") as out:
                write_rows_csv(out, rows)
        else:
            raise CommandError(
                "--output phải là .csv hoặc .xlsx. (--output must be .csv or .xlsx.)"
            )

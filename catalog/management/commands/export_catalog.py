"""export_catalog --format json|csv|xlsx [--output FILE] [--province CODE]"""

import sys
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from catalog.models import ProvincePage
from catalog.transfer.export import write_csv, write_json, write_xlsx


class Command(BaseCommand):
    help = "Xuất toàn bộ danh mục thủ tục (Export the whole catalogue)."

    def add_arguments(self, parser):
        parser.add_argument("--format", choices=["json", "csv", "xlsx"], required=True)
        parser.add_argument("--output", type=Path, help="Tệp đích; mặc định: đầu ra chuẩn.")
        parser.add_argument("--province", help="Chỉ xuất một tỉnh (mã tỉnh).")

    def handle(self, *args, format: str, output: Path | None, province: str | None, **options):
        if province and not ProvincePage.objects.filter(code=province).exists():
            raise CommandError(f"Không có tỉnh mã {province}. (No province with this code.)")
        if format == "xlsx":
            if output is None:
                raise CommandError("Định dạng xlsx cần --output TỆP. (xlsx needs --output FILE.)")
            count = write_xlsx(output, province)
        elif output is None:
            count = (write_json if format == "json" else write_csv)(sys.stdout, province)
        else:
            # newline="" keeps the CSV's CRLF line ends as csv.writer wrote them.
            with output.open("w", encoding="utf-8", newline="") as out:
                count = (write_json if format == "json" else write_csv)(out, province)
        if output is not None:
            self.stderr.write(f"Đã xuất {count} thủ tục vào {output}. (Exported {count}.)")

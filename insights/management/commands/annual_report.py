from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from insights.reports import data_pack_csv, data_pack_xlsx, make_tables, render_pdf


class Command(BaseCommand):
    help = (
        "Write the annual report's data pack (and PDF) for the reporting year "
        "starting in April of YEAR, without a web request."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "year", type=int, help="2024 means April 2024 to March 2025"
        )
        parser.add_argument("--data-pack", required=True, help="the XLSX file to write")
        parser.add_argument("--csv", help="also write every figure as one CSV file")
        parser.add_argument("--pdf", help="also write the report as a PDF")

    def handle(self, *args, year, data_pack, csv=None, pdf=None, **options):
        if not 2000 <= year <= 2100:
            raise CommandError("YEAR is the year the reporting year starts, like 2024")
        tables = make_tables(year)
        Path(data_pack).write_bytes(data_pack_xlsx(tables))
        written = [data_pack]
        if csv:
            Path(csv).write_bytes(data_pack_csv(tables))
            written.append(csv)
        if pdf:
            content = render_pdf(
                year,
                tables,
                version="draft",
                data_as_at=timezone.now(),
                generated_by="manage.py annual_report",
            )
            Path(pdf).write_bytes(content)
            written.append(pdf)
        for name in written:
            self.stdout.write(f"Wrote {name}")

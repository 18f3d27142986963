"""Responses as CSV and XLSX: every cell made safe to open in a spreadsheet."""

import io
from collections.abc import Sequence
from zoneinfo import ZoneInfo

from django.http import HttpResponse
from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

from sfoqa.exports import csv_response
from sfoqa.forms import safe_csv_cell

LONDON = ZoneInfo("Europe/London")
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
FIXED_COLUMNS = [
    "Reference", "Received (UK time)", "How it arrived", "Audience", "Name",
    "Organisation", "Email address", "Themes", "Response text",
]  # fmt: skip


def _answer_text(value) -> str:
    if isinstance(value, list):
        return "; ".join(str(item) for item in value)
    return "" if value is None else str(value)


def response_rows(*, questions, responses) -> tuple[list[str], list[list[str]]]:
    """The header and one row per response, answers in question order."""
    header = [*FIXED_COLUMNS, *(q.text for q in questions)]
    rows = [
        [
            response.reference,
            response.received_at.astimezone(LONDON).strftime("%Y-%m-%d %H:%M"),
            response.get_channel_display(),
            response.audience.name if response.audience else "",
            response.name,
            response.organisation,
            response.email,
            "; ".join(theme.name for theme in response.themes.all()),
            response.text,
            *(_answer_text(response.answers.get(str(q.pk))) for q in questions),
        ]
        for response in responses
    ]
    return header, rows


def csv_download(filename: str, header: Sequence[str], rows):
    # Question texts head columns, so the header is made safe as well.
    return csv_response(filename, [safe_csv_cell(cell) for cell in header], rows)


def _xlsx_cell(value) -> str:
    return ILLEGAL_CHARACTERS_RE.sub("", safe_csv_cell(value))


def xlsx_response(filename: str, header: Sequence[str], rows) -> HttpResponse:
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("Responses")
    for row in [header, *rows]:
        sheet.append([_xlsx_cell(cell) for cell in row])
    buffer = io.BytesIO()
    workbook.save(buffer)
    response = HttpResponse(buffer.getvalue(), content_type=XLSX_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response

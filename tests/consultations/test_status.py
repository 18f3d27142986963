"""The status follows the clock, in Python and in SQL alike, in UK time."""

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone

from consultations.forms import ConsultationForm
from consultations.models import Consultation, Status
from consultations.templatetags.consultation_tags import uk_date_time
from tests.consultations.factories import ConsultationFactory

LONDON = ZoneInfo("Europe/London")


def _status_in_sql(consultation):
    return Consultation.objects.with_status().get(pk=consultation.pk).current_status


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("fields", "expected"),
    [
        ({"published_at": None}, Status.DRAFT),
        ({"opens_at_days": 2, "closes_at_days": 30}, Status.FORTHCOMING),
        ({}, Status.OPEN),
        ({"opens_at_days": -30, "closes_at_days": -1}, Status.CLOSED),
        (
            {"opens_at_days": -30, "closes_at_days": -1, "response": True},
            Status.RESPONSE_PUBLISHED,
        ),
    ],
)
def test_status_from_the_clock_agrees_in_python_and_in_sql(fields, expected):
    now = timezone.now()
    kwargs = {}
    if "opens_at_days" in fields:
        kwargs["opens_at"] = now + timedelta(days=fields["opens_at_days"])
        kwargs["closes_at"] = now + timedelta(days=fields["closes_at_days"])
    if "published_at" in fields:
        kwargs["published_at"] = None
    if fields.get("response"):
        kwargs["response_published_at"] = now
    consultation = ConsultationFactory(**kwargs)
    assert consultation.status == expected
    assert _status_in_sql(consultation) == expected


def test_gmt_midnight_closing_time_is_the_start_of_that_day():
    consultation = Consultation(
        opens_at=datetime(2021, 2, 1, tzinfo=LONDON),
        closes_at=datetime(2021, 3, 5, 0, 0, tzinfo=LONDON),
        published_at=datetime(2021, 1, 1, tzinfo=UTC),
    )
    last_second = datetime(2021, 3, 4, 23, 59, 59, tzinfo=LONDON)
    assert consultation.status_at(last_second) == Status.OPEN
    assert consultation.status_at(last_second + timedelta(seconds=1)) == Status.CLOSED
    assert uk_date_time(consultation.closes_at) == "midnight (00:00) on 5 March 2021"


def test_bst_closing_time_is_an_hour_earlier_in_utc():
    consultation = Consultation(
        opens_at=datetime(2020, 5, 1, tzinfo=LONDON),
        closes_at=datetime(2020, 6, 7, 23, 59, tzinfo=LONDON),
        published_at=datetime(2020, 4, 1, tzinfo=UTC),
    )
    assert consultation.closes_at.astimezone(UTC) == datetime(
        2020, 6, 7, 22, 59, tzinfo=UTC
    )
    just_before = datetime(2020, 6, 7, 22, 58, 59, tzinfo=UTC)
    assert consultation.status_at(just_before) == Status.OPEN
    assert consultation.status_at(just_before + timedelta(seconds=1)) == Status.CLOSED
    assert uk_date_time(consultation.closes_at) == "11:59pm on 7 June 2020"


@pytest.mark.parametrize(
    ("day", "at", "utc"),
    [
        ((5, 3, 2021), "00:00", datetime(2021, 3, 5, 0, 0, tzinfo=UTC)),
        ((7, 6, 2020), "23:59", datetime(2020, 6, 7, 22, 59, tzinfo=UTC)),
    ],
)
def test_the_form_reads_dates_and_times_as_uk_time(day, at, utc):
    form = ConsultationForm(
        data={
            "title": "A consultation",
            "summary": "Summary",
            "body": "Body",
            "opens_on_0": "1",
            "opens_on_1": "1",
            "opens_on_2": "2020",
            "opens_time": "09:00",
            "closes_on_0": str(day[0]),
            "closes_on_1": str(day[1]),
            "closes_on_2": str(day[2]),
            "closes_time": at,
            "accepts_online": "on",
        }
    )
    assert form.is_valid(), form.errors
    assert form.cleaned_data["closes_at"] == utc


def test_the_form_refuses_a_closing_time_before_the_opening_time():
    form = ConsultationForm(
        data={
            "title": "A consultation",
            "summary": "Summary",
            "body": "Body",
            "opens_on_0": "5", "opens_on_1": "3", "opens_on_2": "2021",
            "opens_time": "09:00",
            "closes_on_0": "5", "closes_on_1": "3", "closes_on_2": "2021",
            "closes_time": "08:59",
            "accepts_online": "on",
        }
    )  # fmt: skip
    assert not form.is_valid()
    assert "The closing date must be after the opening date" in str(form.errors)


@pytest.mark.parametrize(
    ("moment", "text"),
    [
        (datetime(2021, 3, 5, 0, 0, tzinfo=UTC), "midnight (00:00) on 5 March 2021"),
        (datetime(2021, 3, 5, 12, 0, tzinfo=UTC), "midday on 5 March 2021"),
        (datetime(2021, 3, 5, 9, 30, tzinfo=UTC), "9:30am on 5 March 2021"),
        (datetime(2020, 6, 7, 22, 59, tzinfo=UTC), "11:59pm on 7 June 2020"),
    ],
)
def test_times_are_shown_in_govuk_style_in_uk_time(moment, text):
    assert uk_date_time(moment) == text


@pytest.mark.django_db
def test_a_response_is_overdue_twelve_weeks_after_closing():
    now = timezone.now()
    due_soon = ConsultationFactory(
        opens_at=now - timedelta(weeks=20), closes_at=now - timedelta(weeks=11)
    )
    overdue = ConsultationFactory(
        opens_at=now - timedelta(weeks=20), closes_at=now - timedelta(weeks=13)
    )
    ConsultationFactory(
        opens_at=now - timedelta(weeks=20),
        closes_at=now - timedelta(weeks=13),
        response_published_at=now,
    )
    assert not due_soon.is_response_overdue
    assert overdue.is_response_overdue
    assert list(Consultation.objects.response_overdue()) == [overdue]

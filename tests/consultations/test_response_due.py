"""The response is due 12 weeks after closing, counted in UK calendar days,
so the clocks changing does not move the due date."""

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse

from consultations.models import Consultation
from tests.consultations.factories import ConsultationFactory

LONDON = ZoneInfo("Europe/London")


def test_a_january_closing_is_due_on_6_april_across_the_clock_change():
    consultation = Consultation(closes_at=datetime(2027, 1, 12, 23, 59, tzinfo=LONDON))
    assert consultation.response_due_on == date(2027, 4, 6)


def test_a_midnight_closing_in_summer_is_due_on_the_same_weekday():
    closes = datetime(2027, 7, 1, 0, 0, tzinfo=LONDON)  # 11pm UTC the day before
    assert Consultation(closes_at=closes).response_due_on == date(2027, 9, 23)


@pytest.mark.django_db
def test_overdue_starts_the_day_after_the_due_date_in_python_and_sql(monkeypatch):
    closes = datetime(2027, 1, 12, 23, 59, tzinfo=LONDON)
    consultation = ConsultationFactory(
        opens_at=closes - timedelta(weeks=6),
        closes_at=closes,
        published_at=closes - timedelta(weeks=7),
    )
    for now, overdue in [
        (datetime(2027, 4, 6, 23, 30, tzinfo=LONDON), False),
        (datetime(2027, 4, 7, 0, 30, tzinfo=LONDON), True),
    ]:
        monkeypatch.setattr("sfoqa.dates.timezone.now", lambda now=now: now)
        monkeypatch.setattr("consultations.models.timezone.now", lambda now=now: now)
        assert consultation.is_response_overdue is overdue
        in_sql = Consultation.objects.response_overdue().filter(pk=consultation.pk)
        assert in_sql.exists() is overdue


@pytest.mark.django_db
def test_staff_pages_show_the_due_date(lead_inspector_client):
    closes = datetime(2027, 1, 12, 23, 59, tzinfo=LONDON)
    consultation = ConsultationFactory(
        opens_at=closes - timedelta(weeks=6),
        closes_at=closes,
        published_at=closes - timedelta(weeks=7),
    )
    listing = lead_inspector_client.get(reverse("consultations:staff_list"))
    assert "6 April 2027" in listing.content.decode()
    detail = lead_inspector_client.get(
        reverse("consultations:staff_detail", kwargs={"pk": consultation.pk})
    )
    assert "Due by 6 April 2027 (12 weeks after closing)" in detail.content.decode()

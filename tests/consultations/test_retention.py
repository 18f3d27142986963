"""The daily retention task removes respondents' details, once, with an audit event."""

from datetime import UTC, datetime

import pytest

from accounts.models import AuditEvent
from consultations import services, tasks
from consultations.models import Response
from tests.consultations.factories import ConsultationFactory, ResponseFactory

pytestmark = pytest.mark.django_db
NOW = datetime(2024, 6, 15, 3, 0, tzinfo=UTC)


def _consultation(response_published, *, closes=None):
    closes = closes or response_published.replace(year=response_published.year - 1)
    return ConsultationFactory(
        opens_at=closes.replace(month=closes.month - 1),
        closes_at=closes,
        response_published_at=response_published,
    )


def test_details_go_after_the_retention_period_and_the_answers_stay(settings):
    settings.CONSULTATION_RETENTION_MONTHS = 24
    old = ResponseFactory(
        consultation=_consultation(datetime(2022, 6, 14, tzinfo=UTC)),
        answers={"1": "kept"},
        text="kept too",
    )
    recent = ResponseFactory(
        consultation=_consultation(datetime(2022, 6, 16, tzinfo=UTC))
    )

    assert services.responses_apply_retention(now=NOW) == 1

    old.refresh_from_db()
    recent.refresh_from_db()
    assert (old.name, old.email, old.organisation) == ("", "", "")
    assert old.anonymised_at == NOW
    assert old.answers == {"1": "kept"}
    assert old.text == "kept too"
    assert recent.name and recent.anonymised_at is None
    event = AuditEvent.objects.get(action=AuditEvent.Action.CONSULTATION_RETENTION_RUN)
    assert event.details == {"responses_anonymised": 1, "months": 24}


def test_details_stay_while_no_response_is_published(settings):
    settings.CONSULTATION_RETENTION_MONTHS = 1
    closed_long_ago = ConsultationFactory(
        opens_at=datetime(2019, 1, 1, tzinfo=UTC),
        closes_at=datetime(2019, 2, 1, tzinfo=UTC),
        response_published_at=None,
    )
    kept = ResponseFactory(consultation=closed_long_ago)
    assert services.responses_apply_retention(now=NOW) == 0
    kept.refresh_from_db()
    assert kept.name and kept.anonymised_at is None


def test_running_twice_changes_nothing_more(settings):
    settings.CONSULTATION_RETENTION_MONTHS = 12
    ResponseFactory(consultation=_consultation(datetime(2020, 3, 5, tzinfo=UTC)))
    assert services.responses_apply_retention(now=NOW) == 1
    first = list(Response.objects.values())
    assert services.responses_apply_retention(now=NOW) == 0
    assert list(Response.objects.values()) == first
    assert (
        AuditEvent.objects.filter(
            action=AuditEvent.Action.CONSULTATION_RETENTION_RUN
        ).count()
        == 2
    )


def test_the_task_is_scheduled_daily_and_runs_the_service(settings):
    schedule = settings.CELERY_BEAT_SCHEDULE["consultation-retention"]
    assert schedule["task"] == tasks.apply_retention.name
    assert schedule["schedule"].days == 1
    assert tasks.apply_retention.run() == 0

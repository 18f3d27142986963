"""Each role's home page shows its work with counts and links."""

import datetime

import pytest
from django.urls import reverse

from accounts.models import AuditEvent
from accounts.roles import Role
from reviews.models import Allocation, Review
from tests.conftest import SIGNED_IN_QUERIES
from tests.insights.factories import build_year
from tests.reviews.factories import ReviewFactory

pytestmark = pytest.mark.django_db


def test_inspector_sees_allocations_due_and_overdue(users, inspector_client):
    inspector = users[Role.INSPECTOR]
    for due in (datetime.date(2000, 1, 1), datetime.date(2999, 1, 1)):
        review = ReviewFactory(status=Review.Status.ALLOCATED, inspector=inspector)
        Allocation.objects.create(
            review=review,
            inspector=inspector,
            allocated_by=users[Role.LEAD_INSPECTOR],
            due_date=due,
            conflict=Allocation.Conflict.NONE,
        )
    context = inspector_client.get(reverse("home")).context
    assert context["inspector_home"] == {
        "open": 2,
        "due_soon": 0,
        "overdue": 1,
        "returned": 0,
    }


def test_lead_sees_work_waiting_and_the_years_ratings(users, lead_inspector_client):
    ReviewFactory()  # received, waiting to be sampled
    ReviewFactory(status=Review.Status.SAMPLED)
    page = lead_inspector_client.get(reverse("home"))
    home = page.context["lead_home"]
    assert (home["to_sample"], home["to_allocate"]) == (1, 1)
    assert reverse("insights:dashboard") in page.content.decode()


def test_hmpps_sees_their_reviews_by_status_and_reports_since_last_visit(
    users, hmpps_client
):
    build_year(users)
    hmpps = users[Role.HMPPS_SFO]
    # Nine published reviews and one received, all from HMPPS's organisation.
    Review.objects.update(organisation=hmpps.organisation)
    for at in ("2024-07-01T12:00:00Z", "2099-01-01T00:00:00Z"):
        AuditEvent.objects.create(
            action=AuditEvent.Action.SIGN_IN,
            actor=hmpps,
            at=datetime.datetime.fromisoformat(at),
        )
    home = hmpps_client.get(reverse("home")).context["hmpps_home"]
    by_status = dict(home["by_status"])
    assert by_status["Published"] == 9
    assert by_status["Received"] == 1
    # Signed in before at 1pm on 1 July 2024: 7 of the 11 publications came
    # after it (A's, B's, E's first and E's again at 10am are before).
    assert home["published_since"] == 11 - 4


def test_admin_sees_users_locks_and_job_health(admin_client):
    home = admin_client.get(reverse("home")).context["admin_home"]
    assert home["active"] >= 1
    assert {"locked", "jobs_waiting", "jobs_failed", "tasks_unsent"} <= set(home)


def test_admin_sees_tasks_left_unsent_for_more_than_a_few_minutes(admin_client):
    from django.utils import timezone

    from sfoqa.models import PendingTask

    now = timezone.now()
    for minutes_ago in (10, 6, 1):
        at = now - datetime.timedelta(minutes=minutes_ago)
        PendingTask.objects.create(task="reports.sweep", created_at=at, due_at=at)
    response = admin_client.get(reverse("home"))
    assert response.context["admin_home"]["tasks_unsent"] == 2
    page = response.content.decode()
    assert "Tasks not sent after 5 minutes" in page
    assert '<strong class="govuk-tag govuk-tag--red">2</strong>' in page


def _rate_this_year(users, prefix):
    from insights.demo import RatedCase, create_rated
    from insights.selectors import current_year
    from tests.insights.factories import G, uk

    create_rated(
        [RatedCase(overall=G, published_at=uk(current_year(), 5, 1, 9))],
        inspector=users[Role.INSPECTOR],
        lead=users[Role.LEAD_INSPECTOR],
        prefix=prefix,
    )


def test_the_leads_figures_are_read_once_then_again_when_a_rating_is_added(
    users, lead_inspector_client, monkeypatch
):
    from django.core.cache import cache
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    _rate_this_year(users, "HC-A-")
    with CaptureQueriesContext(connection) as first:
        page = lead_inspector_client.get(reverse("home"))
    assert page.context["lead_home"]["distribution"].total == 1
    shared = []
    monkeypatch.setattr(cache, "get", lambda *args, **kwargs: shared.append(args))
    with CaptureQueriesContext(connection) as again:
        page = lead_inspector_client.get(reverse("home"))
    assert page.context["lead_home"]["distribution"].total == 1
    # Every count, overdue work too, is kept in the process: nothing is
    # counted and the shared cache is not asked.
    assert not [q for q in again.captured_queries if "COUNT(" in q["sql"]]
    assert shared == []
    # Nor is the data's version read apart: it comes with the session.
    assert len(again) == SIGNED_IN_QUERIES < len(first)
    # A new rating is a new version of the data: counted at once.
    _rate_this_year(users, "HC-B-")
    page = lead_inspector_client.get(reverse("home"))
    assert page.context["lead_home"]["distribution"].total == 2


class Clock:
    """The time `cached_figures` reads, moved on by the test."""

    def __init__(self, now: float):
        self.now = now

    def time(self) -> float:
        return self.now


def _to_allocate(client) -> int:
    return client.get(reverse("home")).context["lead_home"]["to_allocate"]


@pytest.fixture
def counted_then_changed(lead_inspector_client, monkeypatch):
    """A review to allocate, counted at a time the test moves on, and then
    a change that nothing audits, which leaves the data's version as it was."""
    from insights import dashboards

    clock = Clock(1_000_000.0)
    monkeypatch.setattr(dashboards, "time", clock)
    ReviewFactory(status=Review.Status.SAMPLED)
    assert _to_allocate(lead_inspector_client) == 1
    Review.objects.update(status=Review.Status.RECEIVED)
    return clock


def test_the_leads_figures_are_kept_for_a_minute_from_when_they_were_counted(
    lead_inspector_client, counted_then_changed
):
    from insights.dashboards import FIGURES_SECONDS

    clock = counted_then_changed
    clock.now += FIGURES_SECONDS - 1
    assert _to_allocate(lead_inspector_client) == 1
    clock.now += 1
    assert _to_allocate(lead_inspector_client) == 0


def test_figures_another_process_counted_are_kept_only_as_long_as_theirs(
    lead_inspector_client, counted_then_changed
):
    from insights.dashboards import FIGURES_SECONDS, _recent

    clock = counted_then_changed
    # This process has not seen them: they come from the shared cache...
    _recent.clear()
    clock.now += FIGURES_SECONDS - 10
    assert _to_allocate(lead_inspector_client) == 1
    # ...and go when they would have gone there, not a minute after.
    clock.now += 10
    assert _to_allocate(lead_inspector_client) == 0


def test_the_leads_overdue_work_follows_an_allocation_and_the_date(
    users, lead_inspector_client, monkeypatch
):
    from insights import dashboards
    from reviews import services as review_services
    from sfoqa.dates import uk_today

    def overdue():
        home = lead_inspector_client.get(reverse("home")).context["lead_home"]
        return home["overdue_by_inspector"]

    inspector = users[Role.INSPECTOR]
    today = uk_today()
    assert overdue() == []
    for due in (today - datetime.timedelta(days=1), today + datetime.timedelta(1)):
        review_services.review_allocate(
            by=users[Role.LEAD_INSPECTOR],
            review=ReviewFactory(status=Review.Status.SAMPLED),
            inspector=inspector,
            due_date=due,
        )
    # Allocating is audited: counted at once.
    assert overdue() == [(inspector.full_name, 1)]
    # Two days on, the other is overdue too, with no change to the data.
    monkeypatch.setattr(
        dashboards, "uk_today", lambda: today + datetime.timedelta(days=2)
    )
    assert overdue() == [(inspector.full_name, 2)]


def test_the_home_page_and_dashboard_are_served_when_the_cache_fails(
    users, lead_inspector_client, monkeypatch
):
    from django.core.cache import cache

    def broken(*args, **kwargs):
        raise ConnectionError("cache down")

    _rate_this_year(users, "HC-C-")
    monkeypatch.setattr(cache, "get", broken)
    monkeypatch.setattr(cache, "set", broken)
    page = lead_inspector_client.get(reverse("home"))
    assert page.status_code == 200
    assert page.context["lead_home"]["distribution"].total == 1
    assert lead_inspector_client.get(reverse("insights:dashboard")).status_code == 200


def test_the_leads_counts_follow_a_review_allocated_at_once(
    users, lead_inspector_client
):
    from reviews import services as review_services

    reviews = ReviewFactory.create_batch(2, status=Review.Status.SAMPLED)
    home = lead_inspector_client.get(reverse("home")).context["lead_home"]
    assert home["to_allocate"] == 2
    review_services.review_allocate(
        by=users[Role.LEAD_INSPECTOR],
        review=reviews[0],
        inspector=users[Role.INSPECTOR],
        due_date=datetime.date(2030, 1, 1),
    )
    # A change of status adds no row, but it is audited: counted again.
    home = lead_inspector_client.get(reverse("home")).context["lead_home"]
    assert home["to_allocate"] == 1


def test_the_data_version_read_with_the_session_is_the_one_read_apart(
    users, lead_inspector_client, monkeypatch
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from accounts import sessions
    from insights import dashboards

    _rate_this_year(users, "HC-V-")
    read = []
    monkeypatch.setattr(
        dashboards,
        "read_along_values",
        lambda name: read.append(sessions.read_along_values(name)) or read[-1],
    )
    lead_inspector_client.get(reverse("home"))
    taken = read[-1]
    assert taken is not None  # the home page took it
    # Outside a request nothing was read along: the version is read apart,
    # and it is the same.
    with CaptureQueriesContext(connection) as queries:
        version = dashboards.data_version()
    assert read[-1] is None and len(queries) == 1
    assert version == "-".join(str(part or 0) for part in taken)
    assert version.split("-")[1] == str(Review.objects.latest("pk").pk)

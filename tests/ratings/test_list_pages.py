"""The moderation queue, Your QA work and the published reports: paged by
keyset, newest (or, in the queue, oldest) first, in queries that do not grow
with the rows."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from accounts.roles import Role
from ratings import services
from ratings.models import Assessment, Publication
from reports.models import ReportJob
from sfoqa import keyset
from tests.conftest import SIGNED_IN_QUERIES
from tests.ratings.conftest import make_allocation

SIZE = 3


@pytest.fixture
def small_pages(monkeypatch):
    monkeypatch.setattr(keyset, "PAGE_SIZE", SIZE)


def started(users, count) -> list[Assessment]:
    return [
        services.assessment_start(allocation=make_allocation(users))
        for _ in range(count)
    ]


def set_status(assessments, status, **moments):
    """Moves assessments on without the whole journey, a minute apart."""
    start = timezone.now() - timedelta(days=1)
    for index, assessment in enumerate(assessments):
        values = {key: start + timedelta(minutes=index) for key in moments}
        Assessment.objects.filter(pk=assessment.pk).update(status=status, **values)


def publish(users, assessments):
    set_status(assessments, Assessment.Status.PUBLISHED, published_at=True)
    for assessment in Assessment.objects.filter(pk__in=[a.pk for a in assessments]):
        job = ReportJob.objects.create(
            kind="qa_report", requested_by=users[Role.LEAD_INSPECTOR], status="done"
        )
        Publication.objects.create(
            assessment=assessment,
            number=1,
            snapshot={"overall": {"rating": "Good"}},
            published_by=users[Role.LEAD_INSPECTOR],
            published_at=assessment.published_at,
            report_job=job,
        )


def references(response, key) -> list[str]:
    return [row["reference"] for row in response.context[key]]


@pytest.mark.django_db
def test_published_reports_come_a_page_at_a_time_latest_first(
    client_for, users, small_pages
):
    assessments = started(users, 5)
    publish(users, assessments)
    newest_first = [a.review.hmpps_reference for a in reversed(assessments)]
    client = client_for(Role.LEAD_INSPECTOR)
    url = reverse("ratings:published_list")

    first = client.get(url)
    assert references(first, "rows") == newest_first[:SIZE]
    assert first.context["rows"][0]["overall"] == "Good"
    assert "Download PDF" in first.content.decode()
    second = client.get(f"{url}?{first.context['page'].next_query}")
    assert references(second, "rows") == newest_first[SIZE:]
    back = client.get(f"{url}?{second.context['page'].previous_query}")
    assert references(back, "rows") == newest_first[:SIZE]
    hostile = client.get(f"{url}?after=2026-13-45_x&page=9")
    assert references(hostile, "rows") == newest_first[:SIZE]


@pytest.mark.django_db
def test_each_published_row_names_its_own_review_and_publication(client_for, users):
    assessments = started(users, 2)
    publish(users, assessments)
    again = Publication.objects.get(assessment=assessments[0])
    again.pk, again.number = None, 2
    again.save()
    response = client_for(Role.LEAD_INSPECTOR).get(reverse("ratings:published_list"))

    page = response.content.decode()
    for assessment in assessments:
        reference = assessment.review.hmpps_reference
        assert f'<span class="govuk-visually-hidden"> for {reference}</span>' in page
    numbers = {row["reference"]: row["publication"] for row in response.context["rows"]}
    assert numbers == {
        assessments[0].review.hmpps_reference: " (publication 2)",
        assessments[1].review.hmpps_reference: "",
    }


@pytest.mark.django_db
def test_the_published_list_reads_each_overall_rating_without_its_snapshot(
    client_for, users
):
    """The database keeps each publication's overall rating from its
    snapshot, so the list never reads a whole snapshot for one word."""
    assessments = started(users, 2)
    publish(users, assessments)
    later = Publication.objects.get(assessment=assessments[1])
    Publication.objects.bulk_create(
        [
            Publication(
                assessment=assessments[1],
                number=2,
                snapshot={"overall": {"rating": "Requires improvement"}, "text": "x"},
                published_by=users[Role.LEAD_INSPECTOR],
                report_job=later.report_job,
            )
        ]
    )
    client = client_for(Role.LEAD_INSPECTOR)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(reverse("ratings:published_list"))

    overall = {row["reference"]: row["overall"] for row in response.context["rows"]}
    assert overall == {
        assessments[0].review.hmpps_reference: "Good",
        assessments[1].review.hmpps_reference: "Requires improvement",
    }
    read = [
        q["sql"] for q in queries.captured_queries if "ratings_publication" in q["sql"]
    ]
    assert read and not any("snapshot" in sql for sql in read), read


@pytest.mark.django_db
def test_the_published_list_queries_do_not_grow_with_the_rows(
    client_for, users, django_assert_num_queries
):
    publish(users, started(users, 12))
    client = client_for(Role.LEAD_INSPECTOR)
    client.get(reverse("ratings:published_list"))
    with django_assert_num_queries(SIGNED_IN_QUERIES + 2):
        response = client.get(reverse("ratings:published_list"))
    assert len(response.context["rows"]) == 12


@pytest.mark.django_db
def test_each_section_of_the_moderation_queue_pages_on_its_own(
    client_for, users, small_pages
):
    waiting = started(users, 5)
    set_status(waiting, Assessment.Status.SUBMITTED, submitted_at=True)
    signed = started(users, 4)
    set_status(signed, Assessment.Status.SIGNED_OFF, signed_off_at=True)
    client = client_for(Role.LEAD_INSPECTOR)
    url = reverse("ratings:moderation_queue")

    first = client.get(url)
    oldest_waiting = [a.review.hmpps_reference for a in waiting]
    oldest_signed = [a.review.hmpps_reference for a in signed]
    assert references(first, "assessments") == oldest_waiting[:SIZE]
    assert references(first, "to_publish") == oldest_signed[:SIZE]
    publish_next = first.context["publish_page"].next_query
    assert f'href="{reverse("ratings:publish", kwargs={"pk": signed[0].pk})}"' in (
        first.content.decode()
    )
    assert 'aria-label="Pages waiting for moderation"' in first.content.decode()
    assert 'aria-label="Pages to publish"' in first.content.decode()
    on_publish = client.get(f"{url}?{publish_next}")
    assert references(on_publish, "to_publish") == oldest_signed[SIZE:]
    assert references(on_publish, "assessments") == oldest_waiting[:SIZE]
    # The waiting section's Next keeps the other section where it was.
    both = client.get(f"{url}?{on_publish.context['waiting'].next_query}")
    assert references(both, "assessments") == oldest_waiting[SIZE:]
    assert references(both, "to_publish") == oldest_signed[SIZE:]
    hostile = client.get(f"{url}?waiting-before=zz_&publish-after=nonsense_1")
    assert references(hostile, "assessments") == oldest_waiting[:SIZE]
    assert references(hostile, "to_publish") == oldest_signed[:SIZE]
    assert client.get(f"{url}?waiting-before=%00").status_code == 400


@pytest.mark.django_db
def test_the_moderation_queue_queries_do_not_grow_with_the_rows(
    client_for, users, django_assert_num_queries
):
    client = client_for(Role.LEAD_INSPECTOR)
    url = reverse("ratings:moderation_queue")
    waiting = started(users, 8)
    set_status(waiting, Assessment.Status.SUBMITTED, submitted_at=True)
    signed = started(users, 8)
    set_status(signed, Assessment.Status.SIGNED_OFF, signed_off_at=True)
    client.get(url)
    with django_assert_num_queries(SIGNED_IN_QUERIES + 2):
        response = client.get(url)
    assert len(response.context["assessments"]) == 8
    assert len(response.context["to_publish"]) == 8


@pytest.mark.django_db
def test_your_qa_work_comes_a_page_at_a_time_latest_due_first(
    client_for, users, small_pages, django_assert_num_queries
):
    allocations = [make_allocation(users) for _ in range(5)]
    for days, allocation in enumerate(allocations):
        allocation.due_date += timedelta(days=days)
        allocation.save(update_fields=["due_date"])
    assessments = [services.assessment_start(allocation=a) for a in allocations]
    # Each keeps its allocation's due date, which the page sorts by.
    assert [a.due_date for a in assessments] == [a.due_date for a in allocations]
    latest_due = [a.review.hmpps_reference for a in reversed(assessments)]
    client = client_for(Role.INSPECTOR)
    url = reverse("ratings:my_assessments")

    first = client.get(url)
    assert references(first, "assessments") == latest_due[:SIZE]
    assert first.context["assessments"][0]["status"] == "In progress"
    # The allocations to start, the page, and the page's reviews.
    with django_assert_num_queries(SIGNED_IN_QUERIES + 3):
        second = client.get(f"{url}?{first.context['page'].next_query}")
    assert references(second, "assessments") == latest_due[SIZE:]
    hostile = client.get(f"{url}?before=9999-01-01_0")
    assert references(hostile, "assessments") == latest_due[:SIZE]


@pytest.mark.django_db
def test_reviews_to_start_show_what_the_inspector_needs_in_one_query(
    client_for, users, django_assert_num_queries
):
    client = client_for(Role.INSPECTOR)
    url = reverse("ratings:my_assessments")
    first = make_allocation(users)
    client.get(url)
    # The allocations to start and the (empty) page of assessments.
    with django_assert_num_queries(SIGNED_IN_QUERIES + 2):
        client.get(url)
    more = [make_allocation(users) for _ in range(3)]
    overdue = more[0]
    overdue.due_date = timezone.localdate() - timedelta(days=1)
    overdue.save(update_fields=["due_date"])
    with django_assert_num_queries(SIGNED_IN_QUERIES + 2):
        page = client.get(url).content.decode()
    for allocation in [first, *more]:
        review = allocation.review
        assert f">{review.hmpps_reference}</a>" in page
        assert reverse("ratings:start", kwargs={"review_pk": review.pk}) in page
    assert f'<td class="govuk-table__cell">{first.review.region.name}</td>' in page
    assert page.count("govuk-tag--red") == 1
    # On a narrow screen the table scrolls in its own box, its buttons whole.
    assert 'role="region" aria-label="Allocated to you"' in page

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from ratings import services
from ratings.models import Assessment, PromptAnswer, Publication, Rating
from reports.models import ReportJob
from reviews.models import Allocation, Review
from tests.ratings.conftest import rate_everything

Status = Assessment.Status


@pytest.mark.django_db
def test_starting_opens_every_standard_and_prompt_once(allocation):
    assessment = services.assessment_start(allocation=allocation)
    assert services.assessment_start(allocation=allocation) == assessment
    assert [row.standard.number for row in assessment.standards.all()] == [1, 2, 3, 4]
    assert (
        PromptAnswer.objects.filter(standard_assessment__assessment=assessment).count()
        > 16
    )
    assert all(row.rating is None for row in assessment.standards.all())
    assert Review.objects.get(pk=allocation.review_id).status == Review.Status.IN_QA
    assert assessment.framework.is_active and assessment.policy.is_active


@pytest.mark.django_db
def test_rating_cannot_start_before_the_conflict_declaration(allocation):
    Allocation.objects.filter(pk=allocation.pk).update(
        conflict=Allocation.Conflict.PENDING
    )
    allocation.refresh_from_db()
    with pytest.raises(PermissionDenied):
        services.assessment_start(allocation=allocation)


@pytest.mark.django_db
def test_a_stale_copy_is_refused_and_changes_nothing(assessment):
    row = assessment.standards.first()
    stale = assessment.lock_version
    services.assessment_standard_save(
        assessment=assessment, standard=row, values={"evidence": "first"}, answers={},
        lock_version=stale,
    )  # fmt: skip
    with pytest.raises(services.EditConflict):
        services.assessment_standard_save(
            assessment=assessment, standard=row, values={"evidence": "second"},
            answers={}, lock_version=stale,
        )  # fmt: skip
    row.refresh_from_db()
    assert row.evidence == "first"


@pytest.mark.django_db
def test_departing_from_the_suggestion_needs_a_reason(assessment):
    rate_everything(assessment, ratings=(2, 2, 2, 2), overall=Rating.GOOD)
    assert assessment.overall_suggested == Rating.GOOD
    with pytest.raises(ValidationError):
        services.assessment_overall_save(
            assessment=assessment, overall_rating=Rating.OUTSTANDING,
            overall_reason="Better", departure_reason=" ",
            lock_version=assessment.lock_version,
        )  # fmt: skip
    services.assessment_overall_save(
        assessment=assessment, overall_rating=Rating.OUTSTANDING,
        overall_reason="Better", departure_reason="Exceptional learning",
        lock_version=assessment.lock_version,
    )  # fmt: skip
    assessment.refresh_from_db()
    assert (assessment.overall_rating, assessment.overall_suggested) == (3, 2)
    assert assessment.departure_reason == "Exceptional learning"


@pytest.mark.django_db
def test_submitting_needs_every_section(assessment, users):
    with pytest.raises(ValidationError) as error:
        services.assessment_submit(
            assessment=assessment, by=users["inspector"],
            lock_version=assessment.lock_version, warnings_confirmed=False,
        )  # fmt: skip
    assert len(error.value.messages) == 5


@pytest.mark.django_db
def test_an_unusual_combination_must_be_confirmed(assessment, users):
    rate_everything(assessment, ratings=(0, 0, 3, 3), overall=Rating.GOOD)
    warnings = services.assessment_submit(
        assessment=assessment, by=users["inspector"],
        lock_version=assessment.lock_version, warnings_confirmed=False,
    )  # fmt: skip
    assert "two or more standards are Inadequate" in warnings[0]
    assert Assessment.objects.get(pk=assessment.pk).status == Status.DRAFT
    services.assessment_submit(
        assessment=assessment, by=users["inspector"],
        lock_version=assessment.lock_version, warnings_confirmed=True,
    )  # fmt: skip
    assert Assessment.objects.get(pk=assessment.pk).status == Status.SUBMITTED


def submit(assessment, users):
    rate_everything(assessment)
    services.assessment_submit(
        assessment=assessment, by=users["inspector"],
        lock_version=assessment.lock_version, warnings_confirmed=True,
    )  # fmt: skip
    assessment.refresh_from_db()
    return assessment


@pytest.mark.django_db
def test_moderators_return_with_comments_and_cannot_moderate_their_own(
    assessment, users
):
    submit(assessment, users)
    with pytest.raises(ValidationError):
        services.assessment_return(
            assessment=assessment, by=users["lead_inspector"], comments={}
        )
    with pytest.raises(PermissionDenied):
        services.assessment_sign_off(assessment=assessment, by=users["inspector"])
    services.assessment_return(
        assessment=assessment, by=users["lead_inspector"],
        comments={"standard-1": "Say why, not only what", "overall": ""},
    )  # fmt: skip
    assessment.refresh_from_db()
    assert assessment.status == Status.RETURNED
    assert list(assessment.moderation_comments.values_list("section", "round")) == [
        ("standard-1", 1)
    ]


@pytest.mark.django_db
def test_every_submission_return_and_sign_off_is_a_version(assessment, users):
    submit(assessment, users)
    services.assessment_return(
        assessment=assessment, by=users["lead_inspector"], comments={"findings": "More"}
    )
    assessment.refresh_from_db()
    row = assessment.standards.first()
    services.assessment_standard_save(
        assessment=assessment, standard=row, values={"rating": 3}, answers={},
        lock_version=assessment.lock_version,
    )  # fmt: skip
    services.assessment_submit(
        assessment=assessment, by=users["inspector"],
        lock_version=assessment.lock_version, warnings_confirmed=True,
    )  # fmt: skip
    services.assessment_sign_off(assessment=assessment, by=users["lead_inspector"])
    reasons = list(
        assessment.history.order_by("history_date").values_list(
            "history_change_reason", flat=True
        )
    )
    assert reasons == ["submitted", "returned", "submitted", "signed off"]
    from ratings.selectors import versions

    newest_submission = versions(assessment=assessment)[1]
    changed = {
        (change[0], change[1], change[2])
        for standard in newest_submission["standards"]
        for change in standard["changes"]
    }
    assert ("Rating", "Good", "Outstanding") in changed


@pytest.mark.django_db
def test_publishing_renders_the_report_and_tells_hmpps(
    assessment,
    users,
    django_capture_on_commit_callbacks,
    run_tasks_in_process,
    settings,
):
    settings.SITE_URL = "https://sfoqa.example.org"
    submit(assessment, users)
    services.assessment_sign_off(assessment=assessment, by=users["lead_inspector"])
    assessment.refresh_from_db()
    with django_capture_on_commit_callbacks(execute=True):
        publication = services.assessment_publish(
            assessment=assessment, by=users["lead_inspector"]
        )
    job = ReportJob.objects.get(pk=publication.report_job_id)
    assert job.status == ReportJob.Status.DONE
    assert job.content_type == "application/pdf"
    assert Review.objects.get(pk=assessment.review_id).status == Review.Status.PUBLISHED
    assert publication.snapshot["overall"]["rating"] == "Good"
    assert [m.to for m in mail.outbox] == [[users["hmpps_sfo"].email]]
    download = reverse("reports:job_download", kwargs={"pk": job.pk})
    assert f"https://sfoqa.example.org{download}" in mail.outbox[0].body


@pytest.mark.django_db
def test_a_published_rating_changes_only_by_a_recorded_republication(
    assessment, users, django_capture_on_commit_callbacks, run_tasks_in_process
):
    submit(assessment, users)
    lead = users["lead_inspector"]
    services.assessment_sign_off(assessment=assessment, by=lead)
    with django_capture_on_commit_callbacks(execute=True):
        services.assessment_publish(assessment=assessment, by=lead)
    with pytest.raises(PermissionDenied):
        services.assessment_standard_save(
            assessment=assessment, standard=assessment.standards.first(), values={},
            answers={}, lock_version=assessment.lock_version,
        )  # fmt: skip
    with pytest.raises(ValidationError):
        services.assessment_reopen(assessment=assessment, by=lead, reason="")
    services.assessment_reopen(
        assessment=assessment, by=lead, reason="Wrong region facts"
    )
    assessment.refresh_from_db()
    services.assessment_submit(
        assessment=assessment, by=users["inspector"],
        lock_version=assessment.lock_version, warnings_confirmed=True,
    )  # fmt: skip
    services.assessment_sign_off(assessment=assessment, by=lead)
    with pytest.raises(ValidationError):
        services.assessment_publish(assessment=assessment, by=lead, reason="")
    with django_capture_on_commit_callbacks(execute=True):
        second = services.assessment_publish(
            assessment=assessment, by=lead, reason="Corrected"
        )
    assert second.number == 2
    assert Publication.objects.filter(assessment=assessment).count() == 2

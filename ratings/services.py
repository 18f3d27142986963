"""Every write to an assessment: draft, autosave, submit, moderate, publish."""

from collections.abc import Mapping, Sequence

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import F, Max
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.audit import Action, audit_record
from ratings.models import (
    Assessment,
    Finding,
    Framework,
    ModerationComment,
    OverallPolicy,
    PromptAnswer,
    Publication,
    StandardAssessment,
)
from ratings.policy import suggest_overall
from reports.services import report_request
from reviews.models import Allocation, DocumentVersion, Review, ReviewEvent
from reviews.services.events import event_record
from sfoqa.outbox import send_after_commit

Status = Assessment.Status
STANDARD_FIELDS = ("rating", "evidence", "strengths", "improvements")


class EditConflict(Exception):
    """Someone else saved the assessment since this copy of it was loaded."""


class AlreadyDone(Exception):
    """What was asked for is done already (a second click, or a colleague's)."""


def _lock_status(assessment: Assessment) -> str:
    """Lock the assessment's row for this transaction; its status as stored."""
    assessment.status = (
        Assessment.objects.select_for_update()
        .values_list("status", flat=True)
        .get(pk=assessment.pk)
    )
    return assessment.status


def _claim_version(*, assessment: Assessment, lock_version: int) -> None:
    """Move the assessment to its next version, or refuse a stale copy."""
    moved = Assessment.objects.filter(
        pk=assessment.pk, lock_version=lock_version
    ).update(lock_version=F("lock_version") + 1, updated_at=timezone.now())
    if not moved:
        raise EditConflict
    assessment.lock_version = lock_version + 1


def _require_editable(assessment: Assessment) -> None:
    if not assessment.is_editable:
        raise PermissionDenied


def _save_without_version(instance, **kwargs) -> None:
    """Save a draft change: not a version (django-simple-history skips it)."""
    instance.skip_history_when_saving = True
    try:
        instance.save(**kwargs)
    finally:
        del instance.skip_history_when_saving


def _record_version(assessment: Assessment, *, reason: str) -> None:
    """Keep a version of the assessment and its standards (django-simple-history)."""
    assessment._change_reason = reason
    assessment.save()
    for standard in assessment.standards.all():
        standard._change_reason = reason
        standard.save()


def _set_review_status(
    review: Review, status: str, kind: str, actor, **details
) -> None:
    Review.objects.filter(pk=review.pk).update(status=status)
    event_record(review=review, kind=kind, actor=actor, **details)


def latest_review_document(review: Review) -> DocumentVersion | None:
    return (
        DocumentVersion.objects.filter(
            review=review, document_type=DocumentVersion.DocumentType.REVIEW
        )
        .order_by("-number")
        .first()
    )


@transaction.atomic
def assessment_create(
    *,
    inspector,
    review: Review | None,
    document: DocumentVersion | None,
    allocation: Allocation | None = None,
    session_review=None,
) -> Assessment:
    """An empty assessment against the active framework: every standard and prompt."""
    framework = Framework.objects.get(is_active=True)
    assessment = Assessment(
        review=review,
        document=document,
        allocation=allocation,
        due_date=allocation.due_date if allocation else None,
        session_review=session_review,
        inspector=inspector,
        framework=framework,
        policy=OverallPolicy.objects.get(is_active=True),
    )
    _save_without_version(assessment)
    if allocation is not None:
        # Off the inspector's list of allocations to start.
        allocation.started_at = timezone.now()
        Allocation.objects.filter(pk=allocation.pk).update(
            started_at=allocation.started_at
        )
    for standard in framework.standards.prefetch_related("prompts"):
        row = StandardAssessment(assessment=assessment, standard=standard)
        _save_without_version(row)
        PromptAnswer.objects.bulk_create(
            PromptAnswer(standard_assessment=row, prompt=p)
            for p in standard.prompts.all()
        )
    return assessment


@transaction.atomic
def assessment_start(*, allocation: Allocation) -> Assessment:
    """Open the rating form for an allocation, with every standard and prompt."""
    existing = Assessment.objects.filter(allocation=allocation).first()
    if existing:
        return existing
    if not allocation.documents_open:
        raise PermissionDenied
    assessment = assessment_create(
        inspector=allocation.inspector,
        review=allocation.review,
        document=latest_review_document(allocation.review),
        allocation=allocation,
    )
    _set_review_status(
        allocation.review,
        Review.Status.IN_QA,
        ReviewEvent.Kind.QA_STARTED,
        allocation.inspector,
    )
    return assessment


@transaction.atomic
def assessment_standard_save(
    *,
    assessment: Assessment,
    standard: StandardAssessment,
    values: Mapping,
    answers: Mapping[int, tuple[str, str]],
    lock_version: int,
) -> None:
    """Save one standard's rating, evidence and prompt answers (a draft save)."""
    _require_editable(assessment)
    _claim_version(assessment=assessment, lock_version=lock_version)
    for name in STANDARD_FIELDS:
        setattr(standard, name, values.get(name, getattr(standard, name)))
    _save_without_version(standard, update_fields=list(STANDARD_FIELDS))
    # Only the answers that changed: a save usually changes one or none.
    changed = []
    for answer in standard.answers.all():
        given = answers.get(answer.prompt_id)
        if given is not None and given != (answer.answer, answer.note):
            answer.answer, answer.note = given
            changed.append(answer)
    if changed:
        PromptAnswer.objects.bulk_update(changed, ["answer", "note"])


def standard_ratings(assessment: Assessment) -> dict[int, int]:
    """The ratings given so far, keyed by standard number."""
    return {
        row.standard.number: row.rating
        for row in assessment.standards.all()
        if row.rating is not None
    }


def overall_suggestion(assessment: Assessment) -> int | None:
    """What the assessment's policy suggests, once every standard is rated."""
    ratings = standard_ratings(assessment)
    if len(ratings) < len(assessment.standards.all()):
        return None
    return suggest_overall(assessment.policy, ratings)


@transaction.atomic
def assessment_overall_save(
    *,
    assessment: Assessment,
    overall_rating: int | None,
    overall_reason: str,
    departure_reason: str,
    lock_version: int,
) -> None:
    """Save the overall rating; departing from the suggestion needs a reason."""
    _require_editable(assessment)
    suggestion = overall_suggestion(assessment)
    departs = None not in (suggestion, overall_rating) and overall_rating != suggestion
    if departs and not departure_reason.strip():
        raise ValidationError(
            {
                "departure_reason": _(
                    "Explain why the overall rating differs from the suggestion"
                )
            }
        )
    _claim_version(assessment=assessment, lock_version=lock_version)
    Assessment.objects.filter(pk=assessment.pk).update(
        overall_rating=overall_rating,
        overall_suggested=suggestion,
        overall_reason=overall_reason,
        departure_reason=departure_reason if departs else "",
    )


@transaction.atomic
def finding_save(
    *,
    assessment: Assessment,
    finding: Finding | None,
    values: Mapping,
    themes: Sequence,
    lock_version: int,
) -> Finding:
    """Add or change a finding."""
    _require_editable(assessment)
    _claim_version(assessment=assessment, lock_version=lock_version)
    finding = finding or Finding(assessment=assessment)
    for name, value in values.items():
        setattr(finding, name, value)
    if finding.kind != Finding.Kind.POOR_PRACTICE:
        finding.action_plan_addresses = finding.action_plan_comment = ""
    finding.save()
    finding.themes.set(themes)
    return finding


@transaction.atomic
def finding_delete(
    *, assessment: Assessment, finding: Finding, lock_version: int
) -> None:
    _require_editable(assessment)
    _claim_version(assessment=assessment, lock_version=lock_version)
    finding.delete()


@transaction.atomic
def assessment_findings_confirm(*, assessment: Assessment, by, request=None) -> None:
    """The inspector says every finding is recorded: the section is complete."""
    _require_editable(assessment)
    if not assessment.findings.exists():
        raise ValidationError(_("Add a finding before you say they are all recorded"))
    audit_record(
        action=Action.FINDINGS_CONFIRMED,
        request=request,
        actor=by,
        target=assessment,
        details={"findings": assessment.findings.count()},
    )


def missing_sections(assessment: Assessment) -> list[str]:
    """What must still be done before the assessment can be submitted."""
    missing = [
        _("Rate standard %(number)s and give the evidence")
        % {"number": row.standard.number}
        for row in assessment.standards.all()
        if row.rating is None or not row.evidence.strip()
    ]
    if assessment.overall_rating is None or not assessment.overall_reason.strip():
        missing.append(_("Give the overall rating and the reasons for it"))
    return missing


def consistency_warnings(assessment: Assessment) -> list[str]:
    """Combinations that are allowed but unusual, to confirm before submitting."""
    ratings = list(standard_ratings(assessment).values())
    overall = assessment.overall_rating
    warnings = []
    if overall is not None and overall >= 2 and ratings.count(0) >= 2:
        warnings.append(
            _(
                "The overall rating is Good or better but two or more standards "
                "are Inadequate"
            )
        )
    if overall == 3 and any(r < 2 for r in ratings):
        warnings.append(
            _("The overall rating is Outstanding but a standard is rated below Good")
        )
    if overall == 0 and ratings and min(ratings) >= 2:
        warnings.append(
            _("The overall rating is Inadequate but every standard is Good or better")
        )
    kinds = {f.kind for f in assessment.findings.all()}
    if 0 in ratings and Finding.Kind.POOR_PRACTICE not in kinds:
        warnings.append(
            _("A standard is rated Inadequate but no poor practice is recorded")
        )
    unanswered = [
        f for f in assessment.findings.all()
        if f.kind == Finding.Kind.POOR_PRACTICE and not f.action_plan_addresses
    ]  # fmt: skip
    if unanswered:
        warnings.append(_("Say whether the action plan addresses each failing"))
    return warnings


@transaction.atomic
def assessment_submit(
    *,
    assessment: Assessment,
    by,
    lock_version: int,
    warnings_confirmed: bool,
    request=None,
) -> list[str]:
    """Send the assessment for moderation. Returns warnings still to confirm."""
    _require_editable(assessment)
    if assessment.is_benchmark:
        raise PermissionDenied  # benchmarking ratings are never moderated
    if missing := missing_sections(assessment):
        raise ValidationError(missing)
    warnings = consistency_warnings(assessment)
    if warnings and not warnings_confirmed:
        return warnings
    _claim_version(assessment=assessment, lock_version=lock_version)
    assessment.status = Status.SUBMITTED
    assessment.submitted_at = timezone.now()
    _record_version(assessment, reason="submitted")
    event_record(review=assessment.review, kind=ReviewEvent.Kind.QA_SUBMITTED, actor=by)
    audit_record(
        action=Action.ASSESSMENT_SUBMITTED, request=request, actor=by, target=assessment
    )
    return []


def _require_moderator(assessment: Assessment, by) -> None:
    if (
        assessment.status != Status.SUBMITTED
        or assessment.inspector_id == by.pk
        or assessment.is_benchmark
    ):
        raise PermissionDenied


@transaction.atomic
def assessment_return(
    *, assessment: Assessment, by, comments: Mapping[str, str], request=None
) -> None:
    """Send the assessment back to the inspector with comments per section."""
    _require_moderator(assessment, by)
    comments = {
        section: text.strip() for section, text in comments.items() if text.strip()
    }
    if not comments:
        raise ValidationError(_("Write at least one comment for the inspector"))
    round_ = assessment.moderation_comments.aggregate(n=Max("round"))["n"] or 0
    ModerationComment.objects.bulk_create(
        ModerationComment(
            assessment=assessment,
            section=section,
            text=text,
            author=by,
            round=round_ + 1,
        )
        for section, text in comments.items()
    )
    assessment.status = Status.RETURNED
    _record_version(assessment, reason="returned")
    event_record(review=assessment.review, kind=ReviewEvent.Kind.QA_RETURNED, actor=by)
    audit_record(
        action=Action.ASSESSMENT_RETURNED, request=request, actor=by, target=assessment
    )
    from ratings.tasks import notify_returned

    send_after_commit(notify_returned, assessment.pk)


@transaction.atomic
def assessment_sign_off(*, assessment: Assessment, by, request=None) -> None:
    """Agree the assessment as moderated."""
    if _lock_status(assessment) in (Status.SIGNED_OFF, Status.PUBLISHED):
        raise AlreadyDone
    _require_moderator(assessment, by)
    assessment.status = Status.SIGNED_OFF
    assessment.signed_off_by = by
    assessment.signed_off_at = timezone.now()
    _record_version(assessment, reason="signed off")
    event_record(
        review=assessment.review, kind=ReviewEvent.Kind.QA_SIGNED_OFF, actor=by
    )
    audit_record(
        action=Action.ASSESSMENT_SIGNED_OFF,
        request=request,
        actor=by,
        target=assessment,
    )


def snapshot(assessment: Assessment) -> dict:
    """The assessment as published: what the QA report shows, frozen."""
    from ratings.selectors import snapshot_of

    return snapshot_of(assessment)


@transaction.atomic
def assessment_publish(
    *, assessment: Assessment, by, reason: str = "", request=None
) -> Publication:
    """Publish the signed-off assessment: render the report and tell HMPPS."""
    from ratings.tasks import notify_published

    # Locked first: of two publishes at once, the second finds it published.
    status = _lock_status(assessment)
    if status == Status.PUBLISHED:
        raise AlreadyDone
    if status != Status.SIGNED_OFF:
        raise PermissionDenied
    number = assessment.publications.count() + 1
    if number > 1 and not reason.strip():
        raise ValidationError(
            {"reason": _("Explain why the rating is being published again")}
        )
    job = report_request(
        kind="qa_report",
        params={"assessment": assessment.pk, "publication": number},
        requested_by=by,
        request=request,
    )
    publication = Publication.objects.create(
        assessment=assessment,
        number=number,
        reason=reason.strip(),
        snapshot=snapshot(assessment),
        published_by=by,
        report_job=job,
    )
    assessment.status = Status.PUBLISHED
    assessment.published_at = publication.published_at
    _record_version(assessment, reason=f"published ({number})")
    _set_review_status(
        assessment.review,
        Review.Status.PUBLISHED,
        ReviewEvent.Kind.PUBLISHED,
        by,
        publication=number,
    )
    audit_record(
        action=Action.ASSESSMENT_PUBLISHED,
        request=request,
        actor=by,
        target=assessment,
        details={"publication": number},
    )
    send_after_commit(notify_published, publication.pk)
    return publication


@transaction.atomic
def assessment_reopen(*, assessment: Assessment, by, reason: str, request=None) -> None:
    """Reopen a published assessment for change; it must be published again."""
    if assessment.status != Status.PUBLISHED:
        raise PermissionDenied
    if not reason.strip():
        raise ValidationError(
            {"reason": _("Explain why the published rating needs to change")}
        )
    round_ = assessment.moderation_comments.aggregate(n=Max("round"))["n"] or 0
    ModerationComment.objects.create(
        assessment=assessment,
        section="overall",
        text=reason.strip(),
        author=by,
        round=round_ + 1,
    )
    assessment.status = Status.RETURNED
    _record_version(assessment, reason="reopened after publication")
    audit_record(
        action=Action.ASSESSMENT_REOPENED, request=request, actor=by, target=assessment
    )

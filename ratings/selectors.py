"""Reads of assessments that pages, the moderation queue and the QA report use."""

from django.db.models import OuterRef, Prefetch, QuerySet, Subquery

from accounts.models import AuditEvent
from ratings.labels import field_label, value_text
from ratings.models import Assessment, Finding, PromptAnswer, StandardAssessment
from reviews.models import Allocation, DocumentVersion


def _with_everything(assessments: QuerySet[Assessment]) -> QuerySet[Assessment]:
    return assessments.select_related(
        "review__region",
        "review__offence_category",
        "review__supervision_type",
        "review__risk_level",
        "review__organisation",
        "document",
        "session_review__session",
        "inspector",
        "policy",
        "framework",
        "signed_off_by",
    ).prefetch_related(
        Prefetch(
            "standards",
            queryset=StandardAssessment.objects.select_related(
                "standard"
            ).prefetch_related(
                "standard__descriptors",
                Prefetch(
                    "answers", queryset=PromptAnswer.objects.select_related("prompt")
                ),
            ),
        ),
        Prefetch("findings", queryset=Finding.objects.prefetch_related("themes")),
        "moderation_comments__author",
    )


def _review_documents():
    return DocumentVersion.objects.filter(
        document_type=DocumentVersion.DocumentType.REVIEW
    )


def assessment_full(*, pk: int) -> Assessment | None:
    latest = _review_documents().filter(review=OuterRef("review")).order_by("-number")
    return (
        _with_everything(Assessment.objects.filter(pk=pk))
        .annotate(latest_document_number=Subquery(latest.values("number")[:1]))
        .first()
    )


def newer_review_document(assessment: Assessment) -> DocumentVersion | None:
    """
    The newest version of the review document HMPPS sent, when it is newer
    than the one the assessment rates. No query when the assessment came
    from `assessment_full` and nothing newer was sent.
    """
    rated = assessment.document
    latest = getattr(assessment, "latest_document_number", None)
    if rated is None or (latest is not None and latest <= rated.number):
        return None
    return (
        _review_documents()
        .filter(review_id=assessment.review_id, number__gt=rated.number)
        .order_by("-number")
        .first()
    )


def findings_confirmed(assessment: Assessment) -> bool:
    """Whether the inspector has said every finding is recorded (one query)."""
    return AuditEvent.objects.filter(
        action=AuditEvent.Action.FINDINGS_CONFIRMED,
        object_type=Assessment._meta.label_lower,
        object_id=str(assessment.pk),
    ).exists()


def moderation_queue() -> QuerySet[Assessment]:
    return (
        Assessment.objects.filter(
            status=Assessment.Status.SUBMITTED, session_review__isnull=True
        )
        .select_related("review__region", "review__offence_category", "inspector")
        .order_by("submitted_at", "id")
    )


def signed_off() -> QuerySet[Assessment]:
    """Live assessments agreed at moderation and waiting to be published."""
    return (
        Assessment.objects.filter(
            status=Assessment.Status.SIGNED_OFF, session_review__isnull=True
        )
        .select_related("review__region", "inspector", "signed_off_by")
        .order_by("signed_off_at", "id")
    )


def assessments_of(*, inspector) -> QuerySet[Assessment]:
    return (
        Assessment.objects.filter(inspector=inspector, session_review__isnull=True)
        .select_related("review__region", "review__offence_category", "allocation")
        .order_by("allocation__due_date", "id")
    )


def allocations_to_start(*, inspector) -> QuerySet[Allocation]:
    """Current allocations with no assessment yet, in due-date order."""
    return (
        Allocation.objects.filter(
            inspector=inspector, is_current=True, assessment__isnull=True
        )
        .select_related("review__region", "review__offence_category")
        .order_by("due_date", "id")
    )


def published(*, organisation_id: int | None = None) -> QuerySet[Assessment]:
    assessments = Assessment.objects.filter(
        publications__isnull=False, session_review__isnull=True
    ).distinct()
    if organisation_id is not None:
        assessments = assessments.filter(review__organisation_id=organisation_id)
    return (
        assessments.select_related("review__region", "review__offence_category")
        .prefetch_related("publications__report_job")
        .order_by("-published_at", "-id")
    )


def snapshot_of(assessment: Assessment) -> dict:
    """Everything the QA report shows, as plain data (kept with a publication)."""
    full = assessment_full(pk=assessment.pk)
    review = full.review
    return {
        "review": {
            "reference": review.hmpps_reference,
            "region": review.region.name,
            "offence": review.offence_category.name,
            "supervision": review.supervision_type.name,
            "risk": review.risk_level.name,
            "received": review.received_on.isoformat() if review.received_on else "",
            "version": full.document.number if full.document else None,
        },
        "framework": {"name": full.framework.name, "version": full.framework.version},
        "policy": {
            "kind": full.policy.get_kind_display(),
            "version": full.policy.version,
        },
        "standards": [
            {
                "number": row.standard.number,
                "name": row.standard.name,
                "rating": row.get_rating_display(),
                "evidence": row.evidence,
                "strengths": row.strengths,
                "improvements": row.improvements,
                "prompts": [
                    {
                        "text": answer.prompt.text,
                        "answer": answer.get_answer_display(),
                        "note": answer.note,
                    }
                    for answer in row.answers.all()
                ],
            }
            for row in full.standards.all()
        ],
        "overall": {
            "rating": full.get_overall_rating_display(),
            "suggested": full.get_overall_suggested_display()
            if full.overall_suggested is not None
            else "",
            "reason": full.overall_reason,
            "departure_reason": full.departure_reason,
        },
        "findings": [
            {
                "kind": finding.get_kind_display(),
                "text": finding.text,
                "level": finding.get_level_display(),
                "themes": [theme.name for theme in finding.themes.all()],
                "action_plan": finding.get_action_plan_addresses_display(),
                "action_plan_comment": finding.action_plan_comment,
            }
            for finding in full.findings.all()
        ],
        "inspector": full.inspector.full_name,
        "signed_off_by": full.signed_off_by.full_name if full.signed_off_by else "",
        "signed_off_at": full.signed_off_at.isoformat() if full.signed_off_at else "",
    }


def versions(*, assessment: Assessment) -> list[dict]:
    """
    Each recorded version, newest first, with what changed since the one
    before. A version records the assessment and then each of its standards,
    so standard records come in runs of one per standard, in the same order.
    """
    records = list(assessment.history.order_by("history_date", "history_id"))
    count = len(assessment.standards.all())
    standard_records = list(
        StandardAssessment.history.filter(assessment_id=assessment.pk)
        .select_related("standard")
        .order_by("history_date", "history_id")
    )
    runs = [
        standard_records[i : i + count] for i in range(0, len(standard_records), count)
    ]
    result = []
    for index, record in enumerate(records):
        run = runs[index] if index < len(runs) else []
        before = runs[index - 1] if 0 < index <= len(runs) else []
        result.append(
            {
                "record": record,
                "changes": _changes(record, records[index - 1] if index else None),
                "standards": [
                    {"row": row, "changes": _changes(row, old)}
                    for row, old in zip(run, before or [None] * len(run), strict=False)
                ],
            }
        )
    return list(reversed(result))


def _changes(record, previous) -> list[tuple[str, str, str]]:
    """(what, before, after) for each field that changed, in people's words."""
    if previous is None:
        return []
    delta = record.diff_against(previous)
    model = record.instance_type
    return [
        (
            field_label(model, change.field),
            value_text(model, change.field, change.old),
            value_text(model, change.field, change.new),
        )
        for change in delta.changes
    ]

"""Reads of assessments that pages, the moderation queue and the QA report use."""

from django.db.models import Exists, OuterRef, Prefetch, QuerySet, Subquery
from django.utils.translation import gettext as _

from accounts.models import AuditEvent
from ratings.labels import field_label, value_text
from ratings.models import (
    Assessment,
    Descriptor,
    Finding,
    ModerationComment,
    PromptAnswer,
    Publication,
    SessionReview,
    StandardAssessment,
)
from reviews.models import Allocation, DocumentVersion, Review
from reviews.selectors import reviews_named
from sfoqa import statements
from sfoqa.dates import date_formatter, uk_today
from sfoqa.links import url_format
from sfoqa.lookups import equals_constant
from sfoqa.tables import anchor, tag_after


def _with_everything(assessments: QuerySet[Assessment]) -> QuerySet[Assessment]:
    # Two narrower joins, not one of fourteen tables: PostgreSQL spends far
    # longer planning that join than running both. The benchmark session and
    # the signer are read only when the assessment has them.
    return assessments.select_related(
        "document",
        "inspector",
        "policy",
        "framework",
    ).prefetch_related(
        Prefetch(
            "review",
            queryset=Review.objects.select_related(
                "region",
                "offence_category",
                "supervision_type",
                "risk_level",
                "organisation",
            ),
        ),
        Prefetch(
            "session_review",
            queryset=SessionReview.objects.select_related("session"),
        ),
        "signed_off_by",
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


def assessment_for_standard(*, pk: int, number: int) -> Assessment | None:
    """
    The assessment with what one standard's rating page shows: its review,
    document and inspector, that standard (the only one in `standards`) with
    its descriptors and prompt answers, and the moderator's comments; each
    read by a statement built once a process (sfoqa.statements), as
    select_related and prefetch_related would read them.
    """
    assessment = _with_one_standard(
        _assessment_by_id, "assessment with its review", pk=pk, number=number
    )
    if assessment is None:
        return None
    comments = statements.instances(
        ModerationComment,
        _comments_of,
        {"assessment_id": pk},
        name="an assessment's comments",
    )
    statements.prefetched(assessment, "moderation_comments", comments)
    return assessment


def assessment_to_save_standard(*, pk: int, number: int) -> Assessment | None:
    """
    The assessment with what a background save of one standard reads: that
    standard (the only one in `standards`) with its descriptors and prompt
    answers; not the review, the other standards or the policy (which only
    the overall rating's save reads, from assessment_to_save). Each read by a
    statement built once a process.
    """
    return _with_one_standard(
        _assessment_alone, "an assessment alone", pk=pk, number=number
    )


def _with_one_standard(build, name: str, *, pk: int, number: int) -> Assessment | None:
    """The assessment `build` reads (by the statement `name`) with its
    standard `number`, the only one in `standards`, that standard's
    descriptors and the row's prompt answers; None if there is none."""
    found = statements.instances(Assessment, build, {"pk": pk}, name=name)
    if not found:
        return None
    assessment = found[0]
    standards = statements.instances(
        StandardAssessment,
        _standard_of,
        {"assessment_id": pk, "number": number},
        name="one standard of an assessment",
    )
    for row in standards:
        _with_parts(row)
    statements.prefetched(assessment, "standards", standards)
    return assessment


def _with_parts(row: StandardAssessment) -> None:
    """The standard's descriptors and the row's prompt answers, prefetched."""
    descriptors = statements.instances(
        Descriptor,
        _descriptors_of,
        {"standard_id": row.standard_id},
        name="a standard's descriptors",
    )
    statements.prefetched(row.standard, "descriptors", descriptors)
    answers = statements.instances(
        PromptAnswer,
        _answers_of,
        {"standard_assessment_id": row.pk},
        name="a standard's prompt answers",
    )
    statements.prefetched(row, "answers", answers)


def _assessment_alone(*, pk: int) -> QuerySet:
    return Assessment.objects.filter(pk=pk)


def _assessment_by_id(*, pk: int) -> QuerySet:
    return Assessment.objects.filter(pk=pk).select_related(
        "review", "document", "inspector"
    )


def _standard_of(*, assessment_id: int, number: int) -> QuerySet:
    return StandardAssessment.objects.filter(
        assessment_id=assessment_id, standard__number=number
    ).select_related("standard")


def _descriptors_of(*, standard_id: int) -> QuerySet:
    return Descriptor.objects.filter(standard_id=standard_id)


def _answers_of(*, standard_assessment_id: int) -> QuerySet:
    return PromptAnswer.objects.filter(
        standard_assessment_id=standard_assessment_id
    ).select_related("prompt")


def _comments_of(*, assessment_id: int) -> QuerySet:
    return ModerationComment.objects.filter(assessment_id=assessment_id).select_related(
        "author"
    )


def assessment_to_save(*, pk: int) -> Assessment | None:
    """
    The assessment with what a background save reads: its standards, their
    descriptors and prompt answers, and its policy (for the overall
    suggestion); not the review, the findings or the comments.
    """
    standards = StandardAssessment.objects.select_related("standard")
    return (
        Assessment.objects.filter(pk=pk)
        .select_related("policy")
        .prefetch_related(
            Prefetch(
                "standards",
                queryset=standards.prefetch_related(
                    "standard__descriptors",
                    Prefetch(
                        "answers",
                        queryset=PromptAnswer.objects.select_related("prompt"),
                    ),
                ),
            )
        )
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


# The list pages: each a keyset-paged queryset of values (the sort keys
# first), and a helper that turns one page of values into rows ready to print
# (dicts: the template language looks keys up faster than attributes).

MODERATION_KEYS = ("submitted_at", "id")
TO_PUBLISH_KEYS = ("signed_off_at", "id")
MINE_KEYS = ("-due_date", "-id")
PUBLISHED_KEYS = ("-published_at", "-id")

STATUS_COLOURS = {
    Assessment.Status.PUBLISHED: "green",
    Assessment.Status.RETURNED: "orange",
    Assessment.Status.DRAFT: "light-blue",
}


def moderation_queue() -> QuerySet:
    """Live assessments waiting for moderation, oldest first."""
    return (
        Assessment.objects.filter(
            status=Assessment.Status.SUBMITTED, session_review__isnull=True
        )
        .order_by(*MODERATION_KEYS)
        .values(
            *MODERATION_KEYS,
            "inspector_id",
            "review__hmpps_reference",
            "review__region__name",
            "inspector__full_name",
        )
    )


def signed_off() -> QuerySet:
    """Live assessments agreed at moderation and waiting to be published,
    read from their partial index (`assessment_to_publish_idx`) whose
    condition names the status: hence the status in the SQL itself."""
    return (
        Assessment.objects.filter(
            equals_constant("status", Assessment.Status.SIGNED_OFF),
            session_review__isnull=True,
        )
        .order_by(*TO_PUBLISH_KEYS)
        .values(
            *TO_PUBLISH_KEYS,
            "review__hmpps_reference",
            "inspector__full_name",
            "signed_off_by__full_name",
        )
    )


def moderation_rows(page: list[dict], *, user_id: int) -> list[dict]:
    """Rows of the moderation queue; a lead's own assessment is not a link,
    since another lead must moderate it."""
    moderate = url_format("ratings:moderate")
    own = _("your own: another lead must moderate it")
    format_date = date_formatter()
    return [
        {
            "pk": v["id"],
            "review": (
                f"{v['review__hmpps_reference']} ({own})"
                if v["inspector_id"] == user_id
                else anchor(moderate.format(pk=v["id"]), v["review__hmpps_reference"])
            ),
            "reference": v["review__hmpps_reference"],
            "region": v["review__region__name"],
            "inspector": v["inspector__full_name"],
            "submitted": format_date(v["submitted_at"]),
        }
        for v in page
    ]


def to_publish_rows(page: list[dict]) -> list[dict]:
    task_list, publish = url_format("ratings:task_list"), url_format("ratings:publish")
    publish_text = _("Publish")
    format_date = date_formatter()
    return [
        {
            "pk": v["id"],
            "url": task_list.format(pk=v["id"]),
            "publish_url": publish.format(pk=v["id"]),
            "publish": publish_text,
            "reference": v["review__hmpps_reference"],
            "inspector": v["inspector__full_name"],
            "signed_off": format_date(v["signed_off_at"]),
            "signed_off_by": (
                f", {v['signed_off_by__full_name']}"
                if v["signed_off_by__full_name"]
                else ""
            ),
        }
        for v in page
    ]


def assessments_of(*, inspector_id: int) -> QuerySet:
    """The inspector's live assessments, latest due first, read a page at a
    time from their index (their reviews come with `my_rows`, one query a
    page: joined here, every review of every assessment would be read to sort
    them)."""
    return (
        Assessment.objects.filter(
            inspector_id=inspector_id, session_review__isnull=True
        )
        .order_by(*MINE_KEYS)
        .values("due_date", "id", "status", "review_id")
    )


def my_rows(page: list[dict]) -> list[dict]:
    if not page:
        return []
    reviews = reviews_named([v["review_id"] for v in page])
    # Each label translated once a page, not once a row.
    labels = {value: str(label) for value, label in Assessment.Status.choices}
    editable = (Assessment.Status.DRAFT, Assessment.Status.RETURNED)
    today = uk_today()
    format_date = date_formatter()
    task_list = url_format("ratings:task_list")
    overdue_tag = tag_after(_("Overdue"), "red")
    rows = []
    for v in page:
        overdue = v["status"] in editable and v["due_date"] < today
        review = reviews[v["review_id"]]
        rows.append(
            {
                "pk": v["id"],
                "url": task_list.format(pk=v["id"]),
                "reference": review["hmpps_reference"],
                "region": review["region__name"],
                "offence": review["offence_category__name"],
                "due": format_date(v["due_date"]),
                "overdue": overdue,
                "overdue_tag": overdue_tag if overdue else "",
                "status": labels.get(v["status"], v["status"]),
                "colour": STATUS_COLOURS.get(v["status"], "blue"),
            }
        )
    return rows


def _allocations_to_start(*, inspector_id: int) -> QuerySet:
    """The inspector's current allocations with no assessment yet, in
    due-date order, as plain values. Those not started are read from their
    own index (`allocation_to_start_idx`), not among every allocation the
    inspector has finished; the test for an assessment stays, so that one
    made without `started_at` is still not listed."""
    started = Assessment.objects.filter(allocation=OuterRef("pk"))
    return (
        Allocation.objects.filter(
            inspector_id=inspector_id, is_current=True, started_at__isnull=True
        )
        .filter(~Exists(started))
        .order_by("due_date", "id")
        .values(
            "id",
            "review_id",
            "due_date",
            "conflict",
            "review__hmpps_reference",
            "review__region__name",
        )
    )


def to_start_rows(*, inspector_id: int) -> list[dict]:
    """Rows of "Allocated to you" (their query built once a process): a
    review may be started once its inspector has declared no conflict of
    interest."""
    allocations = statements.values(
        Allocation,
        _allocations_to_start,
        {"inspector_id": inspector_id},
        name="allocations to start",
    )
    detail = url_format("reviews:detail")
    start = url_format("ratings:start", "review_pk")
    today = uk_today()
    format_date = date_formatter()
    return [
        {
            "url": detail.format(pk=v["review_id"]),
            "start_url": start.format(review_pk=v["review_id"]),
            "reference": v["review__hmpps_reference"],
            "region": v["review__region__name"],
            "due": format_date(v["due_date"]),
            "overdue": v["due_date"] < today,
            "can_start": v["conflict"] == Allocation.Conflict.NONE,
        }
        for v in allocations
    ]


def published(*, organisation_id: int | None = None) -> QuerySet:
    """Published live assessments, latest published first (their latest
    publication comes with `published_rows`, one query a page)."""
    assessments = Assessment.objects.filter(
        Exists(Publication.objects.filter(assessment=OuterRef("pk"))),
        published_at__isnull=False,
        session_review__isnull=True,
    )
    if organisation_id is not None:
        assessments = assessments.filter(review__organisation_id=organisation_id)
    return assessments.order_by(*PUBLISHED_KEYS).values(
        *[key.lstrip("-") for key in PUBLISHED_KEYS],
        "review__hmpps_reference",
        "review__region__name",
        "review__offence_category__name",
    )


def _publications_of(**ids) -> QuerySet:
    return (
        Publication.objects.filter(assessment_id__in=list(ids.values()))
        .order_by("assessment_id", "-number")
        .values(
            "assessment_id",
            "number",
            "published_at",
            "report_job_id",
            "report_job__status",
            "overall",
        )
    )


def published_rows(page: list[dict]) -> list[dict]:
    latest = {}
    publications = (
        statements.values(
            Publication,
            _publications_of,
            statements.by_id([v["id"] for v in page]),
            name="publications of a page",
        )
        if page
        else []
    )
    for publication in publications:
        latest.setdefault(publication["assessment_id"], publication)
    download = url_format("reports:job_download")
    format_date = date_formatter()
    # Translated once a page, not once a row.
    words = {
        "download": _("Download PDF"),
        "failed": _("Not available"),
        "waiting": _("Being made"),
        "for": _("for %(reference)s"),
        "publication": _("publication %(number)s"),
    }
    rows = []
    for v in page:
        publication = latest.get(v["id"], {})
        number = publication.get("number") or 1
        status = publication.get("report_job__status")
        if status == "done":
            href = download.format(pk=publication["report_job_id"])
            hidden = words["for"] % {"reference": v["review__hmpps_reference"]}
            report = anchor(href, words["download"], hidden=hidden)
        else:
            report = words["failed" if status == "failed" else "waiting"]
        rows.append(
            {
                "pk": v["id"],
                "reference": v["review__hmpps_reference"],
                "region": v["review__region__name"],
                "offence": v["review__offence_category__name"],
                "overall": publication.get("overall") or "",
                "published": format_date(publication.get("published_at")),
                "publication": (
                    " (" + words["publication"] % {"number": number} + ")"
                    if number > 1
                    else ""
                ),
                "number": number,
                "report": report,
            }
        )
    return rows


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

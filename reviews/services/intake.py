"""Receiving reviews from HMPPS (form, bulk upload, API), new versions,
extensions and the virus scan of stored documents."""

from dataclasses import dataclass
from datetime import timedelta

from django.core.exceptions import ValidationError
from django.core.files.storage import default_storage
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from accounts.audit import Action, audit_record
from accounts.models import User
from reviews import rules
from reviews.models import DocumentVersion, Extension, Review, ReviewEvent
from reviews.services.events import event_record
from sfoqa import antivirus
from sfoqa.outbox import send_after_commit, send_each_after_commit
from sfoqa.uploads import InspectedUpload, store_upload

SCAN_RESULTS = {
    antivirus.CLEAN: DocumentVersion.ScanStatus.CLEAN,
    antivirus.INFECTED: DocumentVersion.ScanStatus.INFECTED,
    antivirus.NOT_CONFIGURED: DocumentVersion.ScanStatus.NOT_SCANNED,
    antivirus.ERROR: DocumentVersion.ScanStatus.ERROR,
}


@dataclass(frozen=True)
class Files:
    """The documents of one version: the review and, if separate, its action plan."""

    review_document: InspectedUpload
    action_plan: InspectedUpload | None = None

    def items(self) -> list[tuple[str, InspectedUpload]]:
        pairs = [(DocumentVersion.DocumentType.REVIEW, self.review_document)]
        if self.action_plan is not None:
            pairs.append((DocumentVersion.DocumentType.ACTION_PLAN, self.action_plan))
        return pairs


def files_problems(files: Files, *, organisation) -> dict[str, str]:
    """Duplicate files, within this version or already received."""
    problems = {}
    seen = set()
    for field, inspected in (
        ("review_document", files.review_document),
        ("action_plan", files.action_plan),
    ):
        if inspected is None:
            continue
        if inspected.sha256 in seen:
            problems[field] = _("The action plan is the same file as the review")
        elif problem := rules.file_problem(inspected.sha256, organisation=organisation):
            problems[field] = problem
        seen.add(inspected.sha256)
    return problems


def receive_problems(*, facts: dict, files: Files, organisation) -> dict[str, str]:
    """Everything that stops these facts and files being received."""
    problems = rules.fact_problems(facts)
    if problem := rules.reference_problem(
        facts.get("hmpps_reference", ""), organisation=organisation
    ):
        problems["hmpps_reference"] = problem
    return {**files_problems(files, organisation=organisation), **problems}


def _delete_files(names) -> None:
    for name in names:
        default_storage.delete(name)


FIELDS = {
    DocumentVersion.DocumentType.REVIEW: "review_document",
    DocumentVersion.DocumentType.ACTION_PLAN: "action_plan",
}


def _store_file(inspected: InspectedUpload, document_type: str) -> str:
    try:
        return store_upload(inspected, folder="reviews")
    except ValidationError as error:
        raise ValidationError({FIELDS[document_type]: error}) from error


def _store_version(*, review: Review, number: int, files: Files, by) -> list:
    """Store each file and record it; on any failure remove what was stored."""
    stored = []
    try:
        for document_type, inspected in files.items():
            name = _store_file(inspected, document_type)
            stored.append(name)
            DocumentVersion.objects.create(
                review=review,
                number=number,
                document_type=document_type,
                storage_name=name,
                display_name=inspected.display_name,
                kind=inspected.kind,
                content_type=inspected.content_type,
                size=inspected.size,
                sha256=inspected.sha256,
                uploaded_by=by,
            )
    except Exception:
        _delete_files(stored)
        raise
    return stored


def _queue_scans(review: Review, number: int) -> None:
    from reviews.tasks import scan_document

    ids = list(review.documents.filter(number=number).values_list("pk", flat=True))
    send_each_after_commit(scan_document, [(pk,) for pk in ids])


def _create_review(*, by: User, facts: dict, received_on) -> Review:
    now = timezone.now()
    try:
        with transaction.atomic():
            return Review.objects.create(
                **facts,
                organisation=by.organisation,
                submitted_by=by,
                due_date=facts["target_date"],
                received_on=received_on or timezone.localdate(),
                received_at=now,
            )
    except IntegrityError as error:
        # Two uploads of the same reference at once: the second one lands here.
        raise ValidationError(
            {
                "hmpps_reference": rules.reference_problem(
                    facts["hmpps_reference"], organisation=by.organisation
                )
            }
        ) from error


@transaction.atomic
def review_receive(
    *,
    by: User,
    facts: dict,
    files: Files,
    channel: str = "form",
    received_on=None,
    acknowledge: bool = True,
    request=None,
) -> Review:
    """Record a review HMPPS has sent, store its documents and queue their scan."""
    facts = {
        **facts,
        "hmpps_reference": rules.normalise_reference(facts["hmpps_reference"]),
    }
    if problems := receive_problems(
        facts=facts, files=files, organisation=by.organisation
    ):
        raise ValidationError(problems)
    review = _create_review(by=by, facts=facts, received_on=received_on)
    stored = _store_version(review=review, number=1, files=files, by=by)
    try:
        event_record(
            review=review, kind=ReviewEvent.Kind.RECEIVED, actor=by, channel=channel
        )
        audit_record(
            action=Action.REVIEW_RECEIVED,
            request=request,
            actor=by,
            target=review,
            details={"channel": channel, "documents": len(stored)},
        )
    except Exception:
        _delete_files(stored)
        raise
    _queue_scans(review, 1)
    if acknowledge:
        _queue_acknowledgement(review)
    return review


def _queue_acknowledgement(review: Review) -> None:
    from reviews.tasks import send_acknowledgement

    send_after_commit(send_acknowledgement, review.pk)


@transaction.atomic
def review_receive_many(
    *, by: User, rows: list[tuple[dict, Files]], request=None
) -> list[Review]:
    """Receive every row or none: on any failure, nothing stays stored."""
    reviews = []
    try:
        for facts, files in rows:
            reviews.append(
                review_receive(
                    by=by, facts=facts, files=files, channel="bulk", acknowledge=False
                )
            )
    except Exception:
        names = DocumentVersion.objects.filter(review__in=reviews).values_list(
            "storage_name", flat=True
        )
        _delete_files(list(names))
        raise
    audit_record(
        action=Action.REVIEW_RECEIVED,
        request=request,
        actor=by,
        object_type="reviews.bulk",
        details={"channel": "bulk", "reviews": len(reviews)},
    )
    from reviews.tasks import send_bulk_acknowledgement

    ids = [review.pk for review in reviews]
    send_after_commit(send_bulk_acknowledgement, by.pk, ids)
    return reviews


@transaction.atomic
def review_version_add(*, by: User, review: Review, files: Files, request=None) -> int:
    """Record a resubmission: the next version number, with its documents."""
    if problems := files_problems(files, organisation=by.organisation):
        raise ValidationError(problems)
    Review.objects.select_for_update().filter(pk=review.pk).first()
    latest = review.documents.aggregate(number=Max("number"))["number"] or 0
    number = latest + 1
    _store_version(review=review, number=number, files=files, by=by)
    event_record(
        review=review, kind=ReviewEvent.Kind.VERSION_ADDED, actor=by, version=number
    )
    audit_record(
        action=Action.REVIEW_CHANGED,
        request=request,
        actor=by,
        target=review,
        details={"version_added": number},
    )
    _queue_scans(review, number)
    _queue_version_notices(review, number)
    return number


def _queue_version_notices(review: Review, number: int) -> None:
    """HMPPS gets a receipt; during QA, the inspector and the lead hear of it."""
    from reviews.tasks import send_new_version_notice, send_version_receipt

    send_after_commit(send_version_receipt, review.pk, number)
    if review.status in (Review.Status.ALLOCATED, Review.Status.IN_QA):
        send_after_commit(send_new_version_notice, review.pk, number)


def _check_later(review: Review, new_target_date) -> None:
    if new_target_date <= review.due_date:
        message = _("The new target date must be after the current one, %(date)s")
        raise ValidationError(
            {
                "new_target_date": message
                % {"date": date_format(review.due_date, "j F Y")}
            }
        )


@transaction.atomic
def review_extension_add(
    *,
    by: User,
    review: Review,
    reason: str,
    new_target_date,
    agreed_by: str,
    agreed_on,
    request=None,
) -> Extension:
    """Record an agreed extension and move the review's target date."""
    review = Review.objects.select_for_update().get(pk=review.pk)
    _check_later(review, new_target_date)
    extension = review.extensions.create(
        reason=reason,
        new_target_date=new_target_date,
        agreed_by=agreed_by,
        agreed_on=agreed_on,
    )
    review.due_date = new_target_date
    review.save(update_fields=["due_date"])
    event_record(
        review=review,
        kind=ReviewEvent.Kind.EXTENSION_ADDED,
        actor=by,
        new_target_date=new_target_date.isoformat(),
    )
    audit_record(
        action=Action.REVIEW_CHANGED,
        request=request,
        actor=by,
        target=review,
        details={"extension_added": extension.pk},
    )
    return extension


@transaction.atomic
def document_scan(*, document_id: int) -> str:
    """Scan a stored document once; return its scan status."""
    document = (
        DocumentVersion.objects.select_for_update().filter(pk=document_id).first()
    )
    if document is None:
        return ""
    waiting = (DocumentVersion.ScanStatus.PENDING, DocumentVersion.ScanStatus.ERROR)
    if document.scan_status not in waiting:
        return document.scan_status
    with default_storage.open(document.storage_name, "rb") as handle:
        result = antivirus.scan_bytes(handle.read())
    document.scan_status = SCAN_RESULTS[result]
    document.save(update_fields=["scan_status"])
    if document.scan_status == DocumentVersion.ScanStatus.INFECTED:
        from reviews.tasks import send_infected_notice

        send_after_commit(send_infected_notice, document.pk)
    return document.scan_status


# A document still waiting this long after upload lost its scan task (the
# broker was down, or every retry found the scanner down): the sweep's.
RESCAN_AFTER = timedelta(minutes=2)


def documents_rescan(*, limit: int = 100) -> int:
    """Scan the documents still in quarantine; stop while the scanner is down."""
    waiting = (DocumentVersion.ScanStatus.PENDING, DocumentVersion.ScanStatus.ERROR)
    ids = DocumentVersion.objects.filter(
        scan_status__in=waiting, uploaded_at__lte=timezone.now() - RESCAN_AFTER
    ).values_list("pk", flat=True)[:limit]
    scanned = 0
    for document_id in list(ids):
        if document_scan(document_id=document_id) == DocumentVersion.ScanStatus.ERROR:
            break
        scanned += 1
    return scanned

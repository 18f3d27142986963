from celery import shared_task
from django.conf import settings
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.translation import gettext as _

from accounts.notify import email_send
from reviews import services
from reviews.models import Allocation, DocumentVersion, Review


def _link(name: str, **kwargs) -> str:
    return settings.SITE_URL.rstrip("/") + reverse(name, kwargs=kwargs)


def _email(*, kind: str, to, subject: str, template: str, context: dict) -> None:
    email_send(
        kind=kind,
        to=to.email,
        subject=subject,
        body=render_to_string(f"reviews/email/{template}", context),
        recipient_id=to.pk,
        fields={"url": context["url"]},
    )


class ScanNotFinished(Exception):
    """The scanner failed this time: try again later."""


@shared_task(
    name="reviews.scan_document",
    autoretry_for=(ScanNotFinished, OSError),
    retry_backoff=True,
    max_retries=8,
)
def scan_document(document_id: int) -> str:
    status = services.document_scan(document_id=document_id)
    if status == DocumentVersion.ScanStatus.ERROR:
        raise ScanNotFinished
    return status


@shared_task(name="reviews.rescan_documents")
def rescan_documents() -> int:
    return services.documents_rescan()


@shared_task(
    name="reviews.send_infected_notice",
    autoretry_for=(OSError,),
    retry_backoff=True,
    max_retries=5,
)
def send_infected_notice(document_id: int) -> None:
    """Tell the person who uploaded a document that a virus was found in it."""
    document = (
        DocumentVersion.objects.select_related("review", "uploaded_by")
        .filter(pk=document_id, scan_status=DocumentVersion.ScanStatus.INFECTED)
        .first()
    )
    if document is None or document.uploaded_by is None:
        return
    _email(
        kind="review_document_infected",
        to=document.uploaded_by,
        subject=_("A virus was found in a document for SFO review %(reference)s")
        % {"reference": document.review},
        template="infected.txt",
        context={
            "document": document,
            "url": _link("reviews:detail", pk=document.review_id),
        },
    )


@shared_task(
    name="reviews.send_acknowledgement",
    autoretry_for=(OSError,),
    retry_backoff=True,
    max_retries=5,
)
def send_acknowledgement(review_id: int) -> None:
    """Tell the person who uploaded a review that it arrived."""
    review = Review.objects.select_related("submitted_by").filter(pk=review_id).first()
    if review is None or review.submitted_by is None:
        return
    _email(
        kind="review_received",
        to=review.submitted_by,
        subject=_("SFO review %(reference)s received") % {"reference": review},
        template="acknowledgement.txt",
        context={"reviews": [review], "url": _link("reviews:list")},
    )


@shared_task(
    name="reviews.send_bulk_acknowledgement",
    autoretry_for=(OSError,),
    retry_backoff=True,
    max_retries=5,
)
def send_bulk_acknowledgement(user_id: int, review_ids: list[int]) -> None:
    reviews = list(
        Review.objects.filter(pk__in=review_ids).select_related("submitted_by")
    )
    if not reviews or reviews[0].submitted_by is None:
        return
    _email(
        kind="review_received",
        to=reviews[0].submitted_by,
        subject=_("%(count)s SFO reviews received") % {"count": len(reviews)},
        template="acknowledgement.txt",
        context={"reviews": reviews, "url": _link("reviews:list")},
    )


@shared_task(
    name="reviews.send_allocation_notice",
    autoretry_for=(OSError,),
    retry_backoff=True,
    max_retries=5,
)
def send_allocation_notice(allocation_id: int) -> None:
    """Tell an inspector a review is theirs (and that a declaration comes first)."""
    allocation = (
        Allocation.objects.select_related("review", "inspector")
        .filter(pk=allocation_id, is_current=True)
        .first()
    )
    if allocation is None:
        return
    _email(
        kind="review_allocated",
        to=allocation.inspector,
        subject=_("An SFO review has been allocated to you"),
        template="allocated.txt",
        context={
            "allocation": allocation,
            "url": _link("reviews:detail", pk=allocation.review_id),
        },
    )


@shared_task(
    name="reviews.send_conflict_notice",
    autoretry_for=(OSError,),
    retry_backoff=True,
    max_retries=5,
)
def send_conflict_notice(allocation_id: int) -> None:
    """Tell the lead who allocated a review that it needs another inspector."""
    allocation = (
        Allocation.objects.select_related("review", "allocated_by", "inspector")
        .filter(pk=allocation_id)
        .first()
    )
    if allocation is None:
        return
    _email(
        kind="review_conflict",
        to=allocation.allocated_by,
        subject=_("An SFO review needs to be allocated again"),
        template="conflict.txt",
        context={
            "allocation": allocation,
            "url": _link("reviews:allocate", pk=allocation.review_id),
        },
    )


def _version(review_id: int, number: int) -> DocumentVersion | None:
    return (
        DocumentVersion.objects.select_related("review", "uploaded_by")
        .filter(
            review_id=review_id,
            number=number,
            document_type=DocumentVersion.DocumentType.REVIEW,
        )
        .first()
    )


@shared_task(
    name="reviews.send_version_receipt",
    autoretry_for=(OSError,),
    retry_backoff=True,
    max_retries=5,
)
def send_version_receipt(review_id: int, number: int) -> None:
    """Tell the person who sent a new version of a review that it arrived."""
    document = _version(review_id, number)
    if document is None or document.uploaded_by is None:
        return
    _email(
        kind="review_version_receipt",
        to=document.uploaded_by,
        subject=_("Version %(number)s of SFO review %(reference)s received")
        % {"number": number, "reference": document.review},
        template="version_receipt.txt",
        context={"document": document, "url": _link("reviews:detail", pk=review_id)},
    )


@shared_task(
    name="reviews.send_new_version_notice",
    autoretry_for=(OSError,),
    retry_backoff=True,
    max_retries=5,
)
def send_new_version_notice(review_id: int, number: int) -> None:
    """Tell the inspector rating a review, and the lead who allocated it, that
    HMPPS sent a new version of it."""
    document = _version(review_id, number)
    allocation = (
        Allocation.objects.select_related("inspector", "allocated_by")
        .filter(review_id=review_id, is_current=True)
        .first()
    )
    if document is None or allocation is None:
        return
    people = {allocation.inspector, allocation.allocated_by}
    for person in sorted(people, key=lambda p: p.pk):
        if not person.is_active:
            continue
        _email(
            kind="review_new_version",
            to=person,
            subject=_("HMPPS sent version %(number)s of SFO review %(reference)s")
            % {"number": number, "reference": document.review},
            template="new_version.txt",
            context={
                "document": document,
                "rating_it": person == allocation.inspector,
                "url": _link("reviews:detail", pk=review_id),
            },
        )

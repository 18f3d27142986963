"""Writes to consultations: the consultation, its questions and documents,
and the published response."""

from collections.abc import Sequence
from datetime import datetime

from django.core.exceptions import ValidationError
from django.core.files.storage import default_storage
from django.db import transaction
from django.db.models import F, Max
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from accounts.audit import Action, audit_record
from consultations.models import (
    Audience,
    Consultation,
    Document,
    Question,
    Response,
    Status,
)
from sfoqa import antivirus
from sfoqa.uploads import InspectedUpload, store_upload

# Path segments the public URLs use, so never a consultation's address.
RESERVED_SLUGS = {"manage", "documents", "new"}

CONSULTATION_FIELDS = (
    "title",
    "summary",
    "body",
    "how_to_respond",
    "responses_email",
    "contact_email",
    "postal_address",
    "accepts_online",
    "opens_at",
    "closes_at",
)


class ConsultationConflict(Exception):
    """Someone else saved the consultation after this form was opened."""


def _unique_slug(title: str) -> str:
    base = slugify(title)[:70].strip("-") or "consultation"
    if base in RESERVED_SLUGS:
        base = f"{base}-consultation"
    slug, n = base, 1
    while Consultation.objects.filter(slug=slug).exists():
        n += 1
        slug = f"{base}-{n}"
    return slug


def _sync_audiences(*, consultation: Consultation, names: Sequence[str]) -> None:
    """Make the audiences those named, in order; one with responses stays."""
    existing = {a.name: a for a in consultation.audiences.all()}
    for position, name in enumerate(names):
        audience = existing.pop(name, None)
        if audience is None:
            Audience.objects.create(
                consultation=consultation, name=name, position=position
            )
        elif audience.position != position:
            audience.position = position
            audience.save(update_fields=["position"])
    for audience in existing.values():
        if audience.responses.exists():
            raise ValidationError(
                _("You cannot remove “%(name)s”: responses have been recorded for it.")
                % {"name": audience.name}
            )
        audience.delete()


def _check_times(opens_at: datetime, closes_at: datetime) -> None:
    if closes_at <= opens_at:
        raise ValidationError(_("The closing time must be after the opening time"))


@transaction.atomic
def consultation_create(
    *, by, audiences: Sequence[str] = (), request=None, **fields
) -> Consultation:
    """Create a draft consultation."""
    _check_times(fields["opens_at"], fields["closes_at"])
    consultation = Consultation.objects.create(
        slug=_unique_slug(fields["title"]),
        created_by=by,
        **{name: fields[name] for name in CONSULTATION_FIELDS},
    )
    _sync_audiences(consultation=consultation, names=audiences)
    audit_record(
        action=Action.CONSULTATION_CREATED,
        request=request,
        actor=by,
        target=consultation,
    )
    return consultation


@transaction.atomic
def consultation_update(
    *,
    by,
    consultation: Consultation,
    version: int,
    audiences: Sequence[str] = (),
    request=None,
    **fields,
) -> Consultation:
    """Change a consultation, refusing if someone else saved it in the meantime."""
    _check_times(fields["opens_at"], fields["closes_at"])
    changed = [n for n in CONSULTATION_FIELDS if getattr(consultation, n) != fields[n]]
    updated = Consultation.objects.filter(pk=consultation.pk, version=version).update(
        version=F("version") + 1, **{n: fields[n] for n in CONSULTATION_FIELDS}
    )
    if not updated:
        raise ConsultationConflict
    consultation.refresh_from_db()
    _sync_audiences(consultation=consultation, names=audiences)
    audit_record(
        action=Action.CONSULTATION_CHANGED,
        request=request,
        actor=by,
        target=consultation,
        details={"fields": changed},
    )
    return consultation


@transaction.atomic
def consultation_publish(*, by, consultation: Consultation, request=None) -> None:
    """Make a draft consultation public; it opens and closes by the clock."""
    if consultation.published_at is not None:
        return
    if consultation.accepts_online and not consultation.questions.exists():
        raise ValidationError(
            _(
                "Add at least one question before publishing, "
                "or turn off online responses"
            )
        )
    consultation.published_at = timezone.now()
    consultation.save(update_fields=["published_at"])
    audit_record(
        action=Action.CONSULTATION_PUBLISHED,
        request=request,
        actor=by,
        target=consultation,
    )


@transaction.atomic
def consultation_response_publish(
    *, by, consultation: Consultation, summary: str, request=None
) -> None:
    """Publish the response to a closed consultation."""
    if consultation.status != Status.CLOSED:
        raise ValidationError(
            _("You can publish a response only once the consultation has closed")
        )
    has_document = consultation.documents.filter(kind=Document.Kind.RESPONSE).exists()
    if not summary.strip() and not has_document:
        raise ValidationError(
            _("Write a summary of the response or add a response document first")
        )
    consultation.response_summary = summary
    consultation.response_published_at = timezone.now()
    consultation.save(update_fields=["response_summary", "response_published_at"])
    audit_record(
        action=Action.CONSULTATION_RESPONSE_PUBLISHED,
        request=request,
        actor=by,
        target=consultation,
        details={"responses": consultation.responses.count()},
    )


# Questions.


def _refuse_if_answered(consultation: Consultation) -> None:
    if consultation.responses.filter(channel=Response.Channel.ONLINE).exists():
        raise ValidationError(
            _("People have already answered these questions, so they cannot change")
        )


@transaction.atomic
def question_add(
    *,
    by,
    consultation: Consultation,
    text: str,
    hint: str,
    kind: str,
    required: bool,
    options: list[str],
    request=None,
) -> Question:
    """Add a question to the end of a consultation's online form."""
    _refuse_if_answered(consultation)
    last = consultation.questions.aggregate(last=Max("position"))["last"]
    question = Question.objects.create(
        consultation=consultation,
        position=(last or 0) + 1,
        text=text,
        hint=hint,
        kind=kind,
        required=required,
        options=options if kind != Question.Kind.TEXT else [],
    )
    audit_record(
        action=Action.CONSULTATION_CHANGED,
        request=request,
        actor=by,
        target=consultation,
        details={"question_added": question.pk},
    )
    return question


@transaction.atomic
def question_update(
    *,
    by,
    question: Question,
    text: str,
    hint: str,
    kind: str,
    required: bool,
    options: list[str],
    request=None,
) -> Question:
    """Change a question nobody has answered yet."""
    _refuse_if_answered(question.consultation)
    question.text, question.hint, question.kind = text, hint, kind
    question.required = required
    question.options = options if kind != Question.Kind.TEXT else []
    question.save()
    audit_record(
        action=Action.CONSULTATION_CHANGED,
        request=request,
        actor=by,
        target=question.consultation,
        details={"question_changed": question.pk},
    )
    return question


@transaction.atomic
def question_delete(*, by, question: Question, request=None) -> None:
    """Remove a question nobody has answered yet."""
    _refuse_if_answered(question.consultation)
    pk = question.pk
    question.delete()
    audit_record(
        action=Action.CONSULTATION_CHANGED,
        request=request,
        actor=by,
        target=question.consultation,
        details={"question_removed": pk},
    )


# Documents.


@transaction.atomic
def document_add(
    *,
    by,
    consultation: Consultation,
    kind: str,
    title: str,
    upload: InspectedUpload,
    request=None,
) -> Document:
    """Scan an inspected upload, store it and list it on the consultation."""
    upload.file.seek(0)
    scan = antivirus.scan_bytes(upload.file.read())
    upload.file.seek(0)
    if scan == antivirus.INFECTED:
        raise ValidationError(_("The selected file contains a virus"))
    if scan == antivirus.ERROR:
        raise ValidationError(
            _("The selected file could not be checked for viruses: try again later")
        )
    storage_name = store_upload(upload, folder="consultations")
    # The file is stored before the row: if the row cannot be written, the
    # file goes too, so nothing is left behind.
    try:
        last = consultation.documents.aggregate(last=Max("position"))["last"]
        document = Document.objects.create(
            consultation=consultation,
            kind=kind,
            title=title,
            storage_name=storage_name,
            file_type=upload.kind,
            content_type=upload.content_type,
            size=upload.size,
            sha256=upload.sha256,
            scan_status=(
                Document.ScanStatus.CLEAN
                if scan == antivirus.CLEAN
                else Document.ScanStatus.NOT_SCANNED
            ),
            original_name=upload.display_name,
            position=(last or 0) + 1,
            uploaded_by=by,
        )
        audit_record(
            action=Action.CONSULTATION_DOCUMENT_ADDED,
            request=request,
            actor=by,
            target=document,
            details={"consultation": consultation.pk, "size": upload.size},
        )
    except Exception:
        default_storage.delete(storage_name)
        raise
    return document


@transaction.atomic
def document_remove(*, by, document: Document, request=None) -> None:
    """Take a document off a consultation and delete its file after commit."""
    storage_name = document.storage_name
    audit_record(
        action=Action.CONSULTATION_DOCUMENT_REMOVED,
        request=request,
        actor=by,
        target=document,
        details={"consultation": document.consultation_id},
    )
    document.delete()
    transaction.on_commit(lambda: default_storage.delete(storage_name))

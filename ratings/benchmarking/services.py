"""Every write to a benchmarking session: set up, rate, reveal, agree, report."""

from collections.abc import Iterable

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.storage import default_storage
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.audit import Action, audit_record
from accounts.models import Organisation, User
from accounts.roles import Role
from accounts.services import user_invite
from ratings.benchmarking import selectors
from ratings.benchmarking.permissions import RATER_ROLES
from ratings.models import (
    Assessment,
    BenchmarkSession,
    Consensus,
    Declaration,
    Participant,
    SessionReview,
    Standard,
)
from ratings.services import AlreadyDone, assessment_create, latest_review_document
from reports.models import ReportJob
from reports.services import report_request
from reviews.models import Review
from sfoqa.uploads import InspectedUpload, store_upload

# A review being sampled, allocated or rated for real stays out of sessions:
# its document opens only through its allocation's conflict declaration.
LIVE_QA = (Review.Status.SAMPLED, Review.Status.ALLOCATED, Review.Status.IN_QA)


def _require_open(session: BenchmarkSession) -> None:
    if session.is_revealed:
        raise PermissionDenied


def _require_revealed(session: BenchmarkSession) -> None:
    if not session.is_revealed:
        raise PermissionDenied


@transaction.atomic
def benchmark_session_create(
    *, by: User, title: str, held_on, request=None
) -> BenchmarkSession:
    """Set up a session; the lead who creates it facilitates it."""
    session = BenchmarkSession.objects.create(
        title=title, held_on=held_on, facilitator=by
    )
    audit_record(
        action=Action.BENCHMARK_CREATED, request=request, actor=by, target=session
    )
    return session


def _next_position(session: BenchmarkSession) -> int:
    return session.reviews.count() + 1


@transaction.atomic
def benchmark_review_add(
    *,
    session: BenchmarkSession,
    by: User,
    title: str,
    review: Review | None = None,
    upload: InspectedUpload | None = None,
    request=None,
) -> SessionReview:
    """Add a received review (its latest document) or a document uploaded
    just for the session."""
    _require_open(session)
    if (review is None) == (upload is None):
        raise ValidationError(_("Choose a received review or upload a document"))
    session_review = SessionReview(
        session=session, title=title, position=_next_position(session)
    )
    if review is not None:
        if review.status in LIVE_QA:
            raise ValidationError(
                {
                    "reference": _(
                        "This review is in quality assurance now: add it once "
                        "its QA report is published, or upload an anonymised copy"
                    )
                }
            )
        document = latest_review_document(review)
        if document is None or not document.downloadable:
            raise ValidationError(
                {"reference": _("This review has no document that can be opened yet")}
            )
        session_review.review, session_review.document = review, document
    else:
        name = store_upload(upload, folder="benchmarking")
        session_review.storage_name = name
        session_review.display_name = upload.display_name
        session_review.content_type = upload.content_type
        session_review.size = upload.size
        session_review.sha256 = upload.sha256
    try:
        session_review.save()
    except Exception:
        if session_review.storage_name:
            default_storage.delete(session_review.storage_name)
        raise
    audit_record(
        action=Action.BENCHMARK_CHANGED,
        request=request,
        actor=by,
        target=session,
        details={"review_added": session_review.pk},
    )
    return session_review


@transaction.atomic
def benchmark_declare(
    *,
    session_review: SessionReview,
    by: User,
    has_conflict: bool,
    reason: str = "",
    request=None,
) -> Declaration:
    """Record the person's conflict-of-interest declaration for a session
    review; with no conflict, its document opens to them."""
    if Declaration.objects.filter(session_review=session_review, user=by).exists():
        raise ValidationError(_("You have already made your declaration"))
    declaration = Declaration.objects.create(
        session_review=session_review,
        user=by,
        has_conflict=has_conflict,
        reason=reason.strip() if has_conflict else "",
    )
    audit_record(
        action=Action.CONFLICT_DECLARED,
        request=request,
        actor=by,
        target=session_review.session,
        details={"review": session_review.pk, "conflict": has_conflict},
    )
    return declaration


@transaction.atomic
def benchmark_participants_add(
    *, session: BenchmarkSession, by: User, users: Iterable[User], request=None
) -> int:
    """Invite staff who may rate (inspectors, leads, benchmarking participants)."""
    _require_open(session)
    present = set(session.participants.values_list("user_id", flat=True))
    added = [
        Participant(session=session, user=user)
        for user in users
        if user.pk not in present and user.has_role(*RATER_ROLES)
    ]
    Participant.objects.bulk_create(added)
    audit_record(
        action=Action.BENCHMARK_CHANGED,
        request=request,
        actor=by,
        target=session,
        details={"participants_added": [p.user_id for p in added]},
    )
    return len(added)


@transaction.atomic
def benchmark_participant_invite(
    *,
    session: BenchmarkSession,
    by: User,
    email: str,
    full_name: str,
    organisation: Organisation | None,
    request=None,
) -> User:
    """Give an HMPPS colleague an account limited to the sessions they join."""
    _require_open(session)
    if User.objects.filter(email__iexact=email).exists():
        raise ValidationError(
            {
                "email": _(
                    "This person already has an account: add them from the "
                    "list of people instead"
                )
            }
        )
    user = user_invite(
        by=by,
        email=email,
        full_name=full_name,
        organisation=organisation,
        roles=[Role.BENCHMARK_PARTICIPANT],
        request=request,
    )
    benchmark_participants_add(session=session, by=by, users=[user], request=request)
    return user


@transaction.atomic
def benchmark_assessment_start(
    *, session_review: SessionReview, user: User
) -> Assessment:
    """The participant's own rating of a session review, made on first use."""
    session = BenchmarkSession.objects.select_for_update().get(
        pk=session_review.session_id
    )
    _require_open(session)
    if not session.participants.filter(user=user).exists():
        raise PermissionDenied
    existing = Assessment.objects.filter(
        session_review=session_review, inspector=user
    ).first()
    return existing or assessment_create(
        inspector=user,
        review=session_review.review,
        document=session_review.document,
        session_review=session_review,
    )


@transaction.atomic
def benchmark_session_reveal(
    *, session: BenchmarkSession, by: User, anonymous: bool, request=None
) -> int:
    """Show everyone's ratings and lock them. Returns how many were locked."""
    session = BenchmarkSession.objects.select_for_update().get(pk=session.pk)
    if session.is_revealed:
        raise AlreadyDone  # a second click, or another lead's, got there first
    missing = selectors.reveal_missing(session=session)
    if missing:
        raise ValidationError(missing, code="nothing_to_reveal")
    # Bumping lock_version makes a save racing the reveal fail as a conflict
    # rather than change a rating after it was shown.
    locked = Assessment.objects.filter(session_review__session=session).update(
        status=Assessment.Status.LOCKED,
        lock_version=F("lock_version") + 1,
        updated_at=timezone.now(),
    )
    BenchmarkSession.objects.filter(pk=session.pk).update(
        status=BenchmarkSession.Status.REVEALED,
        anonymous=anonymous,
        revealed_at=timezone.now(),
        revealed_by=by,
    )
    audit_record(
        action=Action.BENCHMARK_REVEALED,
        request=request,
        actor=by,
        target=session,
        details={"locked": locked, "anonymous": anonymous},
    )
    return locked


@transaction.atomic
def benchmark_consensus_record(
    *,
    session_review: SessionReview,
    standard: Standard | None,
    rating: int,
    reasoning: str,
    by: User,
    request=None,
) -> Consensus:
    """Record (or change) the agreed rating of a standard, or the overall one."""
    # Saves of one session's consensus take turns, so two at once end as the
    # later one's rating rather than a clash on the one-per-section rule.
    _require_revealed(
        BenchmarkSession.objects.select_for_update().get(pk=session_review.session_id)
    )
    if not reasoning.strip():
        raise ValidationError({"reasoning": _("Give the reasoning for the consensus")})
    consensus, _created = Consensus.objects.update_or_create(
        session_review=session_review,
        standard=standard,
        defaults={
            "rating": rating,
            "reasoning": reasoning.strip(),
            "recorded_by": by,
            "recorded_at": timezone.now(),
        },
    )
    audit_record(
        action=Action.BENCHMARK_CONSENSUS_RECORDED,
        request=request,
        actor=by,
        target=session_review.session,
        details={"review": session_review.pk, "section": consensus.section},
    )
    return consensus


@transaction.atomic
def benchmark_notes_save(
    *, session_review: SessionReview, notes: str, by: User, request=None
) -> None:
    """Keep the notes of the discussion of one review (after the reveal)."""
    _require_revealed(session_review.session)
    SessionReview.objects.filter(pk=session_review.pk).update(discussion_notes=notes)
    audit_record(
        action=Action.BENCHMARK_CHANGED,
        request=request,
        actor=by,
        target=session_review.session,
        details={"notes": session_review.pk},
    )


@transaction.atomic
def benchmark_report_request(
    *, session: BenchmarkSession, by: User, request=None
) -> ReportJob:
    """Ask for the session report PDF; only once the session is revealed."""
    _require_revealed(session)
    return report_request(
        kind="benchmark_report",
        params={"session": session.pk},
        requested_by=by,
        request=request,
    )

"""Sample rounds: draw, purposive changes with reasons, confirmation."""

from collections import defaultdict

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from accounts.audit import Action, audit_record
from accounts.models import User
from reviews import sampling
from reviews.models import (
    Review,
    ReviewEvent,
    SampleEntry,
    SampleRound,
    SampleStratum,
)


def round_population(*, period_start, period_end):
    """Received reviews in the period that no draft round holds already."""
    return (
        Review.objects.filter(
            status=Review.Status.RECEIVED,
            received_on__gte=period_start,
            received_on__lte=period_end,
        )
        .exclude(sample_entries__sample_round__status=SampleRound.Status.DRAFT)
        .order_by("pk")
    )


def _strata_members(reviews) -> dict[tuple[int, int], list[int]]:
    members = defaultdict(list)
    for pk, region, offence in reviews.values_list(
        "pk", "region_id", "offence_category_id"
    ):
        members[(region, offence)].append(pk)
    return members


def _save_draw(sample_round: SampleRound, members, shares, chosen) -> None:
    strata = {
        key: SampleStratum.objects.create(
            sample_round=sample_round,
            region_id=key[0],
            offence_category_id=key[1],
            population=len(ids),
            allocated=shares[key],
            selected=sum(pk in chosen for pk in ids),
        )
        for key, ids in members.items()
    }
    SampleEntry.objects.bulk_create(
        SampleEntry(
            sample_round=sample_round,
            stratum=strata[key],
            review_id=pk,
            drawn=pk in chosen,
        )
        for key, ids in members.items()
        for pk in ids
    )


@transaction.atomic
def sample_round_draw(
    *,
    by: User,
    period_start,
    period_end,
    target_percent: int = 20,
    seed: int | None = None,
    request=None,
) -> SampleRound:
    """Draw a stratified sample as a draft for the lead to check and confirm."""
    members = _strata_members(
        round_population(period_start=period_start, period_end=period_end)
    )
    if not members:
        raise ValidationError(
            {
                "period_start": _(
                    "No reviews received in this period are waiting to be sampled"
                )
            }
        )
    seed = sampling.new_seed() if seed is None else seed
    shares = sampling.largest_remainder(
        {key: len(ids) for key, ids in members.items()}, target_percent
    )
    sample_round = SampleRound.objects.create(
        period_start=period_start,
        period_end=period_end,
        target_percent=target_percent,
        seed=seed,
        created_by=by,
    )
    _save_draw(sample_round, members, shares, sampling.draw(members, shares, seed))
    audit_record(
        action=Action.SAMPLE_ROUND_DRAWN,
        request=request,
        actor=by,
        target=sample_round,
        details={"population": sum(map(len, members.values())), "seed": seed},
    )
    return sample_round


def _draft_entry(sample_round: SampleRound, review_id: int) -> SampleEntry:
    if not sample_round.is_draft:
        raise ValidationError(_("This sample round has been confirmed already"))
    entry = (
        SampleEntry.objects.select_for_update()
        .filter(sample_round=sample_round, review_id=review_id)
        .first()
    )
    if entry is None:
        raise ValidationError(_why_not_in_round(sample_round, review_id))
    return entry


def _why_not_in_round(sample_round: SampleRound, review_id: int) -> str:
    """Say why a review is not in this round's population."""
    review = Review.objects.filter(pk=review_id).first()
    if review is None:
        return _("There is no review with this HMPPS reference")
    names = {
        "reference": review.hmpps_reference,
        "received": date_format(review.received_on, "j F Y"),
        "start": date_format(sample_round.period_start, "j F Y"),
        "end": date_format(sample_round.period_end, "j F Y"),
        "status": review.get_status_display().lower(),
    }
    if not sample_round.period_start <= review.received_on <= sample_round.period_end:
        return (
            _(
                "%(reference)s cannot be added: it was received on %(received)s, "
                "outside this round's period (%(start)s to %(end)s)"
            )
            % names
        )
    if review.status != Review.Status.RECEIVED:
        return (
            _(
                "%(reference)s cannot be added: it is %(status)s already, "
                "so an earlier round has decided it"
            )
            % names
        )
    return (
        _(
            "%(reference)s cannot be added: it was received after this round "
            "was drawn or is in another draft round"
        )
        % names
    )


def _count_change(entry: SampleEntry, change: int) -> None:
    """Keep the stratum's count of its sample with the entry just changed."""
    SampleStratum.objects.filter(pk=entry.stratum_id).update(
        selected=F("selected") + change
    )


def _audit_change(sample_round, by, request, change: str, review_id: int) -> None:
    audit_record(
        action=Action.SAMPLE_ROUND_CHANGED,
        request=request,
        actor=by,
        target=sample_round,
        details={"change": change, "review": review_id},
    )


@transaction.atomic
def sample_entry_add(
    *, by: User, sample_round: SampleRound, review_id: int, reason: str, request=None
) -> SampleEntry:
    """Add a review to the sample on purpose, with the reason."""
    entry = _draft_entry(sample_round, review_id)
    if entry.selected:
        raise ValidationError(_("This review is in the sample already"))
    if entry.removed:
        entry.removed = False
    else:
        entry.added = True
    entry.reason = reason
    entry.save(update_fields=["added", "removed", "reason"])
    _count_change(entry, +1)
    _audit_change(sample_round, by, request, "added", review_id)
    return entry


@transaction.atomic
def sample_entry_remove(
    *, by: User, sample_round: SampleRound, review_id: int, reason: str, request=None
) -> SampleEntry:
    """Take a review out of the sample on purpose, with the reason."""
    entry = _draft_entry(sample_round, review_id)
    if not entry.selected:
        raise ValidationError(_("This review is not in the sample"))
    if entry.added:
        entry.added = False
    else:
        entry.removed = True
    entry.reason = reason
    entry.save(update_fields=["added", "removed", "reason"])
    _count_change(entry, -1)
    _audit_change(sample_round, by, request, "removed", review_id)
    return entry


def _set_status(ids: list[int], status: str, kind: str, by, round_id: int) -> None:
    Review.objects.filter(pk__in=ids).update(status=status)
    now = timezone.now()
    ReviewEvent.objects.bulk_create(
        ReviewEvent(
            review_id=pk, kind=kind, actor=by, at=now, details={"round": round_id}
        )
        for pk in ids
    )


@transaction.atomic
def sample_round_discard(
    *, by: User, sample_round: SampleRound, request=None
) -> SampleRound:
    """Set a draft aside: its reviews return to the pool, its seed stays on
    record so the same draw can be made again."""
    sample_round = SampleRound.objects.select_for_update().get(pk=sample_round.pk)
    if not sample_round.is_draft:
        raise ValidationError(_("Only a draft sample round can be discarded"))
    sample_round.status = SampleRound.Status.DISCARDED
    sample_round.save(update_fields=["status"])
    audit_record(
        action=Action.SAMPLE_ROUND_CHANGED,
        request=request,
        actor=by,
        target=sample_round,
        details={"change": "discarded", "seed": sample_round.seed},
    )
    return sample_round


@transaction.atomic
def sample_round_confirm(
    *, by: User, sample_round: SampleRound, request=None
) -> SampleRound:
    """Mark the sample `sampled` and the rest of the population `not_sampled`."""
    sample_round = SampleRound.objects.select_for_update().get(pk=sample_round.pk)
    if not sample_round.is_draft:
        raise ValidationError(_("This sample round has been confirmed already"))
    entries = list(sample_round.entries.select_related("review"))
    if any(entry.review.status != Review.Status.RECEIVED for entry in entries):
        raise ValidationError(
            _("Some reviews in this round have changed since it was drawn: draw again")
        )
    chosen = [entry.review_id for entry in entries if entry.selected]
    others = [entry.review_id for entry in entries if not entry.selected]
    _set_status(
        chosen, Review.Status.SAMPLED, ReviewEvent.Kind.SAMPLED, by, sample_round.pk
    )
    _set_status(
        others,
        Review.Status.NOT_SAMPLED,
        ReviewEvent.Kind.NOT_SAMPLED,
        by,
        sample_round.pk,
    )
    sample_round.status = SampleRound.Status.CONFIRMED
    sample_round.confirmed_by = by
    sample_round.confirmed_at = timezone.now()
    sample_round.save(update_fields=["status", "confirmed_by", "confirmed_at"])
    audit_record(
        action=Action.SAMPLE_ROUND_CONFIRMED,
        request=request,
        actor=by,
        target=sample_round,
        details={"sampled": len(chosen), "not_sampled": len(others)},
    )
    return sample_round

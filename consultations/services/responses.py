"""Writes to responses: sent online, recorded by staff, tagged, retained."""

import calendar
import secrets
from collections.abc import Iterable
from datetime import datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.audit import Action, audit_record
from consultations.models import (
    Audience,
    Consultation,
    Response,
    Status,
    Theme,
)
from sfoqa.outbox import send_after_commit

# Letters and digits that cannot be mistaken for each other (no 0/O, 1/I/L).
REFERENCE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
REFERENCE_LENGTH = 8


class ConsultationNotOpen(Exception):
    """The consultation is not open at the moment a response arrives."""


# Responses.


def new_reference() -> str:
    while True:
        code = "".join(
            secrets.choice(REFERENCE_ALPHABET) for _ in range(REFERENCE_LENGTH)
        )
        reference = f"HMIP-{code}"
        if not Response.objects.filter(reference=reference).exists():
            return reference


@transaction.atomic
def response_submit(
    *,
    consultation: Consultation,
    audience: Audience | None,
    answers: dict,
    name: str = "",
    email: str = "",
    organisation: str = "",
    held_for_review: bool = False,
    request=None,
) -> Response:
    """Accept a response sent online, only while the consultation is open;
    one that tripped the spam check is kept, held for staff to review."""
    from consultations.tasks import send_receipt

    # Lock the row so the check and the insert see the same closing time.
    locked = Consultation.objects.select_for_update().get(pk=consultation.pk)
    if not (locked.accepts_online and locked.status_at(timezone.now()) == Status.OPEN):
        raise ConsultationNotOpen
    response = Response.objects.create(
        consultation=locked,
        audience=audience,
        reference=new_reference(),
        channel=Response.Channel.ONLINE,
        name=name,
        email=email,
        organisation=organisation,
        answers=answers,
        held_for_review=held_for_review,
    )
    audit_record(
        action=Action.CONSULTATION_RESPONSE_SUBMITTED,
        request=request,
        target=response,
        details={"consultation": locked.pk, "held": held_for_review},
    )
    # No receipt to an address software typed in: staff accept it first.
    if email and not held_for_review:
        send_after_commit(send_receipt, response.pk)
    return response


@transaction.atomic
def response_record(
    *,
    by,
    consultation: Consultation,
    channel: str,
    received_at: datetime,
    audience: Audience | None = None,
    name: str = "",
    email: str = "",
    organisation: str = "",
    text: str = "",
    themes: Iterable[Theme] = (),
    date_only: bool = False,
    late_reason: str = "",
    request=None,
) -> Response:
    """Record a response that came by email or post."""
    if channel not in (Response.Channel.EMAIL, Response.Channel.POST):
        raise ValidationError(_("Choose email or post"))
    response = Response.objects.create(
        consultation=consultation,
        audience=audience,
        reference=new_reference(),
        channel=channel,
        received_at=received_at,
        name=name,
        email=email,
        organisation=organisation,
        text=text,
        date_only=date_only,
        late_reason=late_reason,
        recorded_by=by,
    )
    response.themes.set(themes)
    audit_record(
        action=Action.CONSULTATION_RESPONSE_RECORDED,
        request=request,
        actor=by,
        target=response,
        details={"consultation": consultation.pk, "channel": channel},
    )
    return response


@transaction.atomic
def response_set_themes(
    *, by, response: Response, themes: Iterable[Theme], request=None
) -> None:
    """Tag a response with the themes it raises."""
    before = {t.pk for t in response.themes.all()}
    after = {t.pk for t in themes}
    response.themes.set(list(themes))
    audit_record(
        action=Action.CONSULTATION_RESPONSE_CHANGED,
        request=request,
        actor=by,
        target=response,
        details={"added": sorted(after - before), "removed": sorted(before - after)},
    )


@transaction.atomic
def theme_add(
    *,
    by,
    consultation: Consultation,
    name: str,
    taxonomy_slug: str = "",
    request=None,
) -> Theme:
    """Add a theme that responses to this consultation can be tagged with,
    naming the shared theme it matches, if any."""
    if consultation.themes.filter(name__iexact=name).exists():
        raise ValidationError(_("This consultation already has that theme"))
    theme = Theme.objects.create(
        consultation=consultation, name=name, taxonomy_slug=taxonomy_slug
    )
    audit_record(
        action=Action.CONSULTATION_CHANGED,
        request=request,
        actor=by,
        target=consultation,
        details={"theme_added": theme.pk, "taxonomy_slug": taxonomy_slug},
    )
    return theme


@transaction.atomic
def theme_change(*, by, theme: Theme, name: str, taxonomy_slug: str = "", request=None):
    """Rename a consultation theme or change the shared theme it names."""
    clash = theme.consultation.themes.filter(name__iexact=name).exclude(pk=theme.pk)
    if clash.exists():
        raise ValidationError(_("This consultation already has that theme"))
    theme.name, theme.taxonomy_slug = name, taxonomy_slug
    theme.save(update_fields=["name", "taxonomy_slug"])
    audit_record(
        action=Action.CONSULTATION_CHANGED,
        request=request,
        actor=by,
        target=theme.consultation,
        details={"theme_changed": theme.pk, "taxonomy_slug": taxonomy_slug},
    )
    return theme


def _months_before(moment: datetime, months: int) -> datetime:
    month_index = moment.year * 12 + moment.month - 1 - months
    year, month = divmod(month_index, 12)
    day = min(moment.day, calendar.monthrange(year, month + 1)[1])
    return moment.replace(year=year, month=month + 1, day=day)


@transaction.atomic
def responses_apply_retention(*, now: datetime | None = None) -> int:
    """
    Remove respondents' personal details a set number of months after the
    consultation's response was published. Answers stay.
    """
    now = now or timezone.now()
    months = settings.CONSULTATION_RETENTION_MONTHS
    cutoff = _months_before(now, months)
    due = Response.objects.filter(
        consultation__response_published_at__lt=cutoff, anonymised_at__isnull=True
    )
    count = due.update(name="", email="", organisation="", anonymised_at=now)
    audit_record(
        action=Action.CONSULTATION_RETENTION_RUN,
        details={"responses_anonymised": count, "months": months},
    )
    return count


@transaction.atomic
def response_accept(*, by, response: Response, request=None) -> Response:
    """Accept a response held for review: it counts from now on."""
    response = Response.objects.select_for_update().get(pk=response.pk)
    if not response.held_for_review:
        return response
    response.held_for_review = False
    response.save(update_fields=["held_for_review"])
    audit_record(
        action=Action.CONSULTATION_RESPONSE_CHANGED,
        request=request,
        actor=by,
        target=response,
        details={"accepted": True},
    )
    return response

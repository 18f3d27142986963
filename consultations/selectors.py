"""Reads that the consultation pages and exports iterate over."""

from dataclasses import dataclass
from zoneinfo import ZoneInfo

from django.db.models import Count, Prefetch, Q, QuerySet
from django.db.models.functions import Coalesce, ExtractYear
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from consultations.models import (
    Audience,
    Consultation,
    Document,
    Question,
    Response,
    Status,
)

LONDON = ZoneInfo("Europe/London")


def public_listing() -> dict[str, QuerySet[Consultation]]:
    """Published consultations by section, each section one query."""
    base = Consultation.objects.public().with_status()
    closed_statuses = [Status.CLOSED, Status.RESPONSE_PUBLISHED]
    return {
        "open": base.filter(current_status=Status.OPEN).order_by("closes_at"),
        "forthcoming": base.filter(current_status=Status.FORTHCOMING).order_by(
            "opens_at"
        ),
        "closed": base.filter(current_status__in=closed_statuses)
        .annotate(
            closed_year=Coalesce("listed_year", ExtractYear("closes_at", tzinfo=LONDON))
        )
        .order_by("-closed_year", "-closes_at", "-pk"),
    }


# Responses held for review do not count until staff accept them.
COUNTED = Q(responses__held_for_review=False)


def _audiences_with_counts():
    return Prefetch(
        "audiences",
        queryset=Audience.objects.annotate(
            response_count=Count("responses", filter=COUNTED)
        ),
    )


def _public_documents():
    return Prefetch("documents", queryset=Document.objects.order_by("position", "pk"))


def consultation_page(queryset: QuerySet[Consultation]) -> QuerySet[Consultation]:
    """What a consultation's page shows: documents, audiences, response counts."""
    return queryset.annotate(
        response_total=Count("responses", filter=COUNTED, distinct=True)
    ).prefetch_related(_public_documents(), _audiences_with_counts())


@dataclass(frozen=True)
class ResponseCount:
    audience: str
    count: int


def response_counts(consultation: Consultation) -> list[ResponseCount]:
    """Responses received per audience (or in all), from a `consultation_page` row."""
    audiences = list(consultation.audiences.all())
    if audiences:
        return [ResponseCount(a.name, a.response_count) for a in audiences]
    return [ResponseCount("", consultation.response_total)]


def response_count_sentence(counts: list[ResponseCount]) -> str:
    """ "We received 25 responses to the probation consultation and 42 ...",
    or "" when none are recorded: the count is not known then."""
    if not any(item.count for item in counts):
        return ""
    parts = [
        (
            ngettext(
                "%(count)s response to the %(audience)s consultation",
                "%(count)s responses to the %(audience)s consultation",
                item.count,
            )
            if item.audience
            else ngettext("%(count)s response", "%(count)s responses", item.count)
        )
        % {"count": item.count, "audience": item.audience}
        for item in counts
    ]
    if len(parts) > 1:
        joined = _("%(list)s and %(last)s") % {
            "list": ", ".join(parts[:-1]),
            "last": parts[-1],
        }
    else:
        joined = parts[0]
    return _("We received %(counts)s.") % {"counts": joined}


def consultations_for_staff() -> QuerySet[Consultation]:
    return (
        Consultation.objects.with_status()
        .annotate(
            response_total=Count("responses"),
            held_total=Count("responses", filter=Q(responses__held_for_review=True)),
        )
        .order_by("-closes_at", "-pk")
    )


def overdue_response_count() -> int:
    return Consultation.objects.response_overdue().count()


def overdue_responses() -> QuerySet[Consultation]:
    """Closed consultations whose response is past its 12-week due date."""
    return Consultation.objects.response_overdue().order_by("closes_at")


def staff_consultation(queryset: QuerySet[Consultation]) -> QuerySet[Consultation]:
    """A consultation's page plus its questions and themes, for staff."""
    return consultation_page(queryset).prefetch_related("questions", "themes")


def questions_for(consultation: Consultation) -> list[Question]:
    return list(consultation.questions.order_by("position", "pk"))


def responses_for_staff(
    *,
    consultation: Consultation,
    audience=None,
    channel: str = "",
    theme=None,
    held: bool = False,
) -> QuerySet[Response]:
    responses = (
        Response.objects.filter(consultation=consultation)
        .select_related("audience")
        .prefetch_related("themes")
    )
    if audience:
        responses = responses.filter(audience=audience)
    if channel:
        responses = responses.filter(channel=channel)
    if held:
        responses = responses.filter(held_for_review=True)
    if theme:
        responses = responses.filter(themes=theme)
    return responses.order_by("-received_at", "-pk")


def themes_with_counts(consultation: Consultation):
    return consultation.themes.annotate(response_count=Count("responses")).order_by(
        "name"
    )

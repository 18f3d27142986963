"""Checks on a review's case facts, shared by the form, bulk upload and the
API so that each way in refuses the same things with the same words."""

from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from reviews.models import DocumentVersion, Review

# The case facts a review carries, in the order forms and the CSV use.
FACT_FIELDS = (
    "hmpps_reference",
    "crn",
    "region",
    "delivery_unit",
    "offence_category",
    "inchoate",
    "supervision_type",
    "mappa_category",
    "mappa_level",
    "risk_level",
    "offence_date",
    "charge_date",
    "first_court_date",
    "notification_date",
    "commissioned_date",
    "target_date",
    "submitted_date",
    "reviewing_manager",
    "countersigning_manager",
    "conviction",
    "victim_summary_requested_on",
    "victim_summary_disclosed_on",
    "family_meeting_offered",
    "family_meeting_held",
)

# (earlier field, later field, message when the later one comes first)
DATE_ORDER = (
    ("offence_date", "charge_date", "The charge date must be on or after the offence"),
    (
        "charge_date",
        "first_court_date",
        "The first court appearance must be on or after the charge date",
    ),
    (
        "commissioned_date",
        "target_date",
        "The target date must be on or after the date the review was commissioned",
    ),
    (
        "commissioned_date",
        "submitted_date",
        "The submission date must be on or after the date the review was commissioned",
    ),
    (
        "victim_summary_requested_on",
        "victim_summary_disclosed_on",
        "The victim summary must be disclosed on or after it was requested",
    ),
)
NOT_IN_FUTURE = ("offence_date", "charge_date", "first_court_date", "submitted_date")


def normalise_reference(reference: str) -> str:
    return "".join(reference.split()).upper()


def fact_problems(facts: dict) -> dict[str, str]:
    """Problems with the facts as a whole: {field: message}."""
    problems = {}
    unit, region = facts.get("delivery_unit"), facts.get("region")
    if unit and region and unit.region_id != region.pk:
        problems["delivery_unit"] = _("Choose a PDU in the %(region)s region") % {
            "region": region.name
        }
    for earlier, later, message in DATE_ORDER:
        first, second = facts.get(earlier), facts.get(later)
        if first and second and second < first:
            problems.setdefault(later, _(message))
    today = timezone.localdate()
    for name in NOT_IN_FUTURE:
        if facts.get(name) and facts[name] > today:
            problems.setdefault(name, _("The date must be today or in the past"))
    if facts.get("family_meeting_held") and not facts.get("family_meeting_offered"):
        problems["family_meeting_held"] = _(
            "A family meeting can only have been held if it was offered"
        )
    return problems


def _is_own(review: Review, organisation) -> bool:
    return organisation is not None and review.organisation_id == organisation.pk


def reference_problem(reference: str, *, organisation=None) -> str | None:
    """
    Why this HMPPS reference cannot be received again, if it cannot. Only
    the organisation that sent the review learns that, and when: anyone else
    is told the reference cannot be used, nothing more.
    """
    existing = Review.objects.filter(hmpps_reference=reference).first()
    if existing is None:
        return None
    if not _is_own(existing, organisation):
        return _("This reference cannot be used")
    return _(
        "A review with HMPPS reference %(reference)s was already received on "
        "%(date)s: to send a new version, open that review and upload it there"
    ) % {"reference": reference, "date": date_format(existing.received_on, "j F Y")}


def file_problem(sha256: str, *, organisation) -> str | None:
    """Why this exact file (by SHA-256) cannot be received again, if it cannot."""
    existing = (
        DocumentVersion.objects.select_related("review").filter(sha256=sha256).first()
    )
    if existing is None:
        return None
    if not _is_own(existing.review, organisation):
        return _("This file cannot be used")
    return _(
        "This exact file has already been received, as version %(number)s of "
        "review %(reference)s: check you selected the right file"
    ) % {"number": existing.number, "reference": existing.review.hmpps_reference}

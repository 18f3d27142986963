"""
Demo years for the annual report: the last whole reporting year shaped like
HMI Probation's fourth annual report (90 rated: 1 Outstanding, 41 Good, 48
Requires improvement) and the year before like the third (87 rated, 46%
Good, 52% Requires improvement). Rows are written in bulk, so the seed stays
fast; they are finished work, so no service (and no email) is involved.
"""

import random
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.db import transaction
from django.utils import timezone

from accounts.models import Organisation, User
from insights import services
from insights.models import AnnualReport
from insights.selectors import LONDON
from ratings.models import (
    Assessment,
    Finding,
    Framework,
    OverallPolicy,
    Publication,
    Rating,
    StandardAssessment,
    Theme,
)
from reports.models import ReportJob
from reviews.models import (
    Allocation,
    DeliveryUnit,
    MappaCategory,
    OffenceCategory,
    Region,
    Review,
    RiskLevel,
    SupervisionType,
)
from reviews.selectors import reporting_year

PREFIX = "DEMO-AR-"
NOT_KEPT = "Demonstration data: no report file was kept."


@dataclass
class RatedCase:
    """One review rated and published, as the builder writes it."""

    overall: int
    published_at: datetime
    standards: Sequence[int] = ()  # one rating a standard, by number order
    region: str = ""  # slugs; blank: the first in the list
    offence: str = ""
    supervision: str = ""
    received_on: date | None = None
    days_late: int = 0
    extended: bool = False
    # (kind, [theme slugs], action plan addresses it: "", yes, partly, no)
    findings: Sequence[tuple] = ()
    republished_at: datetime | None = None


def _by_slug(model) -> dict:
    ordering = ("position", "pk") if hasattr(model, "position") else ("pk",)
    return {item.slug: item for item in model.objects.order_by(*ordering)}


def create_rated(
    cases: Sequence[RatedCase], *, inspector: User, lead: User, prefix: str = PREFIX
) -> list[Assessment]:
    """Write each case as a review, allocation, published assessment with its
    standards and findings, and its publications, in a few bulk inserts."""
    framework = Framework.objects.get(is_active=True)
    policy = OverallPolicy.objects.get(is_active=True)
    standards = list(framework.standards.order_by("number"))
    regions, offences = _by_slug(Region), _by_slug(OffenceCategory)
    supervision, themes = _by_slug(SupervisionType), _by_slug(Theme)
    units = {}
    for unit in DeliveryUnit.objects.order_by("position", "pk"):
        units.setdefault(unit.region_id, unit)
    organisation = Organisation.objects.get(name="HM Prison and Probation Service")
    mappa = MappaCategory.objects.order_by("position").first()
    risk = RiskLevel.objects.order_by("position").first()
    start = Review.objects.filter(hmpps_reference__startswith=prefix).count()
    reviews = []
    for number, case in enumerate(cases, start + 1):
        published = case.published_at.astimezone(LONDON).date()
        received = case.received_on or published - timedelta(days=40)
        submitted = received - timedelta(days=2)
        due = submitted - timedelta(days=case.days_late)
        target = due - timedelta(days=30) if case.extended else due
        commissioned = target - timedelta(days=120)
        region = regions[case.region] if case.region else next(iter(regions.values()))
        reviews.append(
            Review(
                hmpps_reference=f"{prefix}{number:05d}",
                crn=f"D{number % 1_000_000:06d}",
                organisation=organisation,
                region=region,
                delivery_unit=units[region.pk],
                offence_category=offences[case.offence]
                if case.offence
                else next(iter(offences.values())),
                supervision_type=supervision[case.supervision]
                if case.supervision
                else next(iter(supervision.values())),
                mappa_category=mappa,
                risk_level=risk,
                offence_date=commissioned - timedelta(days=30),
                charge_date=commissioned - timedelta(days=15),
                first_court_date=commissioned - timedelta(days=8),
                notification_date=commissioned - timedelta(days=3),
                commissioned_date=commissioned,
                target_date=target,
                due_date=due,
                submitted_date=submitted,
                received_on=received,
                received_at=datetime.combine(received, time(10), tzinfo=LONDON),
                reviewing_manager="Sam Okafor",
                countersigning_manager="Priya Shah",
                family_meeting_offered=True,
                family_meeting_held=number % 3 != 0,
                status=Review.Status.PUBLISHED,
                inspector=inspector,
            )
        )
    reviews = Review.objects.bulk_create(reviews)
    allocations = Allocation.objects.bulk_create(
        Allocation(
            review=review,
            inspector=inspector,
            allocated_by=lead,
            allocated_at=case.published_at - timedelta(days=30),
            due_date=(case.published_at - timedelta(days=2)).date(),
            conflict=Allocation.Conflict.NONE,
            started_at=case.published_at - timedelta(days=29),
        )
        for review, case in zip(reviews, cases, strict=True)
    )
    assessments = Assessment.objects.bulk_create(
        Assessment(
            review=review,
            allocation=allocation,
            due_date=allocation.due_date,
            inspector=inspector,
            framework=framework,
            policy=policy,
            status=Assessment.Status.PUBLISHED,
            overall_rating=case.overall,
            overall_suggested=case.overall,
            overall_reason="Rated against the standards.",
            submitted_at=case.published_at - timedelta(days=5),
            signed_off_by=lead,
            signed_off_at=case.published_at - timedelta(days=1),
            published_at=case.republished_at or case.published_at,
        )
        for review, allocation, case in zip(reviews, allocations, cases, strict=True)
    )
    StandardAssessment.objects.bulk_create(
        StandardAssessment(
            assessment=assessment,
            standard=standard,
            rating=rating,
            evidence="See the review, section 3.",
        )
        for assessment, case in zip(assessments, cases, strict=True)
        for standard, rating in zip(
            standards, case.standards or [case.overall] * len(standards), strict=True
        )
    )
    findings, finding_themes = [], []
    for assessment, case in zip(assessments, cases, strict=True):
        for kind, slugs, addressed in case.findings:
            findings.append(
                Finding(
                    assessment=assessment,
                    kind=kind,
                    text="A point the review raises.",
                    level=Finding.Level.INDIVIDUAL,
                    action_plan_addresses=addressed,
                    created_at=case.published_at - timedelta(days=6),
                )
            )
            finding_themes.append(slugs)
    findings = Finding.objects.bulk_create(findings)
    Finding.themes.through.objects.bulk_create(
        Finding.themes.through(finding=finding, theme=themes[slug])
        for finding, slugs in zip(findings, finding_themes, strict=True)
        for slug in slugs
    )
    _publish(assessments, cases, lead)
    return assessments


def _publish(assessments, cases, lead) -> None:
    published = []
    for assessment, case in zip(assessments, cases, strict=True):
        published.append((assessment, 1, case.published_at))
        if case.republished_at:
            published.append((assessment, 2, case.republished_at))
    jobs = ReportJob.objects.bulk_create(
        ReportJob(
            kind="qa_report",
            params={"assessment": assessment.pk, "publication": number},
            requested_by=lead,
            status=ReportJob.Status.FAILED,
            error=NOT_KEPT,
            created_at=at,
            finished_at=at,
        )
        for assessment, number, at in published
    )
    Publication.objects.bulk_create(
        Publication(
            assessment=assessment,
            number=number,
            reason="" if number == 1 else "Rating corrected after moderation.",
            snapshot={"overall": {"rating": assessment.get_overall_rating_display()}},
            published_by=lead,
            published_at=at,
            report_job=job,
        )
        for (assessment, number, at), job in zip(published, jobs, strict=True)
    )


# The shape of each demo year: rated counts per rating, highest first.
FOURTH_REPORT = (1, 41, 48, 0)
THIRD_REPORT = (1, 40, 45, 1)
REGION_WEIGHTS = {
    "north-east": 5,
    "north-west": 10,
    "yorkshire-and-the-humber": 9,
    "greater-manchester": 8,
    "east-midlands": 7,
    "west-midlands": 9,
    "east-of-england": 8,
    "kent-surrey-and-sussex": 8,
    "london": 13,
    "south-west": 6,
    "south-central": 7,
    "wales": 6,
}
OFFENCE_WEIGHTS = {
    "murder": 35,
    "rape": 23,
    "manslaughter": 10,
    "other-death": 8,
    "assault-by-penetration": 7,
    "sexual-offence-child-under-13": 7,
    "terrorism": 2,
    "other-qualifying": 8,
}
SUPERVISION_WEIGHTS = {
    "community-order": 3,
    "suspended-sentence-order": 2,
    "licence": 6,
    "post-sentence-supervision": 1,
    "within-28-days": 1,
}
# The recurring themes of the published reports, most frequent first.
POOR_THEMES = [
    ("risk-assessment", 0.55),
    ("management-oversight", 0.45),
    ("victim-contact", 0.35),
    ("timeliness", 0.3),
    ("information-sharing", 0.25),
    ("domestic-abuse", 0.2),
    ("workload", 0.15),
    ("mappa", 0.1),
]
GOOD_THEMES = [("partnership-working", 0.3), ("safeguarding", 0.2)]


def _cases(year: int, shape: tuple, rng: random.Random) -> list[RatedCase]:
    ratings = [
        rating
        for rating, count in zip(
            (
                Rating.OUTSTANDING,
                Rating.GOOD,
                Rating.REQUIRES_IMPROVEMENT,
                Rating.INADEQUATE,
            ),
            shape,
            strict=True,
        )
        for _ in range(count)
    ]
    rng.shuffle(ratings)
    start = datetime(year, 4, 3, 11, tzinfo=LONDON)
    span = (datetime(year + 1, 3, 28, tzinfo=LONDON) - start).days
    cases = []
    for index, overall in enumerate(ratings):
        published = start + timedelta(days=index * span // len(ratings))
        # Standards mostly agree with the overall rating, sometimes a step off
        # (never down to Inadequate in a year with no Inadequate overall).
        floor = Rating.INADEQUATE if shape[-1] else Rating.REQUIRES_IMPROVEMENT
        standards = [
            max(floor, min(3, overall + rng.choice((-1, 0, 0, 0, 0, 0, 1))))
            for _ in range(4)
        ]
        findings = []
        for slug, share in POOR_THEMES:
            if rng.random() < share * (1.4 if overall < Rating.GOOD else 0.7):
                findings.append(
                    (
                        Finding.Kind.POOR_PRACTICE,
                        [slug],
                        rng.choices(("yes", "partly", "no"), weights=(5, 3, 2))[0],
                    )
                )
        for slug, share in GOOD_THEMES:
            if rng.random() < share:
                findings.append((Finding.Kind.GOOD_PRACTICE, [slug], ""))
        if rng.random() < 0.5:
            findings.append((Finding.Kind.LEARNING, ["risk-assessment"], ""))
        late = rng.random() < 0.35
        cases.append(
            RatedCase(
                overall=overall,
                published_at=published,
                standards=standards,
                region=rng.choices(list(REGION_WEIGHTS), REGION_WEIGHTS.values())[0],
                offence=rng.choices(list(OFFENCE_WEIGHTS), OFFENCE_WEIGHTS.values())[0],
                supervision=rng.choices(
                    list(SUPERVISION_WEIGHTS), SUPERVISION_WEIGHTS.values()
                )[0],
                received_on=(published - timedelta(days=rng.randint(30, 70))).date(),
                days_late=rng.randint(3, 60) if late else 0,
                extended=rng.random() < 0.7,
                findings=findings,
            )
        )
    return cases


def demo_years() -> tuple[int, int]:
    """The last whole reporting year before today and the one before it."""
    last = reporting_year(timezone.localdate()) - 1
    return last, last - 1


@transaction.atomic
def seed_annual_report_years() -> int:
    """Load the two demo years once; return how many rated reviews they hold."""
    existing = Review.objects.filter(hmpps_reference__startswith=PREFIX).count()
    if existing:
        return existing
    lead = User.objects.get(email="lead.inspector@example.org")
    inspector = User.objects.get(email="inspector@example.org")
    last, before = demo_years()
    rng = random.Random(20250331)
    cases = _cases(before, THIRD_REPORT, rng) + _cases(last, FOURTH_REPORT, rng)
    return len(create_rated(cases, inspector=inspector, lead=lead))


def seed_annual_report_draft() -> None:
    """Ask once for the last whole year's report, for the lead to check and publish."""
    last, _ = demo_years()
    if AnnualReport.objects.filter(year=last).exists():
        return
    lead = User.objects.get(email="lead.inspector@example.org")
    services.annual_report_request(year=last, by=lead)

"""Demo reviews: about 300 over two reporting years, with extensions, a
confirmed sample round and allocations for the demo inspector. Safe to run
again: it does nothing once the demo reviews exist."""

import random
from datetime import date, timedelta

from django.db import transaction
from django.utils import timezone

from accounts.models import User
from reviews import services
from reviews.models import (
    DeliveryUnit,
    MappaCategory,
    MappaLevel,
    OffenceCategory,
    Region,
    Review,
    RiskLevel,
    SupervisionType,
)
from reviews.services.intake import Files
from sfoqa.placeholder_pdf import placeholder_pdf
from sfoqa.uploads import inspect_upload

PREFIX = "DEMO-"
COUNT = 300


def reporting_years() -> tuple[int, int]:
    """The last whole reporting year (April to March) and the current one."""
    today = timezone.localdate()
    current = today.year if today.month >= 4 else today.year - 1
    return current - 1, current


# The 2022-23 sample of 86 had 30 murders and 20 rapes; the rest is spread.
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
EXTENDED_SHARE = 0.77
MANAGERS = ["Sam Okafor", "Priya Shah", "Tom Evans", "Aled Jones", "Mary Byrne"]
REASONS = [
    "Staff interviews could not be arranged in time",
    "Waiting for police disclosure",
    "Reviewing manager absent",
    "Further records requested from partner agencies",
]


def _upload(review_reference: str, title: str):
    from django.core.files.uploadedfile import SimpleUploadedFile

    content = placeholder_pdf(
        f"{title}: {review_reference}",
        [
            "Demonstration document generated for SFO quality assurance.",
            f"HMPPS reference {review_reference}.",
            "It contains no real case information.",
        ],
    )
    name = f"{review_reference.lower()}-{title.lower().replace(' ', '-')}.pdf"
    return inspect_upload(SimpleUploadedFile(name, content, "application/pdf"))


class Lists:
    def __init__(self):
        self.regions = list(Region.objects.all())
        self.units = {}
        for unit in DeliveryUnit.objects.all():
            self.units.setdefault(unit.region_id, []).append(unit)
        self.offences = {o.slug: o for o in OffenceCategory.objects.all()}
        self.supervision = list(SupervisionType.objects.all())
        self.mappa = list(MappaCategory.objects.all())
        self.levels = list(MappaLevel.objects.all())
        self.risks = list(RiskLevel.objects.all())


def _facts(rng: random.Random, lists: Lists, number: int, received: date) -> dict:
    region = rng.choice(lists.regions)
    slug = rng.choices(list(OFFENCE_WEIGHTS), weights=OFFENCE_WEIGHTS.values())[0]
    submitted = received - timedelta(days=rng.randint(0, 6))
    commissioned = submitted - timedelta(days=rng.randint(110, 260))
    mappa = rng.choices(lists.mappa, weights=[3, 1, 1, 5])[0]
    offered = rng.random() < 0.8
    return {
        "hmpps_reference": f"{PREFIX}{received.year}-{number:04d}",
        "crn": f"{rng.choice('ABCDEFGHJKLMNPRSTVWXYZ')}{rng.randint(0, 999999):06d}",
        "region": region,
        "delivery_unit": rng.choice(lists.units[region.pk]),
        "offence_category": lists.offences[slug],
        "inchoate": rng.random() < 0.08,
        "supervision_type": rng.choices(lists.supervision, weights=[3, 2, 6, 1, 1])[0],
        "mappa_category": mappa,
        "mappa_level": None if mappa.slug == "not-mappa" else rng.choice(lists.levels),
        "risk_level": rng.choices(lists.risks, weights=[1, 4, 4, 1])[0],
        "offence_date": commissioned - timedelta(days=rng.randint(20, 60)),
        "charge_date": commissioned - timedelta(days=rng.randint(12, 19)),
        "first_court_date": commissioned - timedelta(days=rng.randint(5, 11)),
        "notification_date": commissioned - timedelta(days=rng.randint(1, 4)),
        "commissioned_date": commissioned,
        "target_date": commissioned + timedelta(days=rng.randint(100, 140)),
        "submitted_date": submitted,
        "reviewing_manager": rng.choice(MANAGERS),
        "countersigning_manager": rng.choice(MANAGERS),
        "conviction": rng.choice(
            ["awaiting", "convicted", "convicted", "convicted_other"]
        ),
        "victim_summary_requested_on": None,
        "victim_summary_disclosed_on": None,
        "family_meeting_offered": offered,
        "family_meeting_held": offered and rng.random() < 0.6,
    }


def _received_dates(rng: random.Random) -> list[date]:
    today = timezone.localdate()
    days = []
    for year in reporting_years():
        start, end = date(year, 4, 1), min(date(year + 1, 3, 31), today)
        span = (end - start).days
        days += [
            start + timedelta(days=rng.randint(0, span)) for _ in range(COUNT // 2)
        ]
    return sorted(days)


def _extend(rng, review: Review, hmpps: User) -> None:
    """Most reviews are extended; the submission lands around the new date."""
    if rng.random() >= EXTENDED_SHARE:
        return
    new_date = max(review.submitted_date + timedelta(days=rng.randint(-12, 20)),
                   review.due_date + timedelta(days=7))  # fmt: skip
    services.review_extension_add(
        by=hmpps,
        review=review,
        reason=rng.choice(REASONS),
        new_target_date=new_date,
        agreed_by="Head of Public Protection",
        agreed_on=min(review.due_date - timedelta(days=5), review.submitted_date),
    )


def _receive_all(rng: random.Random, hmpps: User) -> list[Review]:
    lists = Lists()
    reviews = []
    for number, received in enumerate(_received_dates(rng), start=1):
        facts = _facts(rng, lists, number, received)
        files = Files(_upload(facts["hmpps_reference"], "SFO review"))
        review = services.review_receive(
            by=hmpps, facts=facts, files=files, channel="demo",
            received_on=received, acknowledge=False,
        )  # fmt: skip
        _extend(rng, review, hmpps)
        reviews.append(review)
    return reviews


def _sample_and_allocate(lead: User, inspector: User) -> None:
    year = reporting_years()[0]
    sample_round = services.sample_round_draw(
        by=lead,
        period_start=date(year, 4, 1),
        period_end=date(year + 1, 3, 31),
        seed=2024,
    )
    services.sample_round_confirm(by=lead, sample_round=sample_round)
    sampled = list(
        Review.objects.filter(status=Review.Status.SAMPLED).order_by("pk")[:5]
    )
    due = timezone.localdate() + timedelta(days=28)
    for index, review in enumerate(sampled):
        # One is past its due date, so Your QA work shows an overdue review.
        allocation = services.review_allocate(
            by=lead,
            review=review,
            inspector=inspector,
            due_date=timezone.localdate() - timedelta(days=6) if index == 2 else due,
        )
        if index < 3:  # the rest wait for the inspector's declaration
            services.allocation_declare_conflict(
                by=inspector, allocation=allocation, has_conflict=False
            )


@transaction.atomic
def seed_reviews() -> int:
    """Load the demo reviews once; return how many demo reviews exist."""
    existing = Review.objects.filter(hmpps_reference__startswith=PREFIX).count()
    if existing:
        return existing
    hmpps = User.objects.get(email="hmpps@example.org")
    lead = User.objects.get(email="lead.inspector@example.org")
    inspector = User.objects.get(email="inspector@example.org")
    rng = random.Random(20240401)
    reviews = _receive_all(rng, hmpps)
    _sample_and_allocate(lead, inspector)
    return len(reviews)

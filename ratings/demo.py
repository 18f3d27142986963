"""
Demo benchmarking: a finished session (six participants, two reviews,
revealed, consensus agreed) and an open one the demo inspector can rate.
Safe to run again: each session is made once, found by its title.
"""

import random
from datetime import datetime, time, timedelta

from django.contrib.auth.models import Group
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.utils import timezone

from accounts.models import Organisation, User
from accounts.roles import Role
from ratings import services as rating_services
from ratings.benchmarking import services
from ratings.models import (
    Assessment,
    BenchmarkSession,
    Consensus,
    Declaration,
    Participant,
    Rating,
    SessionReview,
)
from reviews.models import DocumentVersion, Review
from sfoqa.placeholder_pdf import placeholder_pdf
from sfoqa.uploads import inspect_upload

# No season in the names: the sessions are dated from the day of seeding.
FINISHED = "Benchmarking with SFO reviewers (demo)"
OPEN = "Benchmarking with central QA (demo)"
LEAD = "lead.inspector@example.org"
INSPECTOR = "inspector@example.org"
# Besides the demo inspector: a second inspector and four HMPPS colleagues.
PEOPLE = [
    ("ines.inspector@example.org", "Ines Ibrahim", Role.INSPECTOR),
    ("rhys.reviewer@example.org", "Rhys Roberts", Role.BENCHMARK_PARTICIPANT),
    ("rita.reviewer@example.org", "Rita Rahman", Role.BENCHMARK_PARTICIPANT),
    ("cara.qa@example.org", "Cara Clarke", Role.BENCHMARK_PARTICIPANT),
    ("colm.qa@example.org", "Colm Costello", Role.BENCHMARK_PARTICIPANT),
]
# The rating each standard "deserves" per review; participants scatter round it.
TRUE_RATINGS = [(1, 2, 1, 1), (2, 2, 2, 1)]


def _people() -> list[User]:
    from accounts.demo import demo_password

    hmpps = Organisation.objects.filter(kind=Organisation.Kind.HMPPS).first()
    inspectorate = Organisation.objects.filter(
        kind=Organisation.Kind.HMI_PROBATION
    ).first()
    people = []
    for email, name, role in PEOPLE:
        # Inspectors belong to the inspectorate, never to HMPPS.
        organisation = inspectorate if role == Role.INSPECTOR else hmpps
        user, created = User.objects.get_or_create(
            email=email, defaults={"full_name": name, "organisation": organisation}
        )
        if created:
            user.set_password(demo_password())
            user.save(update_fields=["password"])
            user.groups.set([Group.objects.get(name=role)])
        elif user.organisation_id != getattr(organisation, "pk", None):
            User.objects.filter(pk=user.pk).update(organisation=organisation)
        people.append(user)
    return people


def _uploaded(title: str):
    content = placeholder_pdf(
        f"Benchmarking review: {title}",
        ["An anonymised SFO review for benchmarking.", "No real case information."],
    )
    name = f"benchmarking-{title.lower().replace(' ', '-')}.pdf"
    return inspect_upload(SimpleUploadedFile(name, content, "application/pdf"))


def _demo_reviews(count: int) -> list[Review]:
    """Received demo reviews with a document that can be opened, none of
    them in live quality assurance."""
    documents = (
        DocumentVersion.objects.filter(
            review__hmpps_reference__startswith="DEMO-",
            document_type=DocumentVersion.DocumentType.REVIEW,
            scan_status__in=[
                DocumentVersion.ScanStatus.CLEAN,
                DocumentVersion.ScanStatus.NOT_SCANNED,
            ],
        )
        .exclude(review__status__in=services.LIVE_QA)
        .select_related("review")
    )
    return [d.review for d in documents.order_by("review_id")[:count]]


def _add_reviews(session, lead, titles, offset=0) -> None:
    received = _demo_reviews(offset + len(titles))[offset:]
    for index, title in enumerate(titles):
        if index < len(received):
            services.benchmark_review_add(
                session=session, by=lead, title=title, review=received[index]
            )
        else:
            services.benchmark_review_add(
                session=session, by=lead, title=title, upload=_uploaded(title)
            )


def _rate(assessment: Assessment, ratings, rng: random.Random) -> None:
    for row, rating in zip(assessment.standards.all(), ratings, strict=True):
        rating_services.assessment_standard_save(
            assessment=assessment,
            standard=row,
            values={
                "rating": rating,
                "evidence": rng.choice(
                    [
                        "Describes what happened, not why (p.6-8).",
                        "Sound analysis of risk, weaker on oversight (p.11).",
                        "Thorough, with staff interviews (p.4).",
                    ]
                ),
            },
            answers={},
            lock_version=assessment.lock_version,
        )
    assessment = Assessment.objects.get(pk=assessment.pk)
    overall = round(sum(ratings) / len(ratings))
    rating_services.assessment_overall_save(
        assessment=assessment,
        overall_rating=overall,
        overall_reason="Weighed across the four standards.",
        departure_reason="Analysis of practice weighs most.",
        lock_version=assessment.lock_version,
    )


def _scatter(rng: random.Random, truth) -> list[int]:
    return [min(3, max(0, t + rng.choice((-1, 0, 0, 0, 1)))) for t in truth]


def _seed_finished(lead: User, people: list[User], rng: random.Random) -> None:
    session = services.benchmark_session_create(
        by=lead, title=FINISHED, held_on=timezone.localdate() - timedelta(days=60)
    )
    _add_reviews(session, lead, ["Review A", "Review B"])
    services.benchmark_participants_add(session=session, by=lead, users=people)
    reviews = list(session.reviews.all())
    for person in people:
        for review, truth in zip(reviews, TRUE_RATINGS, strict=True):
            assessment = services.benchmark_assessment_start(
                session_review=review, user=person
            )
            _rate(assessment, _scatter(rng, truth), rng)
    services.benchmark_session_reveal(session=session, by=lead, anonymous=False)
    session = BenchmarkSession.objects.get(pk=session.pk)
    standards = [row.standard for row in reviews[0].assessments.first().standards.all()]
    for review, truth in zip(session.reviews.all(), TRUE_RATINGS, strict=True):
        for standard, rating in zip(standards, truth, strict=True):
            services.benchmark_consensus_record(
                session_review=review,
                standard=standard,
                rating=rating,
                reasoning="Agreed after discussing the descriptors.",
                by=lead,
            )
        services.benchmark_consensus_record(
            session_review=review,
            standard=None,
            rating=Rating.REQUIRES_IMPROVEMENT if truth[0] < 2 else Rating.GOOD,
            reasoning="Analysis of practice decides it.",
            by=lead,
        )
        services.benchmark_notes_save(
            session_review=review,
            notes="Most disagreement was on how far the review explains why.",
            by=lead,
        )
    _in_believable_order(BenchmarkSession.objects.get(pk=session.pk))


def _at(day, hour: int, minute: int = 0):
    """An aware moment on a UK calendar day."""
    return timezone.make_aware(datetime.combine(day, time(hour, minute)))


def _in_believable_order(session: BenchmarkSession) -> None:
    """
    Set up four weeks before the session, rated in the fortnight before it,
    revealed at the end of the day and agreed straight after: the services
    stamp everything with the moment the demo was seeded.
    """
    held = session.held_on
    BenchmarkSession.objects.filter(pk=session.pk).update(
        created_at=_at(held - timedelta(days=28), 10),
        revealed_at=_at(held, 15, 30) if session.revealed_at else None,
    )
    reviews = SessionReview.objects.filter(session=session)
    Participant.objects.filter(session=session).update(
        added_at=_at(held - timedelta(days=27), 11)
    )
    Declaration.objects.filter(session_review__in=reviews).update(
        declared_at=_at(held - timedelta(days=14), 9)
    )
    Consensus.objects.filter(session_review__in=reviews).update(
        recorded_at=_at(held, 16, 15)
    )


def _seed_open(lead: User, inspector: User, people, rng: random.Random) -> None:
    session = services.benchmark_session_create(
        by=lead, title=OPEN, held_on=timezone.localdate() + timedelta(days=14)
    )
    _add_reviews(session, lead, ["Review C"], offset=2)
    services.benchmark_participants_add(
        session=session, by=lead, users=[inspector, *people[2:4]]
    )
    review = session.reviews.first()
    for person in people[2:4]:
        assessment = services.benchmark_assessment_start(
            session_review=review, user=person
        )
        _rate(assessment, _scatter(rng, TRUE_RATINGS[0]), rng)
    _in_believable_order(session)


@transaction.atomic
def seed_benchmarking() -> None:
    """Load the demo sessions once (after the demo users and reviews)."""
    lead = User.objects.get(email=LEAD)
    inspector = User.objects.get(email=INSPECTOR)
    people = _people()
    rng = random.Random(20260327)
    if not BenchmarkSession.objects.filter(title=FINISHED).exists():
        _seed_finished(lead, [inspector, *people], rng)
    if not BenchmarkSession.objects.filter(title=OPEN).exists():
        _seed_open(lead, inspector, people, rng)


# Quality assurance in every state, so each list has something in it: the
# lead's moderation queue and publishing list, HMPPS's published reports and
# the inspector's returned work. Ratings per standard, then the overall.
QA_STATES = [
    ("in_moderation", (2, 2, 1, 2), Rating.GOOD),
    ("signed_off", (2, 2, 2, 2), Rating.GOOD),
    ("published", (1, 1, 2, 1), Rating.REQUIRES_IMPROVEMENT),
    ("published", (3, 2, 2, 2), Rating.GOOD),
    ("returned", (1, 2, 1, 1), Rating.REQUIRES_IMPROVEMENT),
]
FINDINGS = [
    ("Risk was not reviewed after the arrest for a further offence.", "poor_practice"),
    ("Clear account of the contact with the victim's family.", "good_practice"),
]


def _allocated_for_qa(lead: User, inspector: User, count: int) -> list:
    from reviews import services as review_services

    waiting = Review.objects.filter(
        hmpps_reference__startswith="DEMO-", status=Review.Status.SAMPLED
    ).order_by("pk")[:count]
    allocations = []
    for review in waiting:
        allocation = review_services.review_allocate(
            by=lead,
            review=review,
            inspector=inspector,
            due_date=timezone.localdate() + timedelta(days=21),
        )
        review_services.allocation_declare_conflict(
            by=inspector, allocation=allocation, has_conflict=False
        )
        allocation.refresh_from_db()
        allocations.append(allocation)
    return allocations


def _rate_for_qa(assessment: Assessment, ratings, overall) -> Assessment:
    for row, rating in zip(assessment.standards.all(), ratings, strict=True):
        rating_services.assessment_standard_save(
            assessment=assessment,
            standard=row,
            values={
                "rating": rating,
                "evidence": "The review sets out what happened and why (p.4-9).",
                "strengths": "Staff interviews inform the analysis.",
                "improvements": "Say more about management oversight.",
            },
            answers={a.prompt_id: ("yes", "") for a in row.answers.all()},
            lock_version=assessment.lock_version,
        )
    assessment = Assessment.objects.get(pk=assessment.pk)
    rating_services.assessment_overall_save(
        assessment=assessment,
        overall_rating=overall,
        overall_reason="Weighed across the four standards.",
        departure_reason="Analysis of practice weighs most.",
        lock_version=assessment.lock_version,
    )
    return Assessment.objects.get(pk=assessment.pk)


def _add_findings(assessment: Assessment) -> None:
    from ratings.models import Finding, Theme

    themes = list(Theme.objects.all()[:2])
    for text, kind in FINDINGS:
        finding = Finding.objects.create(
            assessment=assessment,
            kind=kind,
            text=text,
            level=Finding.Level.TEAM,
            action_plan_addresses=(
                Finding.Addressed.PARTLY if kind == "poor_practice" else ""
            ),
        )
        finding.themes.set(themes)


def _advance(assessment: Assessment, state: str, lead: User, inspector: User):
    rating_services.assessment_submit(
        assessment=assessment,
        by=inspector,
        lock_version=assessment.lock_version,
        warnings_confirmed=True,
    )
    assessment = Assessment.objects.get(pk=assessment.pk)
    if state == "returned":
        rating_services.assessment_return(
            assessment=assessment,
            by=lead,
            comments={"overall": "Say why standard 2 is good when 1 and 3 are not."},
        )
    elif state in ("signed_off", "published"):
        rating_services.assessment_sign_off(assessment=assessment, by=lead)
        if state == "published":
            rating_services.assessment_publish(
                assessment=Assessment.objects.get(pk=assessment.pk), by=lead
            )


@transaction.atomic
def seed_quality_assurance() -> None:
    """Assessments in moderation, signed off, published and returned, once."""
    if (
        Assessment.objects.filter(session_review__isnull=True)
        .exclude(status=Assessment.Status.DRAFT)
        .exists()
    ):
        return
    lead = User.objects.get(email=LEAD)
    inspector = User.objects.get(email=INSPECTOR)
    allocations = _allocated_for_qa(lead, inspector, len(QA_STATES))
    for allocation, (state, ratings, overall) in zip(
        allocations, QA_STATES, strict=False
    ):
        assessment = rating_services.assessment_start(allocation=allocation)
        assessment = _rate_for_qa(assessment, ratings, overall)
        _add_findings(assessment)
        _advance(assessment, state, lead, inspector)

"""Benchmarking sessions for tests and the page catalogue."""

import datetime

from accounts.roles import Role
from ratings.benchmarking import services
from ratings.models import BenchmarkSession, Rating
from tests.factories import UserFactory
from tests.ratings.conftest import rate_everything
from tests.reviews.factories import ReviewFactory, add_document


def add_received_review(session, lead, title):
    review = ReviewFactory()
    add_document(review)
    return services.benchmark_review_add(
        session=session, by=lead, title=title, review=review
    )


def make_session(users, *, reviews=2, extra=2, title="Spring benchmarking"):
    """An open session run by the lead: the inspector and `extra` invited
    HMPPS participants, rating `reviews` received reviews."""
    lead = users[Role.LEAD_INSPECTOR]
    session = services.benchmark_session_create(
        by=lead, title=title, held_on=datetime.date(2026, 3, 27)
    )
    for number in range(reviews):
        add_received_review(session, lead, f"Review {'ABCDEFGH'[number]}")
    people = [users[Role.INSPECTOR]] + [
        UserFactory(roles=[Role.BENCHMARK_PARTICIPANT]) for _ in range(extra)
    ]
    services.benchmark_participants_add(session=session, by=lead, users=people)
    return session


def rate(session, user, ratings_by_review, overall_by_review=None):
    """Rate each session review: ratings_by_review[i] is the four ratings."""
    assessments = []
    for index, review in enumerate(session.reviews.all()):
        assessment = services.benchmark_assessment_start(
            session_review=review, user=user
        )
        overall = (overall_by_review or {}).get(index, Rating.GOOD)
        assessments.append(
            rate_everything(
                assessment,
                ratings=ratings_by_review[index],
                overall=overall,
                text=f"Evidence of rater {user.pk}",
            )
        )
    return assessments


def participants(session):
    return [p.user for p in session.participants.select_related("user")]


def make_revealed_session(users, *, consensus=True):
    """Three participants rate two reviews; the lead reveals and agrees."""
    session = make_session(users)
    people = participants(session)
    rate(session, people[0], [(2, 2, 2, 2), (1, 1, 2, 1)])
    rate(session, people[1], [(2, 1, 2, 3), (1, 1, 1, 1)])
    rate(session, people[2], [(3, 2, 2, 2), (0, 1, 2, 1)])
    lead = users[Role.LEAD_INSPECTOR]
    services.benchmark_session_reveal(session=session, by=lead, anonymous=False)
    session = BenchmarkSession.objects.get(pk=session.pk)
    if consensus:
        for review in session.reviews.all():
            for standard in review.assessments.first().standards.all():
                services.benchmark_consensus_record(
                    session_review=review,
                    standard=standard.standard,
                    rating=2,
                    reasoning="Agreed after discussion",
                    by=lead,
                )
    return session


# Catalogue makers: (users) -> URL kwargs.


def an_open_session(users):
    return {"pk": make_session(users).pk}


def a_rated_open_session(users):
    session = make_session(users)
    rate(session, participants(session)[0], [(2, 2, 2, 2), (1, 1, 2, 1)])
    return {"pk": session.pk}


def an_open_session_review(users):
    return {"pk": make_session(users).reviews.first().pk}


def a_revealed_session(users):
    return {"pk": make_revealed_session(users).pk}


def a_revealed_review(users):
    return {"pk": make_revealed_session(users).reviews.first().pk}


def a_consensus_page(users):
    return a_revealed_review(users) | {"section": "standard-1"}


def an_own_rating(users):
    session = make_session(users)
    assessment = services.benchmark_assessment_start(
        session_review=session.reviews.first(), user=users[Role.INSPECTOR]
    )
    return {"pk": assessment.pk}


def an_own_rating_standard(users):
    return an_own_rating(users) | {"number": 1}


def a_drift(users):
    make_revealed_session(users)
    return {}

"""
What a revealed session shows: the spread of ratings, who rated what, the
consensus and the agreement statistics. Built from a few queries; the
statistics themselves are in `statistics`, on plain lists.
"""

import random
from dataclasses import dataclass
from functools import cached_property

from django.utils.translation import gettext as _

from ratings.benchmarking import charts, selectors, statistics
from ratings.models import (
    Assessment,
    BenchmarkSession,
    Consensus,
    Framework,
    Participant,
    Rating,
    SessionReview,
    Standard,
)

OVERALL = selectors.OVERALL
ALL_STANDARDS = "all-standards"
# Highest rating first, as the form lists them.
SCALE_DOWN = sorted(Rating, reverse=True)


@dataclass(frozen=True)
class Section:
    key: str  # "standard-<number>" or "overall"
    title: str
    standard: Standard | None = None


def sections_for(standards) -> list[Section]:
    return [
        *(
            Section(f"standard-{s.number}", f"{s.number}. {s.name}", s)
            for s in standards
        ),
        Section(OVERALL, _("Overall rating")),
    ]


def _value(assessment: Assessment | None, key: str) -> tuple[int | None, str]:
    """A rating and its written reasons, from one participant's assessment."""
    if assessment is None:
        return None, ""
    if key == OVERALL:
        return assessment.overall_rating, assessment.overall_reason
    number = int(key.removeprefix("standard-"))
    for row in assessment.standards.all():
        if row.standard.number == number:
            return row.rating, row.evidence
    return None, ""


@dataclass(frozen=True)
class Given:
    """One participant's rating of one section, as the results pages show it."""

    label: str
    rating: int | None
    text: str

    @property
    def rating_label(self) -> str:
        return Rating(self.rating).label if self.rating is not None else ""


@dataclass(frozen=True)
class Spread:
    section: Section
    given: list[Given]
    counts: list[tuple[str, int, bool]]  # (rating label, count, is consensus)
    chart_url: str
    chart_alt: str
    consensus: Consensus | None


@dataclass(frozen=True)
class Distance:
    label: str
    compared: int
    matching: float | None
    mean: float | None


def _in_numbering_order(session: BenchmarkSession) -> list[Participant]:
    """The participants; anonymised, in the order the session's seed shuffles
    them to, so neither a number nor a row's place says who it is."""
    participants = list(session.participants.all())
    if session.anonymous:
        participants.sort(key=lambda participant: participant.pk)
        random.Random(session.numbering_seed).shuffle(participants)
    return participants


class SessionResults:
    """The figures of one session, for a given viewer (names or numbers)."""

    def __init__(
        self,
        session: BenchmarkSession,
        *,
        assessments: list[Assessment],
        consensus: list[Consensus],
        standards: list[Standard],
        viewer=None,
    ):
        self.session = session
        self.viewer = viewer
        self.reviews: list[SessionReview] = list(session.reviews.all())
        self.participants: list[Participant] = _in_numbering_order(session)
        self.sections = sections_for(standards)
        self._by_rater = {(a.session_review_id, a.inspector_id): a for a in assessments}
        self._consensus = {(c.session_review_id, c.section): c for c in consensus}

    def label(self, participant: Participant) -> str:
        if self.session.anonymous:
            number = self.participants.index(participant) + 1
            text = _("Participant %(number)s") % {"number": number}
        else:
            text = participant.user.full_name
        if self.viewer is not None and participant.user_id == self.viewer.pk:
            text = _("%(label)s (you)") % {"label": text}
        return text

    def rating(self, review: SessionReview, participant: Participant, key: str):
        return _value(self._by_rater.get((review.pk, participant.user_id)), key)

    def consensus(self, review: SessionReview, key: str) -> Consensus | None:
        return self._consensus.get((review.pk, key))

    def units(self, key: str) -> list[list[int | None]]:
        """One unit per review: each participant's rating, in participant order."""
        keys = (
            [s.key for s in self.sections if s.standard]
            if key == ALL_STANDARDS
            else [key]
        )
        return [
            [self.rating(review, p, k)[0] for p in self.participants]
            for review in self.reviews
            for k in keys
        ]

    def spread(self, review: SessionReview, section: Section) -> Spread:
        given = [
            Given(self.label(p), *self.rating(review, p, section.key))
            for p in self.participants
        ]
        consensus = self.consensus(review, section.key)
        agreed = consensus.rating if consensus else None
        bars = [
            charts.Bar(
                label=r.label,
                count=sum(g.rating == r for g in given),
                marked=r == agreed,
            )
            for r in SCALE_DOWN
        ]
        title = _("%(section)s: number of participants giving each rating") % {
            "section": section.title
        }
        return Spread(
            section=section,
            given=given,
            counts=[(b.label, b.count, b.marked) for b in bars],
            chart_url=charts.bar_chart(bars, title=title),
            chart_alt=charts.alt_text(bars, title=title),
            consensus=consensus,
        )

    def review_spreads(self, review: SessionReview) -> list[Spread]:
        return [self.spread(review, section) for section in self.sections]

    @cached_property
    def agreement(self) -> list[tuple[str, statistics.Agreement]]:
        """Agreement for each standard, all standards together, and overall."""
        rows = [
            (s.title, statistics.agreement(self.units(s.key))) for s in self.sections
        ]
        together = (
            _("All four standards together"),
            statistics.agreement(self.units(ALL_STANDARDS)),
        )
        return [*rows[:-1], together, rows[-1]]

    def _pairs_with_consensus(self, participant: Participant):
        for review in self.reviews:
            for section in self.sections:
                consensus = self.consensus(review, section.key)
                if consensus is not None:
                    rating = self.rating(review, participant, section.key)[0]
                    yield rating, consensus.rating

    def distance(self, participant: Participant) -> Distance:
        pairs = list(self._pairs_with_consensus(participant))
        ratings = [r for r, _c in pairs]
        agreed = [c for _r, c in pairs]
        return Distance(
            label=self.label(participant),
            compared=sum(r is not None for r in ratings),
            matching=statistics.share_matching_consensus(ratings, agreed),
            mean=statistics.distance_from_consensus(ratings, agreed),
        )

    @cached_property
    def distances(self) -> list[Distance]:
        return [self.distance(p) for p in self.participants]

    @property
    def consensus_complete(self) -> bool:
        return len(self._consensus) == len(self.reviews) * len(self.sections)


def standards_for(assessments: list[Assessment]) -> list[Standard]:
    """The standards the session was rated against (the active ones if none yet)."""
    framework_id = (
        assessments[0].framework_id
        if assessments
        else Framework.objects.filter(is_active=True).values("pk")[:1]
    )
    return list(Standard.objects.filter(framework=framework_id).order_by("number"))


def session_results(session: BenchmarkSession, *, viewer=None) -> SessionResults:
    assessments = selectors.session_assessments(sessions=[session.pk])
    return SessionResults(
        session,
        assessments=assessments,
        consensus=selectors.session_consensus(sessions=[session.pk]),
        standards=standards_for(assessments),
        viewer=viewer,
    )

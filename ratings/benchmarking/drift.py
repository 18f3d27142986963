"""
Across revealed sessions: each participant's agreement with the consensus
over time, and which standards are rated least consistently.
"""

from dataclasses import dataclass

from ratings.benchmarking import selectors, statistics
from ratings.benchmarking.results import (
    Distance,
    Section,
    SessionResults,
    sections_for,
    standards_for,
)
from ratings.models import BenchmarkSession


@dataclass(frozen=True)
class PersonSession:
    session: BenchmarkSession
    distance: Distance


@dataclass(frozen=True)
class Person:
    name: str
    sessions: list[PersonSession]

    @property
    def latest(self) -> Distance:
        return self.sessions[-1].distance

    @property
    def change(self) -> float | None:
        """Latest mean distance minus the first (positive: drifting away)."""
        means = [s.distance.mean for s in self.sessions if s.distance.mean is not None]
        return means[-1] - means[0] if len(means) >= 2 else None


@dataclass(frozen=True)
class StandardConsistency:
    section: Section
    by_session: list[tuple[BenchmarkSession, float | None]]
    pooled: statistics.Agreement


@dataclass(frozen=True)
class Drift:
    sessions: list[BenchmarkSession]
    people: list[Person]
    standards: list[StandardConsistency]


def _pooled_units(results: list[SessionResults], key: str, raters: list[int]):
    """Units from every session, on one list of raters (None where absent)."""
    units = []
    for result in results:
        position = {p.user_id: i for i, p in enumerate(result.participants)}
        for unit in result.units(key):
            units.append([unit[position[r]] if r in position else None for r in raters])
    return units


def _people(results: list[SessionResults]) -> list[Person]:
    history: dict[int, list[PersonSession]] = {}
    names: dict[int, str] = {}
    for result in results:
        for participant in result.participants:
            names[participant.user_id] = participant.user.full_name
            history.setdefault(participant.user_id, []).append(
                PersonSession(result.session, result.distance(participant))
            )
    people = [Person(names[user], sessions) for user, sessions in history.items()]
    # Furthest from the consensus in their latest session first.
    return sorted(people, key=lambda p: (-(p.latest.mean or 0), p.name))


def drift() -> Drift:
    sessions = selectors.revealed_sessions()
    ids = [s.pk for s in sessions]
    assessments = selectors.session_assessments(sessions=ids)
    consensus = selectors.session_consensus(sessions=ids)
    standards = standards_for(assessments)
    results = [
        SessionResults(
            s,
            assessments=[a for a in assessments if a.session_review.session_id == s.pk],
            consensus=consensus,
            standards=standards,
        )
        for s in sessions
    ]
    raters = sorted({p.user_id for r in results for p in r.participants})
    consistency = [
        StandardConsistency(
            section=section,
            by_session=[
                (r.session, statistics.alpha(r.units(section.key))) for r in results
            ],
            pooled=statistics.agreement(_pooled_units(results, section.key, raters)),
        )
        for section in sections_for(standards)
    ]
    # Least consistent first; standards whose alpha is not defined last.
    consistency.sort(key=lambda c: (c.pooled.alpha is None, c.pooled.alpha or 0))
    return Drift(sessions=sessions, people=_people(results), standards=consistency)

"""A hand-computed year of ratings for the annual report's figures."""

from datetime import date, datetime
from zoneinfo import ZoneInfo

from accounts.roles import Role
from consultations.models import Theme
from insights.demo import RatedCase, create_rated
from ratings.models import Finding, Rating
from tests.consultations.factories import ConsultationFactory, ResponseFactory
from tests.reviews.factories import ReviewFactory

UK = ZoneInfo("Europe/London")
OUT, G, RI, INAD = (
    Rating.OUTSTANDING,
    Rating.GOOD,
    Rating.REQUIRES_IMPROVEMENT,
    Rating.INADEQUATE,
)
POOR = Finding.Kind.POOR_PRACTICE


def uk(*parts) -> datetime:
    return datetime(*parts, tzinfo=UK)


def year_2024_cases() -> list[RatedCase]:
    """
    Rated in 2024 to 2025 (7): A Outstanding, B, C and F Good, R1-R3 Requires
    improvement. C was first published on 31 March 2025 at 23:30 UK time
    (22:30 UTC); D on 1 April 2025 at 00:30 (still 31 March in UTC) counts in
    the next year. E was first published in 2023 and again in 2024: it stays
    in 2023. F was first published in 2024 and again, now Good.
    """
    received = date(2024, 4, 15)
    return [
        RatedCase(  # A
            overall=OUT,
            published_at=uk(2024, 5, 1, 10),
            standards=(3, 3, 2, 2),
            region="north-east",
            received_on=received,
            days_late=10,
            extended=True,
            findings=[(POOR, ["risk-assessment"], "yes")],
        ),
        RatedCase(  # B
            overall=G,
            published_at=uk(2024, 6, 1, 10),
            region="north-east",
            received_on=received,
            extended=True,
            findings=[(Finding.Kind.GOOD_PRACTICE, ["partnership-working"], "")],
        ),
        RatedCase(  # C
            overall=G,
            published_at=uk(2025, 3, 31, 23, 30),
            region="london",
            received_on=received,
        ),
        RatedCase(  # F
            overall=G,
            published_at=uk(2024, 8, 1, 10),
            republished_at=uk(2024, 9, 1, 10),
            region="north-east",
            received_on=received,
        ),
        RatedCase(  # R1
            overall=RI,
            published_at=uk(2024, 10, 1, 10),
            received_on=received,
            days_late=20,
            findings=[
                (POOR, ["risk-assessment", "management-oversight"], "partly"),
            ],
        ),
        RatedCase(  # R2
            overall=RI,
            published_at=uk(2024, 10, 2, 10),
            received_on=received,
            findings=[(POOR, ["management-oversight"], "no")],
        ),
        RatedCase(overall=RI, published_at=uk(2024, 10, 3, 10), received_on=received),
        RatedCase(  # D
            overall=RI,
            published_at=uk(2025, 4, 1, 0, 30),
            received_on=date(2025, 3, 1),
            findings=[(POOR, ["risk-assessment"], "yes")],
        ),
        RatedCase(  # E
            overall=INAD,
            published_at=uk(2023, 12, 1, 10),
            republished_at=uk(2024, 7, 1, 10),
            received_on=date(2023, 10, 1),
        ),
    ]


def build_year(users) -> None:
    create_rated(
        year_2024_cases(),
        inspector=users[Role.INSPECTOR],
        lead=users[Role.LEAD_INSPECTOR],
        prefix="T-AR-",
    )
    # Received and notified in the year, not sampled.
    ReviewFactory()
    build_year_responses()


def build_year_responses() -> None:
    """
    Consultation responses by shared theme in 2024 to 2025: risk assessment 2
    (one response tagged with two themes that both name it counts once; one
    received on 31 March 2025 at 23:30 UK time), partnership working 1. Left
    out: a response on 1 April 2025 at 00:30 UK time (next year), one held
    for review, and a theme naming no shared theme.
    """
    consultation = ConsultationFactory(slug="annual-report-fixture")
    risk, safety, partners, cost = (
        Theme.objects.create(consultation=consultation, name=name, taxonomy_slug=slug)
        for name, slug in [
            ("Risk", "risk-assessment"),
            ("Risk and safety", "risk-assessment"),
            ("Partners", "partnership-working"),
            ("Cost", ""),
        ]
    )
    for received, tagged, held in [
        (uk(2024, 6, 1, 10), [risk, safety], False),
        (uk(2025, 3, 31, 23, 30), [risk], False),
        (uk(2025, 4, 1, 0, 30), [partners], False),
        (uk(2024, 7, 1, 10), [partners], True),
        (uk(2024, 8, 1, 10), [partners, cost], False),
    ]:
        response = ResponseFactory(
            consultation=consultation, received_at=received, held_for_review=held
        )
        response.themes.set(tagged)

"""
The annual report's figures for a reporting year, April to March, UK time.

A review counts in the year its QA rating was first published; publishing
it again updates the rating it counts with, never the year. Every figure is
aggregated by the database (one query a table, whatever the number of
reviews); Python only orders the aggregated rows and rounds percentages.
"""

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime
from zoneinfo import ZoneInfo

from django.apps import apps
from django.db.models import (
    Avg,
    Case,
    Count,
    DurationField,
    Exists,
    ExpressionWrapper,
    F,
    IntegerField,
    OuterRef,
    Q,
    Value,
    When,
)
from django.utils.translation import gettext as _

from consultations.models import Response as ConsultationResponse
from ratings.benchmarking import statistics
from ratings.models import (
    Assessment,
    BenchmarkSession,
    Finding,
    Participant,
    Publication,
    Rating,
    StandardAssessment,
    Theme,
)
from reviews.models import OffenceCategory, Region, Review, SupervisionType
from reviews.selectors import (
    _days,
    reporting_year,
    reporting_year_range,
    timeliness_by_region,
)
from sfoqa.dates import uk_today

LONDON = ZoneInfo("Europe/London")
# Highest first: the order of every table and of tie-breaks in rounding.
SCALE = (
    Rating.OUTSTANDING,
    Rating.GOOD,
    Rating.REQUIRES_IMPROVEMENT,
    Rating.INADEQUATE,
)
SAMPLED_STATUSES = (
    Review.Status.SAMPLED,
    Review.Status.ALLOCATED,
    Review.Status.IN_QA,
    Review.Status.PUBLISHED,
)
ADDRESSED = (Finding.Addressed.YES, Finding.Addressed.PARTLY, Finding.Addressed.NO)
TOP_THEMES = 10


def year_label(year: int) -> str:
    """2024 -> "2024 to 2025", the GOV.UK way of writing a financial year."""
    return f"{year} to {year + 1}"


def year_bounds(year: int) -> tuple[datetime, datetime]:
    """From 1 April 00:00 to the next 1 April 00:00, UK time (half-open)."""
    return (
        datetime(year, 4, 1, tzinfo=LONDON),
        datetime(year + 1, 4, 1, tzinfo=LONDON),
    )


def largest_remainder(counts: list[int], *, places: int = 1) -> list[float]:
    """
    Percentages of `counts` rounded to `places` decimals that add up to 100:
    each share is cut down, then the tenths left over go to the largest
    remainders, ties to the earlier entry (the higher rating). All zeros
    give all zeros.
    """
    total = sum(counts)
    if not total:
        return [0.0] * len(counts)
    units = 100 * 10**places
    floors = [count * units // total for count in counts]
    remainders = [count * units % total for count in counts]
    spare = units - sum(floors)
    order = sorted(range(len(counts)), key=lambda i: (-remainders[i], i))
    for index in order[:spare]:
        floors[index] += 1
    return [value / 10**places for value in floors]


@dataclass(frozen=True)
class Distribution:
    """Counts per rating, highest first, with percentages adding to 100."""

    counts: tuple[int, ...]

    @property
    def total(self) -> int:
        return sum(self.counts)

    @property
    def percents(self) -> list[float]:
        return largest_remainder(list(self.counts))

    @property
    def rows(self) -> list[tuple[str, int, float]]:
        return [
            (str(rating.label), count, percent)
            for rating, count, percent in zip(
                SCALE, self.counts, self.percents, strict=True
            )
        ]

    @property
    def good_or_better(self) -> int:
        return self.counts[0] + self.counts[1]

    @property
    def good_or_better_percent(self) -> float:
        # The rounded shares of Outstanding and Good, so the figure agrees
        # with the table beside it.
        return round(self.percents[0] + self.percents[1], 1)


def _rating_counts(field_name: str) -> dict:
    return {
        f"r{rating.value}": Count("pk", filter=Q(**{field_name: rating.value}))
        for rating in SCALE
    }


def _distribution(row: dict) -> Distribution:
    return Distribution(tuple(row.get(f"r{rating.value}", 0) or 0 for rating in SCALE))


@dataclass(frozen=True)
class Breakdown:
    label: str
    distribution: Distribution


def rated_in_year(year: int, *, region: Region | None = None):
    """Live assessments whose rating was first published in the year (in
    one region, if given)."""
    start, end = year_bounds(year)
    first_in_year = Publication.objects.filter(
        assessment=OuterRef("pk"),
        number=1,
        published_at__gte=start,
        published_at__lt=end,
    )
    rated = Assessment.objects.filter(
        review__isnull=False, overall_rating__isnull=False
    ).filter(Exists(first_in_year))
    if region is not None:
        rated = rated.filter(review__region=region)
    return rated


def overall_distribution(year: int, *, region: Region | None = None) -> Distribution:
    row = rated_in_year(year, region=region).aggregate(
        **_rating_counts("overall_rating")
    )
    return _distribution(row)


def quarters(year: int) -> list[tuple[datetime, datetime]]:
    starts = [datetime(year, m, 1, tzinfo=LONDON) for m in (4, 7, 10)]
    starts.append(datetime(year + 1, 1, 1, tzinfo=LONDON))
    ends = [*starts[1:], year_bounds(year)[1]]
    return list(zip(starts, ends, strict=True))


def by_quarter(year: int, *, region: Region | None = None) -> list[Breakdown]:
    """The overall distribution by the quarter of first publication, April
    to June first; one query. An assessment has one first publication (its
    number is unique), so grouping the year's first publications counts each
    rated assessment once, as rated_in_year does."""
    start, end = year_bounds(year)
    quarter = Case(
        *(
            When(published_at__gte=q_start, published_at__lt=q_end, then=Value(n))
            for n, (q_start, q_end) in enumerate(quarters(year), 1)
        ),
        output_field=IntegerField(),
    )
    first = Publication.objects.filter(
        number=1,
        published_at__gte=start,
        published_at__lt=end,
        assessment__review__isnull=False,
        assessment__overall_rating__isnull=False,
    )
    if region is not None:
        first = first.filter(assessment__review__region=region)
    rows = {
        row["quarter"]: row
        for row in first.annotate(quarter=quarter)
        .values("quarter")
        .annotate(**_rating_counts("assessment__overall_rating"))
        .order_by()
    }
    labels = [_("April to June"), _("July to September"), _("October to December")]
    labels.append(_("January to March"))
    return [
        Breakdown(label, _distribution(rows.get(n, {})))
        for n, label in enumerate(labels, 1)
    ]


def _breakdown(year: int, key: str, model) -> list[Breakdown]:
    """The overall distribution per reference item, every item listed."""
    rows = {
        row[key]: row
        for row in rated_in_year(year)
        .values(key)
        .annotate(**_rating_counts("overall_rating"))
        .order_by()
    }
    items = model.objects.order_by("position", "name").values_list("pk", "name")
    return [
        Breakdown(name, _distribution(rows.get(pk, {})))
        for pk, name in items
        if pk in rows or model is Region
    ]


def by_region(year: int) -> list[Breakdown]:
    return _breakdown(year, "review__region", Region)


def by_offence(year: int) -> list[Breakdown]:
    return _breakdown(year, "review__offence_category", OffenceCategory)


def by_supervision(year: int) -> list[Breakdown]:
    return _breakdown(year, "review__supervision_type", SupervisionType)


def by_standard(year: int, *, region: Region | None = None) -> list[Breakdown]:
    """Each standard's distribution, by its number (framework versions keep
    their numbers), named as in the newest framework that rated it (in the
    year, nationally). One query a standard and framework version; in a
    region, a second for the region's counts."""
    rows = list(
        StandardAssessment.objects.filter(assessment__in=rated_in_year(year))
        .values("standard", "standard__number", "standard__name")
        .annotate(**_rating_counts("rating"))
        .order_by("standard__number", "standard__framework__version")
    )
    # The newest framework's row comes last, so its name wins.
    names = {row["standard__number"]: row["standard__name"] for row in rows}
    if region is not None:
        rows = list(
            StandardAssessment.objects.filter(
                assessment__in=rated_in_year(year, region=region)
            )
            .values("standard__number")
            .annotate(**_rating_counts("rating"))
            .order_by("standard__number")
        )
    counts: dict[int, list[int]] = {}
    for row in rows:
        summed = counts.setdefault(row["standard__number"], [0] * len(SCALE))
        for index, rating in enumerate(SCALE):
            summed[index] += row[f"r{rating.value}"]
    return [
        Breakdown(
            _("%(number)s. %(name)s")
            % {"number": number, "name": names.get(number, "")},
            Distribution(tuple(summed)),
        )
        for number, summed in counts.items()
        # Rated in the year: a standard with only unrated entries is left out.
        if any(summed)
    ]


@dataclass(frozen=True)
class Volumes:
    notified: int
    received: int
    sampled: int
    rated: int
    published: int

    @property
    def sample_rate(self) -> float | None:
        if not self.received:
            return None
        return round(100 * self.sampled / self.received, 1)


def volumes(year: int) -> Volumes:
    """Reviews notified and received in the year (their own dates), those of
    them sampled, and the ratings first published in the year."""
    start, end = reporting_year_range(year)
    counts = Review.objects.aggregate(
        notified=Count(
            "pk", filter=Q(notification_date__gte=start, notification_date__lte=end)
        ),
        received=Count("pk", filter=Q(received_on__gte=start, received_on__lte=end)),
        sampled=Count(
            "pk",
            filter=Q(
                received_on__gte=start,
                received_on__lte=end,
                status__in=SAMPLED_STATUSES,
            ),
        ),
    )
    first, last = year_bounds(year)
    published = Publication.objects.filter(
        assessment__review__isnull=False, published_at__gte=first, published_at__lt=last
    ).aggregate(n=Count("pk"))["n"]
    rated = rated_in_year(year).aggregate(n=Count("pk"))["n"]
    return Volumes(rated=rated, published=published, **counts)


@dataclass(frozen=True)
class Timeliness:
    due: int
    extended: int
    overdue: int
    average_days_late: float | None
    regions: list = field(default_factory=list)

    @property
    def on_time(self) -> int:
        return self.due - self.overdue


def timeliness(year: int) -> Timeliness:
    """Reviews received in the year: on time, extended and late, nationally
    (one aggregate) and by region (the reviews app's own figures)."""
    start, end = reporting_year_range(year)
    late = Q(submitted_date__gt=F("due_date"))
    lateness = ExpressionWrapper(
        F("submitted_date") - F("due_date"), output_field=DurationField()
    )
    row = Review.objects.filter(received_on__gte=start, received_on__lte=end).aggregate(
        due=Count("pk"),
        extended=Count("pk", filter=Q(due_date__gt=F("target_date"))),
        overdue=Count("pk", filter=late),
        late_by=Avg(lateness, filter=late),
    )
    return Timeliness(
        due=row["due"],
        extended=row["extended"],
        overdue=row["overdue"],
        average_days_late=_days(row["late_by"]),
        regions=timeliness_by_region(year=year),
    )


def action_plan(year: int) -> list[tuple[str, int, float]]:
    """Failings found in the year's ratings: does the action plan address them?"""
    rows = dict(
        Finding.objects.filter(
            assessment__in=rated_in_year(year),
            kind=Finding.Kind.POOR_PRACTICE,
            action_plan_addresses__in=ADDRESSED,
        )
        .values("action_plan_addresses")
        .annotate(n=Count("pk"))
        .order_by()
        .values_list("action_plan_addresses", "n")
    )
    counts = [rows.get(choice.value, 0) for choice in ADDRESSED]
    return [
        (str(choice.label), count, percent)
        for choice, count, percent in zip(
            ADDRESSED, counts, largest_remainder(counts), strict=True
        )
    ]


@dataclass(frozen=True)
class ThemeRow:
    name: str
    by_kind: tuple[int, ...]  # in Finding.Kind order
    learning: int | None  # panel learning items; None without panels
    responses: int | None  # consultation responses tagged with the theme

    @property
    def findings(self) -> int:
        return sum(self.by_kind)

    @property
    def total(self) -> int:
        return self.findings + (self.learning or 0) + (self.responses or 0)


def _panel_learning_by_theme(start, end) -> dict[int, int] | None:
    """Panel learning approved in the year, per ratings theme; None when the
    panels app keeps no themed learning."""
    try:
        model = apps.get_model("panels", "LearningItem")
    except LookupError:
        return None
    names = {f.name for f in model._meta.get_fields()}
    if not {"themes", "approved_at"} <= names:
        return None
    through = model.themes.through
    return dict(
        through.objects.filter(
            learningitem__approved_at__gte=start, learningitem__approved_at__lt=end
        )
        .values("theme")
        .annotate(n=Count("pk"))
        .order_by()
        .values_list("theme", "n")
    )


def shared_themes() -> list[tuple[str, str]]:
    """The shared taxonomy's themes offered in forms, as (slug, name)."""
    return list(Theme.objects.filter(is_active=True).values_list("slug", "name"))


def _responses_by_theme(start, end) -> dict[str, int]:
    """Consultation responses received in the year, per shared theme slug. A
    response counts once under a shared theme however many of its
    consultation's themes name it; responses held for review do not count."""
    through = ConsultationResponse.themes.through
    return dict(
        through.objects.exclude(theme__taxonomy_slug="")
        .filter(
            response__received_at__gte=start,
            response__received_at__lt=end,
            response__held_for_review=False,
        )
        .values("theme__taxonomy_slug")
        .annotate(n=Count("response", distinct=True))
        .order_by()
        .values_list("theme__taxonomy_slug", "n")
    )


def themes(year: int) -> list[ThemeRow]:
    """Findings by theme and kind, panel learning and consultation responses
    by theme, one row a theme with any, most frequent first (then by name)."""
    start, end = year_bounds(year)
    through = Finding.themes.through
    kinds = list(Finding.Kind)
    found: dict[int, dict[str, int]] = defaultdict(dict)
    for theme, kind, n in (
        through.objects.filter(finding__assessment__in=rated_in_year(year))
        .values("theme", "finding__kind")
        .annotate(n=Count("pk"))
        .order_by()
        .values_list("theme", "finding__kind", "n")
    ):
        found[theme][kind] = n
    learning = _panel_learning_by_theme(start, end)
    responses = _responses_by_theme(start, end)
    rows = []
    for pk, name, slug in Theme.objects.values_list("pk", "name", "slug"):
        row = ThemeRow(
            name=name,
            by_kind=tuple(found[pk].get(kind.value, 0) for kind in kinds)
            if pk in found
            else (0,) * len(kinds),
            learning=None if learning is None else learning.get(pk, 0),
            responses=responses.get(slug, 0),
        )
        if row.total:
            rows.append(row)
    rows.sort(key=lambda row: (-row.total, row.name))
    return rows


@dataclass(frozen=True)
class Benchmarking:
    sessions: int
    participants: int
    alphas: list[tuple[str, float | None, int]]  # standard, alpha, reviews


def benchmarking(year: int) -> Benchmarking:
    """Revealed sessions held in the year, their participants, and
    Krippendorff's alpha per standard over all their ratings."""
    start, end = reporting_year_range(year)
    sessions = BenchmarkSession.objects.filter(
        status=BenchmarkSession.Status.REVEALED, held_on__gte=start, held_on__lte=end
    )
    held = sessions.aggregate(n=Count("pk"))["n"]
    participants = Participant.objects.filter(session__in=sessions).aggregate(
        n=Count("user", distinct=True)
    )["n"]
    ratings = (
        StandardAssessment.objects.filter(
            assessment__session_review__session__in=sessions, rating__isnull=False
        )
        .order_by()
        .values_list(
            "standard__number",
            "standard__name",
            "assessment__session_review",
            "assessment__inspector",
            "rating",
        )
    )
    # The statistic needs the ratings themselves, one unit a session review.
    grid: dict[tuple[int, str], dict[int, dict[int, int]]] = defaultdict(
        lambda: defaultdict(dict)
    )
    for number, name, unit, rater, rating in ratings:
        grid[(number, name)][unit][rater] = rating
    alphas = []
    for (number, name), units in sorted(grid.items()):
        raters = sorted({rater for unit in units.values() for rater in unit})
        matrix = [[unit.get(r) for r in raters] for unit in units.values()]
        alphas.append(
            (
                _("%(number)s. %(name)s") % {"number": number, "name": name},
                statistics.alpha(matrix),
                len(matrix),
            )
        )
    return Benchmarking(sessions=held, participants=participants, alphas=alphas)


@dataclass(frozen=True)
class Panels:
    held: int
    agencies_needed: int
    agencies_represented: int
    agencies_present: int
    actions_completed: int
    actions_overdue: int
    impact_checks_answered: int


def panels(year: int) -> Panels | None:
    """Learning panels that met in the year: the agencies they needed, had a
    member from and had present; actions completed in the year and overdue
    now; impact checks answered in the year. None without the panels app."""
    try:
        Panel = apps.get_model("panels", "Panel")
        Action = apps.get_model("panels", "Action")
        Attendance = apps.get_model("panels", "Attendance")
        ImpactCheck = apps.get_model("panels", "ImpactCheck")
        PanelMember = apps.get_model("panels", "PanelMember")
    except LookupError:
        return None
    start, end = year_bounds(year)
    held = Panel.objects.filter(
        meetings__starts_at__gte=start, meetings__starts_at__lt=end
    ).distinct()
    needed = Panel.needed_agencies.through.objects.filter(panel__in=held)
    member = PanelMember.objects.filter(
        panel=OuterRef("panel"), agency__agency_type=OuterRef("agencytype")
    )
    present = Attendance.objects.filter(
        meeting__panel=OuterRef("panel"),
        member__agency__agency_type=OuterRef("agencytype"),
        status=Attendance.Status.PRESENT,
        meeting__starts_at__gte=start,
        meeting__starts_at__lt=end,
    )
    agencies = needed.aggregate(
        needed=Count("pk"),
        represented=Count("pk", filter=Q(Exists(member))),
        present=Count("pk", filter=Q(Exists(present))),
    )
    actions = Action.objects.aggregate(
        completed=Count("pk", filter=Q(completed_at__gte=start, completed_at__lt=end)),
        overdue=Count(
            "pk",
            filter=Q(due_on__lt=uk_today()) & ~Q(status=Action.Status.COMPLETE),
        ),
    )
    answered = ImpactCheck.objects.filter(
        answered_at__gte=start, answered_at__lt=end
    ).aggregate(n=Count("pk"))["n"]
    return Panels(
        held=held.count(),
        agencies_needed=agencies["needed"],
        agencies_represented=agencies["represented"],
        agencies_present=agencies["present"],
        actions_completed=actions["completed"],
        actions_overdue=actions["overdue"],
        impact_checks_answered=answered,
    )


@dataclass(frozen=True)
class YearFigures:
    year: int
    volumes: Volumes
    overall: Distribution


def previous_years(year: int, *, count: int = 3) -> list[YearFigures]:
    """This year and up to `count` before it that have any rating published."""
    years = []
    for earlier in range(year, year - count - 1, -1):
        overall = overall_distribution(earlier)
        if overall.total or earlier == year:
            years.append(YearFigures(earlier, volumes(earlier), overall))
    return years


@dataclass(frozen=True)
class AnnualFigures:
    year: int
    volumes: Volumes
    overall: Distribution
    standards: list[Breakdown]
    regions: list[Breakdown]
    offences: list[Breakdown]
    supervision: list[Breakdown]
    timeliness: Timeliness
    action_plan: list[tuple[str, int, float]]
    themes: list[ThemeRow]
    benchmarking: Benchmarking
    years: list[YearFigures]
    panels: Panels | None = None

    @property
    def label(self) -> str:
        return year_label(self.year)

    @property
    def top_themes(self) -> list[ThemeRow]:
        return self.themes[:TOP_THEMES]

    @property
    def has_learning(self) -> bool:
        return any(row.learning is not None for row in self.themes)

    @property
    def has_responses(self) -> bool:
        return any(row.responses is not None for row in self.themes)


def annual_figures(year: int, *, progress=None) -> AnnualFigures:
    """Every figure of the annual report for the year starting April `year`."""
    step = progress or (lambda n: None)
    overall = overall_distribution(year)
    volumes_ = volumes(year)
    standards = by_standard(year)
    step(20)
    regions, offences = by_region(year), by_offence(year)
    supervision = by_supervision(year)
    step(40)
    timeliness_, plans = timeliness(year), action_plan(year)
    step(50)
    themes_, bench = themes(year), benchmarking(year)
    step(60)
    years = previous_years(year)
    step(70)
    return AnnualFigures(
        year=year,
        volumes=volumes_,
        overall=overall,
        standards=standards,
        regions=regions,
        offences=offences,
        supervision=supervision,
        timeliness=timeliness_,
        action_plan=plans,
        themes=themes_,
        benchmarking=bench,
        years=years,
        panels=panels(year),
    )


def current_year() -> int:
    from django.utils import timezone

    return reporting_year(timezone.localdate())

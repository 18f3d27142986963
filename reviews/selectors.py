"""Reads that pages and exports iterate over, with their joins made."""

from dataclasses import dataclass
from datetime import date
from typing import TypedDict

from django.db.models import (
    Avg,
    Count,
    DurationField,
    ExpressionWrapper,
    F,
    Prefetch,
    Q,
    QuerySet,
    Sum,
    Value,
)
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.models import User
from accounts.roles import Role
from reviews.models import (
    Allocation,
    DocumentVersion,
    OffenceCategory,
    Region,
    Review,
    ReviewEvent,
    SampleEntry,
    SampleRound,
    SampleStratum,
    mask_crn,
    sample_percent,
)
from reviews.permissions import scope_filter, scope_inputs, visible_reviews
from sfoqa import statements
from sfoqa.dates import date_formatter
from sfoqa.keyset import Listing
from sfoqa.links import url_format
from sfoqa.statements import fetch
from sfoqa.tables import tag_after

# Each sort ends in the id, so the order is total and keyset pages never
# skip or repeat a row that shares its date with another.
SORTS = {
    "newest": ("-received_on", "-id"),
    "oldest": ("received_on", "id"),
    "reference": ("hmpps_reference", "id"),
    "due": ("due_date", "id"),
}


def reporting_year(day: date) -> int:
    """The reporting year (April to March) a date falls in, by its first year."""
    return day.year if day.month >= 4 else day.year - 1


def reporting_year_range(year: int) -> tuple[date, date]:
    return date(year, 4, 1), date(year + 1, 3, 31)


def reporting_years(count: int = 5) -> list[int]:
    latest = reporting_year(timezone.localdate())
    return list(range(latest, latest - count, -1))


@dataclass(frozen=True)
class ReferenceLists:
    """The region and offence lists, each (pk, name) pairs in list order.
    The review list's filter offers and checks them, its rows are named from
    them and the filter's markup is memoised by them (so they are hashable)."""

    regions: tuple[tuple[int, str], ...]
    offences: tuple[tuple[int, str], ...]


_REGION, _OFFENCE = 1, 2


def _reference_lists() -> QuerySet:
    columns = ("kind", "pk", "name", "position")
    regions = Region.objects.order_by().annotate(kind=Value(_REGION))
    offences = OffenceCategory.objects.order_by().annotate(kind=Value(_OFFENCE))
    return (
        regions.values_list(*columns)
        .union(offences.values_list(*columns), all=True)
        .order_by("kind", "position", "name")
    )


def reference_lists() -> ReferenceLists:
    """Both lists in one query, whose statement is built once a process."""
    rows = fetch("review filter lists", Region, _reference_lists)
    return ReferenceLists(
        regions=tuple(
            (pk, name) for kind, pk, name, _position in rows if kind == _REGION
        ),
        offences=tuple(
            (pk, name) for kind, pk, name, _position in rows if kind == _OFFENCE
        ),
    )


def review_list(*, user: User, sort: str = "newest", **filters) -> QuerySet[Review]:
    """The reviews the user may see, narrowed by the filter form's values
    (`_narrowing` names them), in the order `sort` names."""
    reviews = visible_reviews(
        user, Review.objects.select_related("region", "offence_category")
    )
    narrowed = _narrowed(reviews, **_narrowing(**filters))
    return narrowed.order_by(*SORTS.get(sort, SORTS["newest"]))


def _narrowing(
    *,
    q: str = "",
    region=None,
    offence_category=None,
    status: str | list[str] = "",
    year: int | None = None,
    overdue: bool = False,
    sort: str | None = None,
) -> dict:
    """The filters in use (the filter form's values), as the plain values
    that `_narrowed` compares the reviews' fields with; the sort is the
    page's keys, not a filter."""
    inputs = {
        "q": q,
        "region": region,
        "offence_category": offence_category,
        "status": status,
        "overdue": overdue,
    }
    if year:
        inputs["received_from"], inputs["received_to"] = reporting_year_range(year)
    return {name: value for name, value in inputs.items() if value}


def _narrowed(
    reviews: QuerySet[Review],
    *,
    q: str = "",
    region=None,
    offence_category=None,
    status: str | list[str] = "",
    received_from: date | None = None,
    received_to: date | None = None,
    overdue: bool = False,
) -> QuerySet[Review]:
    if q:
        reviews = reviews.filter(hmpps_reference__startswith=q)
    if region:
        reviews = reviews.filter(region=region)
    if offence_category:
        reviews = reviews.filter(offence_category=offence_category)
    if isinstance(status, list):
        reviews = reviews.filter(status__in=status)
    elif status:
        reviews = reviews.filter(status=status)
    if received_from:
        reviews = reviews.filter(received_on__gte=received_from)
    if received_to:
        reviews = reviews.filter(received_on__lte=received_to)
    if overdue:
        reviews = reviews.filter(submitted_date__gt=F("due_date"))
    return reviews


def listed_reviews(
    *, organisation_id: int | None = None, inspector_id: int | None = None, **narrowing
) -> QuerySet:
    """The list's rows from plain values, for a `Listing`: the scope the
    user's roles give (reviews.permissions.scope_inputs) and the filters in
    use (`_narrowing`)."""
    reviews = Review.objects.all()
    if organisation_id is not None or inspector_id is not None:
        scope = scope_filter(organisation_id=organisation_id, inspector_id=inspector_id)
        reviews = reviews.filter(scope)
    return _narrowed(reviews, **narrowing).values(*LIST_VALUES)


def review_listing(*, user: User, filters: dict) -> Listing | QuerySet:
    """The review list's rows for keyset_page: a `Listing`, whose SQL is
    built once a process for each kind of scope and set of filters."""
    scope = scope_inputs(user)
    if scope is None:  # no role that sees any review
        return Review.objects.none().values(*LIST_VALUES)
    return Listing(Review, listed_reviews, {**scope, **_narrowing(**filters)})


# What a row of the list shows, read as plain values (no model instances).
LIST_VALUES = (
    "id",
    "hmpps_reference",
    "crn",
    "region_id",
    "offence_category_id",
    "received_on",
    "due_date",
    "submitted_date",
    "status",
)


class ReviewRow(TypedDict):
    """One row of the review list, every value ready to print."""

    url: str
    reference: str
    masked_crn: str
    region: str
    offence: str
    received: str
    due: str
    late: str  # the "Late" tag, or nothing
    status: str
    colour: str


class ReviewRows:
    """Turns the list's values into rows: labels, month names and the review
    page's address looked up once a page, not once a cell; region and offence
    names from the reference lists the filter has read, so the page's query
    joins nothing."""

    def __init__(self, *, hmpps_view: bool, lists: ReferenceLists):
        self.regions = dict(lists.regions)
        self.offences = dict(lists.offences)
        labels = {value: str(label) for value, label in Review.Status.choices}
        if hmpps_view:
            for status in (Review.Status.ALLOCATED, Review.Status.IN_QA):
                labels[status] = labels[Review.Status.IN_QA]
        self.labels = labels
        # "5 March 2021", as every other table writes dates.
        self.uk_date = date_formatter()
        self.detail = url_format("reviews:detail")
        self.late = tag_after(_("Late"), "red")

    def row(self, values: dict) -> ReviewRow:
        status = values["status"]
        late = values["submitted_date"] > values["due_date"]
        return ReviewRow(
            url=self.detail.format(pk=values["id"]),
            reference=values["hmpps_reference"],
            masked_crn=mask_crn(values["crn"]),
            region=self.regions.get(values["region_id"], ""),
            offence=self.offences.get(values["offence_category_id"], ""),
            received=self.uk_date(values["received_on"]),
            due=self.uk_date(values["due_date"]),
            late=self.late if late else "",
            status=self.labels.get(status, status),
            colour=Review.STATUS_COLOURS.get(status, "grey"),
        )


def review_detail(*, user: User, pk: int) -> QuerySet[Review]:
    """One review with everything its page shows, in a fixed number of queries."""
    return Review.objects.select_related(
        "region",
        "delivery_unit",
        "offence_category",
        "supervision_type",
        "mappa_category",
        "mappa_level",
        "risk_level",
        "organisation",
        "inspector",
    ).prefetch_related(
        Prefetch(
            "documents",
            queryset=DocumentVersion.objects.select_related("uploaded_by"),
        ),
        "extensions",
        Prefetch(
            "allocations",
            # The assessment (a reverse one-to-one) links the page to the QA work.
            queryset=Allocation.objects.select_related(
                "inspector", "allocated_by", "assessment"
            ),
        ),
    )


def review_timeline(*, review: Review, qa_work: bool) -> QuerySet[ReviewEvent]:
    events = review.events.select_related("actor").order_by("at", "id")
    return events if qa_work else events.filter(kind__in=ReviewEvent.HMPPS_KINDS)


def document_versions(review: Review) -> list[tuple[int, list[DocumentVersion]]]:
    """Documents grouped by version number, newest version first."""
    versions: dict[int, list[DocumentVersion]] = {}
    for document in review.documents.all():
        versions.setdefault(document.number, []).append(document)
    return sorted(versions.items(), reverse=True)


@dataclass(frozen=True)
class TimelinessRow:
    region: str
    due: int
    extended: int
    overdue: int
    average_days_late: float | None


def _days(value) -> float | None:
    if value is None:
        return None
    if hasattr(value, "total_seconds"):
        return round(value.total_seconds() / 86400, 1)
    return round(float(value) / 86_400_000_000, 1)


def timeliness_by_region(*, year: int) -> list[TimelinessRow]:
    """Reviews received in a reporting year, per region: aggregated in SQL
    over the year's rows only (the received date's index), one row a region."""
    start, end = reporting_year_range(year)
    late = Q(submitted_date__gt=F("due_date"))
    lateness = ExpressionWrapper(
        F("submitted_date") - F("due_date"), output_field=DurationField()
    )
    figures = {
        row["region"]: row
        for row in Review.objects.filter(received_on__gte=start, received_on__lte=end)
        .values("region")
        .annotate(
            due=Count("pk"),
            extended=Count("pk", filter=Q(due_date__gt=F("target_date"))),
            overdue=Count("pk", filter=late),
            late_by=Avg(lateness, filter=late),
        )
        .order_by()
    }
    return [
        _timeliness_row(region, figures.get(region.pk, {}))
        for region in Region.objects.order_by("position", "name")
    ]


def _timeliness_row(region: Region, figures: dict) -> TimelinessRow:
    return TimelinessRow(
        region=region.name,
        due=figures.get("due", 0),
        extended=figures.get("extended", 0),
        overdue=figures.get("overdue", 0),
        average_days_late=_days(figures.get("late_by")),
    )


def inspectors_with_workload() -> QuerySet[User]:
    """Active inspectors with their count of open allocations."""
    open_work = Q(
        allocations__is_current=True,
        allocations__review__status__in=[Review.Status.ALLOCATED, Review.Status.IN_QA],
    )
    return (
        User.objects.filter(is_active=True, groups__name=Role.INSPECTOR)
        .annotate(open_reviews=Count("allocations", filter=open_work, distinct=True))
        .order_by("full_name", "email")
    )


def reviews_awaiting_allocation() -> QuerySet[Review]:
    return (
        Review.objects.filter(status=Review.Status.SAMPLED)
        .select_related("region", "offence_category")
        .order_by("received_on", "id")
    )


def open_allocations() -> QuerySet[Allocation]:
    return (
        Allocation.objects.filter(is_current=True)
        .select_related("review", "inspector")
        .order_by("due_date", "id")
    )


def sample_rounds() -> QuerySet[SampleRound]:
    """Rounds with their population and sample now, summed over their strata."""
    return SampleRound.objects.select_related("created_by").annotate(
        population=Coalesce(Sum("strata__population"), 0),
        selected=Coalesce(Sum("strata__selected"), 0),
    )


# An entry in the sample now: drawn and not removed, or added on purpose.
IN_SAMPLE = Q(drawn=True, removed=False) | Q(added=True)


def _strata(*, round_id: int) -> QuerySet[SampleStratum]:
    """A round's strata with each one's sample now (`selected`, kept with
    every change), in region order."""
    return SampleStratum.objects.filter(sample_round_id=round_id).order_by(
        "region__position",
        "region__name",
        "offence_category__position",
        "offence_category__name",
    )


def round_strata(sample_round: SampleRound) -> QuerySet[SampleStratum]:
    """Each stratum with its population, random allocation and final sample."""
    strata = _strata(round_id=sample_round.pk)
    return strata.select_related("region", "offence_category")


# A stratum's row, as `strata_rows` reads it.
STRATUM_FIELDS = (
    "region__name",
    "offence_category__name",
    "population",
    "allocated",
    "selected",
)


def _strata_rows() -> QuerySet:
    """`round_strata` as plain rows, built for a round whose id `strata_rows`
    puts in its place (the query's only parameter)."""
    return _strata(round_id=0).values_list(*STRATUM_FIELDS)


def strata_rows(sample_round: SampleRound) -> tuple[tuple, ...]:
    """Each stratum as the database gives it (`STRATUM_FIELDS`: names and
    whole numbers, which need no converting), in region order: hashable, so
    a key for what is worked out from them (its query built once a
    process)."""
    rows = statements.fetch(
        "round strata", SampleStratum, _strata_rows, [sample_round.pk]
    )
    return tuple(rows)


def strata_values(sample_round: SampleRound) -> list[dict]:
    """Each stratum as plain values, as the round's pages use them."""
    return strata_from(strata_rows(sample_round))


def strata_from(rows: tuple[tuple, ...]) -> list[dict]:
    """`strata_rows` as the round's pages show them, each with its percentage."""
    return [
        {
            "region": region,
            "offence": offence,
            "population": population,
            "allocated": allocated,
            "selected": selected,
            "percent": sample_percent(selected, population),
        }
        for region, offence, population, allocated, selected in rows
    ]


def round_entries(sample_round: SampleRound) -> QuerySet[SampleEntry]:
    return sample_round.entries.select_related(
        "review__region", "review__offence_category"
    ).order_by(*SAMPLE_KEYS)


# The strata's order: each entry's stratum is its review's region and
# offence category when the round was drawn.
SAMPLE_KEYS = (
    "stratum__region__position",
    "stratum__offence_category__position",
    "review_id",
)


def round_sample(*, round_id: int) -> QuerySet:
    """The reviews in a round's sample now, in the strata's order, as values
    ready for a keyset page. Sorting joins only the strata; the page's
    reviews come with `sample_rows` (joined here, every review in the sample
    would be read to keep 50)."""
    return (
        SampleEntry.objects.filter(IN_SAMPLE, sample_round_id=round_id)
        .order_by(*SAMPLE_KEYS)
        .values(*SAMPLE_KEYS, "added")
    )


def _reviews_named(**ids) -> QuerySet:
    # Unordered: the rows are looked up by id.
    return (
        Review.objects.filter(id__in=list(ids.values()))
        .order_by()
        .values("id", "hmpps_reference", "region__name", "offence_category__name")
    )


def reviews_named(ids: list[int]) -> dict[int, dict]:
    """A page's reviews by id: reference, region and offence category (one
    query, built once a process for each page size)."""
    if not ids:
        return {}
    found = statements.values(
        Review, _reviews_named, statements.by_id(ids), name="reviews of a page"
    )
    return {r["id"]: r for r in found}


def sample_rows(sample_round: SampleRound, page: list[dict]) -> list[dict]:
    """Rows of a round's sample, with the link that removes each from a draft."""
    reviews = reviews_named([v["review_id"] for v in page])
    detail = url_format("reviews:detail")
    remove = reverse("reviews:sample_round_remove", kwargs={"pk": sample_round.pk})
    added = tag_after(_("Added"), "blue")
    remove_text = str(_("Remove"))  # translated once a page, not once a row
    rows = []
    for v in page:
        review = reviews[v["review_id"]]
        rows.append(
            {
                "url": detail.format(pk=v["review_id"]),
                "reference": review["hmpps_reference"],
                "added": added if v["added"] else "",
                "region": review["region__name"],
                "offence": review["offence_category__name"],
                "remove_url": f"{remove}?review={v['review_id']}",
                "remove": remove_text,
            }
        )
    return rows


def _changes_of(*, round_id: int) -> QuerySet:
    return (
        SampleEntry.objects.filter(sample_round_id=round_id)
        .filter(Q(added=True) | Q(removed=True))
        .order_by(*SAMPLE_KEYS)
        .values("added", "reason", reference=F("review__hmpps_reference"))
    )


def round_changes(sample_round: SampleRound) -> list[dict]:
    """The reviews added or removed on purpose, with their reasons, in the
    strata's order."""
    return statements.values(
        SampleEntry, _changes_of, {"round_id": sample_round.pk}, name="round changes"
    )


def strata_totals(strata: list[dict]) -> dict:
    """The sums of `strata_values`, with the sample's share of the population."""
    population = sum(s["population"] for s in strata)
    selected = sum(s["selected"] for s in strata)
    return {
        "population": population,
        "allocated": sum(s["allocated"] for s in strata),
        "selected": selected,
        "percent": sample_percent(selected, population),
    }


def reference_codes() -> list[tuple[str, list]]:
    """The codes a bulk manifest may use, list by list."""
    from reviews import models

    lists = [
        ("region", models.Region.objects.all()),
        ("delivery_unit", models.DeliveryUnit.objects.select_related("region")),
        ("offence_category", models.OffenceCategory.objects.all()),
        ("supervision_type", models.SupervisionType.objects.all()),
        ("mappa_category", models.MappaCategory.objects.all()),
        ("mappa_level", models.MappaLevel.objects.all()),
        ("risk_level", models.RiskLevel.objects.all()),
    ]
    return [(column, list(rows.filter(is_active=True))) for column, rows in lists]

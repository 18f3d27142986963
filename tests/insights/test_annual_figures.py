import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from insights import selectors
from insights.demo import RatedCase, create_rated
from insights.selectors import annual_figures, largest_remainder
from tests.insights.factories import RI, G, build_year, uk

pytestmark = pytest.mark.django_db


@pytest.fixture
def figures(users):
    build_year(users)
    return annual_figures(2024)


def test_largest_remainder_adds_to_100_and_breaks_ties_in_scale_order():
    # 1/7 = 14.2857, 3/7 = 42.857: two tenths spare; Outstanding's remainder is
    # largest, then Good and Requires improvement tie and Good comes first.
    assert largest_remainder([1, 3, 3, 0]) == [14.3, 42.9, 42.8, 0.0]
    assert largest_remainder([1, 1, 1, 0]) == [33.4, 33.3, 33.3, 0.0]
    assert largest_remainder([0, 0, 0, 0]) == [0.0, 0.0, 0.0, 0.0]


def test_counts_each_review_in_the_uk_year_its_rating_was_first_published(figures):
    assert figures.overall.counts == (1, 3, 3, 0)
    assert figures.overall.percents == [14.3, 42.9, 42.8, 0.0]
    assert sum(figures.overall.percents) == pytest.approx(100.0)
    assert figures.overall.good_or_better == 4
    assert figures.overall.good_or_better_percent == 57.2


def test_the_neighbouring_years_hold_the_edge_cases(figures):
    # 1 April 00:30 UK time belongs to 2025; the re-published 2023 rating stays.
    assert selectors.overall_distribution(2025).counts == (0, 0, 1, 0)
    assert selectors.overall_distribution(2023).counts == (0, 0, 0, 1)
    assert [(y.year, y.overall.total) for y in figures.years] == [
        (2024, 7),
        (2023, 1),
    ]


def test_volumes(figures):
    volumes = figures.volumes
    assert (volumes.notified, volumes.received, volumes.sampled) == (2, 9, 8)
    assert volumes.sample_rate == 88.9
    # Seven first publications and two re-publications (F's and E's).
    assert (volumes.rated, volumes.published) == (7, 9)


def test_standards_regions_and_action_plans(figures):
    standards = {row.label: row.distribution.counts for row in figures.standards}
    assert standards["1. Analysis of practice"] == (1, 3, 3, 0)
    assert standards["3. Learning"] == (0, 4, 3, 0)
    regions = {row.label: row.distribution.counts for row in figures.regions}
    assert regions["North East"] == (1, 2, 3, 0)
    assert regions["London"] == (0, 1, 0, 0)
    assert regions["Wales"] == (0, 0, 0, 0)
    assert len(figures.regions) == 12
    # D's failing is in next year's rating.
    assert figures.action_plan == [
        ("Yes", 1, 33.4),
        ("Partly", 1, 33.3),
        ("No", 1, 33.3),
    ]


def test_timeliness(figures):
    t = figures.timeliness
    assert (t.due, t.on_time, t.extended, t.overdue) == (9, 7, 2, 2)
    assert t.average_days_late == 15.0
    north_east = next(row for row in t.regions if row.region == "North East")
    assert (north_east.due, north_east.overdue) == (8, 2)


def test_themes_most_frequent_first(figures):
    # Findings, panel learning and consultation responses by shared theme.
    rows = [
        (row.name, row.findings, row.learning, row.responses, row.total)
        for row in figures.themes
    ]
    assert rows == [
        ("Risk assessment", 2, 0, 2, 4),
        ("Management oversight", 2, 0, 0, 2),
        ("Partnership working", 1, 0, 1, 2),
    ]
    assert figures.top_themes[0].by_kind[2] == 2  # poor practice
    # The next year has the response of 1 April 00:30 UK time.
    assert [(row.name, row.responses) for row in selectors.themes(2025)] == [
        ("Partnership working", 1),
        ("Risk assessment", 0),
    ]


def _more(users, count, offset):
    create_rated(
        [
            RatedCase(
                overall=G if n % 2 else RI,
                published_at=uk(2024, 6, 1 + n % 28, 9),
                findings=[("poor_practice", ["risk-assessment"], "yes")],
            )
            for n in range(count)
        ],
        inspector=users["inspector"],
        lead=users["lead_inspector"],
        prefix=f"Q{offset}-",
    )


def test_query_count_does_not_grow_with_the_reviews(users):
    _more(users, 3, 1)
    with CaptureQueriesContext(connection) as few:
        annual_figures(2024)
    _more(users, 30, 2)
    with CaptureQueriesContext(connection) as many:
        figures = annual_figures(2024)
    assert figures.overall.total == 33
    assert len(many) == len(few)


def test_learning_panels_that_met_in_the_year(
    users, django_capture_on_commit_callbacks
):
    from panels.models import Attendance, Meeting
    from tests.panels.factories import add_meeting, make_panel, partner

    lead = users["lead_inspector"]
    police = partner("police", email="police.partner@example.org")
    panel = make_panel(lead, needed=("police", "mental-health"), members=[police])
    meeting = add_meeting(panel, lead)
    Meeting.objects.filter(pk=meeting.pk).update(starts_at=uk(2024, 6, 3, 10))
    Attendance.objects.create(
        meeting=meeting,
        member=panel.members.get(user=police),
        status=Attendance.Status.PRESENT,
    )
    figures = selectors.panels(2024)
    assert (figures.held, figures.agencies_needed) == (1, 2)
    assert (figures.agencies_represented, figures.agencies_present) == (1, 1)
    assert selectors.panels(2023).held == 0


def test_quarters_add_up_to_the_year_nationally_and_in_a_region(figures):
    from reviews.models import Region

    def summed(breakdowns):
        counts = [b.distribution.counts for b in breakdowns]
        return tuple(map(sum, zip(*counts, strict=True)))

    # The re-published ratings count once, in the quarter first published.
    assert summed(selectors.by_quarter(2024)) == figures.overall.counts
    north_east = Region.objects.get(name="North East")
    assert summed(selectors.by_quarter(2024, region=north_east)) == (1, 2, 3, 0)
    assert selectors.by_quarter(2025)[0].distribution.counts == (0, 0, 1, 0)


def test_standards_are_counted_and_named_in_one_query_two_in_a_region(figures):
    from reviews.models import Region

    with CaptureQueriesContext(connection) as queries:
        standards = selectors.by_standard(2024)
    assert len(queries) == 1
    assert standards[0].label == "1. Analysis of practice"
    north_east = Region.objects.get(name="North East")
    with CaptureQueriesContext(connection) as queries:
        in_region = selectors.by_standard(2024, region=north_east)
    assert len(queries) == 2
    assert in_region[0].label == "1. Analysis of practice"
    assert in_region[0].distribution.counts == (1, 2, 3, 0)


def test_a_standard_is_named_as_in_the_newest_framework_that_rated_it(figures):
    from ratings.models import Framework, Standard, StandardAssessment

    newest = Framework.objects.order_by("-version").first()
    later = Framework.objects.create(version=newest.version + 1, name="Later")
    renamed = Standard.objects.create(framework=later, number=1, name="Renamed")
    moved = StandardAssessment.objects.filter(
        standard__number=1, assessment__in=selectors.rated_in_year(2024)
    ).first()
    StandardAssessment.objects.filter(pk=moved.pk).update(standard=renamed)
    standards = {row.label: row.distribution for row in selectors.by_standard(2024)}
    # Counted together under the number, named as in the later framework.
    assert standards["1. Renamed"].counts == (1, 3, 3, 0)
    assert "1. Analysis of practice" not in standards

import csv
import datetime
import io
import re

import pytest
from django.core.cache import cache
from django.urls import reverse
from django.utils.html import escape

from accounts.models import AuditEvent, Organisation
from reviews import services
from reviews.models import DocumentVersion, OffenceCategory, Region, Review
from reviews.selectors import SORTS, timeliness_by_region
from reviews.views import filters
from tests.conftest import SIGNED_IN_QUERIES
from tests.reviews.factories import ReviewFactory, add_document

pytestmark = pytest.mark.django_db

LIST = reverse("reviews:list")


@pytest.fixture
def other_org(reference_data):
    return Organisation.objects.create(name="Another HMPPS body", kind="hmpps")


def test_hmpps_sees_only_their_organisations_reviews(hmpps_client, other_org):
    mine = ReviewFactory(status=Review.Status.ALLOCATED)
    theirs = ReviewFactory(organisation=other_org)
    page = hmpps_client.get(LIST).content.decode()
    assert mine.hmpps_reference in page and theirs.hmpps_reference not in page
    # Inspectors' work shows to HMPPS only as "in quality assurance".
    assert "In quality assurance" in page and "Allocated" not in page
    url = reverse("reviews:detail", kwargs={"pk": theirs.pk})
    assert hmpps_client.get(url).status_code == 404


def test_inspectors_see_only_reviews_allocated_to_them(
    inspector_client, users, reference_data
):
    mine = ReviewFactory(status=Review.Status.ALLOCATED, inspector=users["inspector"])
    other = ReviewFactory()
    page = inspector_client.get(LIST).content.decode()
    assert mine.hmpps_reference in page and other.hmpps_reference not in page
    assert (
        inspector_client.get(
            reverse("reviews:detail", kwargs={"pk": other.pk})
        ).status_code
        == 404
    )


def test_panel_members_see_no_reviews(panel_member_client):
    assert panel_member_client.get(LIST).status_code == 403


def test_the_list_masks_crns_and_filters(lead_inspector_client, reference_data):
    murder = OffenceCategory.objects.get(slug="murder")
    rape = OffenceCategory.objects.get(slug="rape")
    london = Region.objects.get(slug="london")
    late = ReviewFactory(
        crn="X123456",
        offence_category=murder,
        region=london,
        delivery_unit=london.delivery_units.first(),
        submitted_date=datetime.date(2024, 9, 20),
    )
    other = ReviewFactory(offence_category=rape, received_on=datetime.date(2025, 6, 1))
    page = lead_inspector_client.get(LIST).content.decode()
    assert "X12••••" in page and "X123456" not in page
    cases = {
        f"region={london.pk}": late,
        f"offence_category={rape.pk}": other,
        "overdue=on": late,
        "year=2025": other,
        f"q={late.hmpps_reference.lower()}": late,
    }
    for query, expected in cases.items():
        page = lead_inspector_client.get(f"{LIST}?{query}").content.decode()
        shown = {r.hmpps_reference for r in (late, other) if r.hmpps_reference in page}
        assert shown == {expected.hmpps_reference}, query


def _shown(page: str) -> list[int]:
    """The review ids a list page shows, in order."""
    return [int(pk) for pk in re.findall(r'href="/reviews/(\d+)/"', page)]


def _link(page: str, rel: str) -> str | None:
    found = re.search(rf'href="\?([^"]*)" rel="{rel}"', page)
    return found and found.group(1).replace("&amp;", "&")


@pytest.fixture
def tied_reviews(reference_data, monkeypatch):
    """Eleven reviews sharing three received dates and three target dates,
    four to a page."""
    monkeypatch.setattr("sfoqa.keyset.PAGE_SIZE", 4)
    days = [datetime.date(2024, 5, d) for d in (3, 1, 2)]
    return [
        ReviewFactory(received_on=days[i % 3], due_date=days[(i // 3) % 3])
        for i in range(11)
    ]


def test_the_list_writes_dates_as_every_other_page_does(
    lead_inspector_client, reference_data
):
    ReviewFactory(
        received_on=datetime.date(2026, 12, 1),
        target_date=datetime.date(2027, 9, 10),
    )
    response = lead_inspector_client.get(LIST)
    (row,) = response.context["rows"]
    assert (row["received"], row["due"]) == ("1 December 2026", "10 September 2027")
    assert "1 December 2026" in response.content.decode()


def test_the_row_builder_writes_every_month_as_format_date_does():
    from reviews.selectors import ReferenceLists, ReviewRows
    from sfoqa.dates import format_date

    rows = ReviewRows(hmpps_view=False, lists=ReferenceLists((), ()))
    for month in range(1, 13):
        day = datetime.date(2026, month, 28)
        assert rows.uk_date(day) == format_date(day)


@pytest.mark.parametrize("sort", list(SORTS))
def test_walking_next_shows_every_review_once_in_order_and_previous_walks_back(
    lead_inspector_client, tied_reviews, sort
):
    expected = list(Review.objects.order_by(*SORTS[sort]).values_list("id", flat=True))
    pages, query = [], f"sort={sort}"
    while query is not None and len(pages) < 10:
        page = lead_inspector_client.get(f"{LIST}?{query}").content.decode()
        pages.append(_shown(page))
        query = _link(page, "next")
    assert [pk for shown in pages for pk in shown] == expected
    assert [len(shown) for shown in pages] == [4, 4, 3]
    assert f"SFO reviews, page {len(pages)}" in page
    back = []
    while (query := _link(page, "prev")) is not None and len(back) < 10:
        page = lead_inspector_client.get(f"{LIST}?{query}").content.decode()
        back.append(_shown(page))
    assert back == pages[-2::-1]
    assert "SFO reviews, page 1" in page and _link(page, "prev") is None


def test_pages_keep_the_filters(lead_inspector_client, tied_reviews):
    london = Region.objects.get(slug="london")
    Review.objects.update(region=london)
    page = lead_inspector_client.get(f"{LIST}?region={london.pk}").content.decode()
    assert f"region={london.pk}&amp;after=" in page


HOSTILE_CURSORS = [
    "after=garbage",
    "after=2024-13-01_5",
    "after=2024-05-01_99999999999999999999999",
    "after=2024-05-01_-3",
    "before=x_y_z",
    "after=" + "9" * 500,
    "after=2024-05-01_1&page=99999999999999999999",
    "sort=reference&after=" + "A" * 300 + "_1",
    "sort=due&after=2024-05-01_1e3",
    "sort=nonsense&after=2024-05-01_1",
]


@pytest.mark.parametrize("query", HOSTILE_CURSORS)
def test_a_hostile_cursor_shows_the_first_page(
    lead_inspector_client, tied_reviews, query
):
    first = _shown(lead_inspector_client.get(f"{LIST}?sort=newest").content.decode())
    response = lead_inspector_client.get(f"{LIST}?{query}")
    assert response.status_code == 200
    shown = _shown(response.content.decode())
    assert shown and (shown == first or "sort=" in query)


NUL_CURSORS = [
    "after=2024-05-01_%00",
    "after=%00_1",
    "sort=reference&after=%00_1",
    "after=2024-05-01_1&after=zz&before=1_%00",
    "after=%00&after=2024-05-01_1",
]


@pytest.mark.parametrize("query", NUL_CURSORS)
def test_a_cursor_holding_a_nul_is_a_bad_request(
    lead_inspector_client, tied_reviews, query
):
    response = lead_inspector_client.get(f"{LIST}?{query}")
    assert response.status_code == 400
    assert "SFO-T" not in response.content.decode()


def test_the_list_needs_no_cache(lead_inspector_client, tied_reviews, monkeypatch):
    def down(*args, **kwargs):
        raise ConnectionError("cache down")

    for name in ("get", "set", "get_many", "add"):
        monkeypatch.setattr(cache, name, down)
    response = lead_inspector_client.get(f"{LIST}?sort=oldest")
    assert response.status_code == 200 and len(_shown(response.content.decode())) == 4


def test_list_queries_stay_constant(
    lead_inspector_client, reference_data, django_assert_num_queries
):
    regions = list(Region.objects.all()[:5])
    for i in range(120):
        region = regions[i % 5]
        ReviewFactory(region=region, delivery_unit=region.delivery_units.first())
    filters._panels.clear()
    # Signed in, the rows, and the region and offence lists (one query) that
    # the filter form offers and checks and the rows' names come from: the
    # rows' query joins nothing, rendering the form reads nothing more...
    with django_assert_num_queries(SIGNED_IN_QUERIES + 2) as captured:
        page = lead_inspector_client.get(LIST).content.decode()
    assert len(_shown(page)) == 50
    assert "JOIN" not in captured.captured_queries[-1]["sql"]
    assert 'role="region" aria-label="SFO reviews"' in page
    assert f'<td class="govuk-table__cell">{regions[0].name}</td>' in page
    # ... nor on a later page, nor to check a region chosen.
    page = lead_inspector_client.get(f"{LIST}?{_link(page, 'next')}").content
    with django_assert_num_queries(SIGNED_IN_QUERIES + 2):
        page = lead_inspector_client.get(f"{LIST}?{_link(page.decode(), 'next')}")
    assert len(_shown(page.content.decode())) == 20
    with django_assert_num_queries(SIGNED_IN_QUERIES + 2):
        page = lead_inspector_client.get(f"{LIST}?region={regions[1].pk}")
    assert len(_shown(page.content.decode())) == 24


def test_the_filter_form_shows_the_current_filters_and_lists(
    lead_inspector_client, tied_reviews
):
    london = Region.objects.get(slug="london")
    page = lead_inspector_client.get(f"{LIST}?region={london.pk}").content.decode()
    assert f'<option value="{london.pk}" selected>' in page
    Region.objects.filter(pk=london.pk).update(name="Greater London")
    page = lead_inspector_client.get(f"{LIST}?region={london.pk}").content.decode()
    assert "Greater London" in page
    page = lead_inspector_client.get(LIST).content.decode()
    assert f'<option value="{london.pk}" selected>' not in page
    page = lead_inspector_client.get(f"{LIST}?region=nonsense").content.decode()
    assert "govuk-error-summary" in page
    assert "Choose a region from the list" in page
    page = lead_inspector_client.get(f"{LIST}?offence_category=99999").content
    assert "Choose an offence category from the list" in page.decode()
    assert "99999" not in page.decode().split("govuk-error-summary")[1][:400]
    page = lead_inspector_client.get(f"{LIST}?year=1999&status=x&sort=y").content
    for message in (
        "Choose a reporting year from the list",
        "Choose a status from the list",
        "Choose an order from the list",
    ):
        assert message in page.decode()
    assert "Select a valid choice" not in page.decode()


def _panel(page: str) -> str:
    panel = page.split('<div class="moj-filter"')[1]
    return panel.split("moj-filter-layout__content")[0]


def test_the_filter_panel_is_worked_out_once_per_filter_not_per_page(
    lead_inspector_client, tied_reviews
):
    filters._panels.clear()
    query = "region=&status=received&sort=oldest"
    first = lead_inspector_client.get(f"{LIST}?{query}").content.decode()
    second = lead_inspector_client.get(f"{LIST}?{_link(first, 'next')}")
    assert len(filters._panels) == 1
    # Kept, it is the panel worked out afresh: the selected filter's tag
    # removes it and goes back to the first page.
    assert _panel(second.content.decode()) == _panel(first)
    assert 'href="?region=&amp;sort=oldest"' in _panel(first)
    assert second.context["form"] is None
    assert _shown(second.content.decode()) != _shown(first)
    # Another filter value is another state.
    lead_inspector_client.get(f"{LIST}?status=sampled&sort=oldest")
    assert len(filters._panels) == 2


def test_a_filter_with_errors_is_checked_every_time(
    lead_inspector_client, tied_reviews
):
    filters._panels.clear()
    for _ in range(2):
        response = lead_inspector_client.get(f"{LIST}?region=nonsense")
        page = response.content.decode()
        assert response.context["form"].errors
        assert "govuk-error-summary" in page and page.startswith("<!DOCTYPE html>")
        assert "<title>Error:" in page
    assert not filters._panels


def test_detail_queries_stay_constant(
    lead_inspector_client, users, reference_data, django_assert_num_queries
):
    review = ReviewFactory(status=Review.Status.SAMPLED)
    for number in (1, 2, 3):
        add_document(review, number=number)
    for month in (10, 11, 12):
        services.review_extension_add(
            by=users["hmpps_sfo"],
            review=review,
            reason="x",
            new_target_date=datetime.date(2024, month, 1),
            agreed_by="y",
            agreed_on=datetime.date(2024, 9, 1),
        )
    services.review_allocate(
        by=users["lead_inspector"],
        review=review,
        inspector=users["inspector"],
        due_date=datetime.date(2030, 1, 1),
    )
    url = reverse("reviews:detail", kwargs={"pk": review.pk})
    # The review, documents, extensions, allocations, timeline, the audit row,
    # and the themes of its findings (for the link to the learning library).
    with django_assert_num_queries(SIGNED_IN_QUERIES + 7):
        response = lead_inspector_client.get(url)
    page = response.content.decode()
    assert review.crn in page
    assert "Version 3" in page and "Extension recorded" in page
    assert AuditEvent.objects.filter(
        action="review_viewed", object_id=review.pk
    ).exists()


def test_hmpps_timeline_hides_the_inspectorates_work(
    hmpps_client, users, reference_data
):
    review = ReviewFactory(status=Review.Status.SAMPLED)
    services.review_allocate(
        by=users["lead_inspector"],
        review=review,
        inspector=users["inspector"],
        due_date=datetime.date(2030, 1, 1),
    )
    page = hmpps_client.get(
        reverse("reviews:detail", kwargs={"pk": review.pk})
    ).content.decode()
    assert review.crn in page
    assert "Allocated to an inspector" not in page
    assert escape(users["inspector"].full_name) not in page


def test_quarantined_documents_cannot_be_downloaded(
    hmpps_client, reference_data, media_root
):
    review = ReviewFactory()
    pending = add_document(review, scan_status=DocumentVersion.ScanStatus.PENDING)
    url = reverse("reviews:document", kwargs={"pk": pending.pk})
    assert hmpps_client.get(url).status_code == 404
    page = hmpps_client.get(
        reverse("reviews:detail", kwargs={"pk": review.pk})
    ).content.decode()
    assert "Waiting for virus scan" in page and url not in page


def test_a_clean_scan_releases_a_document(monkeypatch, reference_data, media_root):
    review = ReviewFactory()
    document = add_document(review, scan_status=DocumentVersion.ScanStatus.PENDING)
    monkeypatch.setattr("sfoqa.antivirus.scan_bytes", lambda data: "infected")
    assert services.document_scan(document_id=document.pk) == "infected"
    other = add_document(
        review, number=2, scan_status=DocumentVersion.ScanStatus.PENDING
    )
    monkeypatch.setattr("sfoqa.antivirus.scan_bytes", lambda data: "clean")
    assert services.document_scan(document_id=other.pk) == "clean"


def test_export_is_formula_safe_masked_and_audited(
    lead_inspector_client, reference_data
):
    ReviewFactory(hmpps_reference="=HYPERLINK(1)", crn="Z999999")
    ReviewFactory()
    response = lead_inspector_client.get(reverse("reviews:export") + "?status=received")
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    assert len(rows) == 3
    assert "'=HYPERLINK(1)" in [row[0] for row in rows]
    assert "Z999999" not in response.content.decode()
    event = AuditEvent.objects.get(action="reviews_exported")
    assert event.details == {"filters": ["status"], "rows": 2}


def test_timeliness_is_aggregated_by_region(lead_inspector_client, reference_data):
    north_east = Region.objects.get(slug="north-east")
    ReviewFactory(region=north_east)  # on time
    ReviewFactory(
        region=north_east, submitted_date=datetime.date(2024, 9, 20)
    )  # 10 late
    ReviewFactory(
        region=north_east,
        due_date=datetime.date(2024, 10, 1),
        submitted_date=datetime.date(2024, 10, 5),
    )  # extended, 4 days late
    rows = {row.region: row for row in timeliness_by_region(year=2024)}
    row = rows["North East"]
    assert (row.due, row.extended, row.overdue, row.average_days_late) == (3, 1, 2, 7.0)
    assert rows["Wales"].due == 0 and rows["Wales"].average_days_late is None
    page = lead_inspector_client.get(reverse("reviews:timeliness") + "?year=2024")
    assert "North East" in page.content.decode()


@pytest.mark.parametrize("role", ["inspector", "hmpps_sfo", "panel_member"])
def test_only_leads_see_timeliness(client_for, role):
    assert client_for(role).get(reverse("reviews:timeliness")).status_code == 403

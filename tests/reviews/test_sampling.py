import csv
import datetime
import io
import re

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse

from reviews import sampling, selectors, services
from reviews.models import OffenceCategory, Region, Review, SampleRound
from tests.conftest import sign_in
from tests.migrating import migrated_again
from tests.reviews.factories import ReviewFactory

START, END = datetime.date(2024, 4, 1), datetime.date(2025, 3, 31)


def test_largest_remainder_gives_the_spare_place_to_the_largest_remainder():
    # 15 reviews at 20% is 3; exact quotas 1.4, 1.0 and 0.6.
    assert sampling.largest_remainder({"a": 7, "b": 5, "c": 3}, 20) == {
        "a": 1,
        "b": 1,
        "c": 1,
    }


def test_largest_remainder_breaks_ties_by_population_then_key():
    # 10 reviews at 10% is 1: quotas 0.5 and 0.5, equal populations.
    assert sampling.largest_remainder({"b": 5, "a": 5}, 10) == {"a": 1, "b": 0}
    # 6 + 6 + 3 at 20% is 3: quotas 1.2, 1.2 and 0.6, so z gets the spare.
    assert sampling.largest_remainder({"x": 6, "y": 6, "z": 3}, 20) == {
        "x": 1,
        "y": 1,
        "z": 1,
    }
    # 10 at 20% is 2: quotas 0.4, 1.4 and 0.2, so a and b tie on 0.4 and
    # the larger stratum wins the spare place.
    assert sampling.largest_remainder({"a": 2, "b": 7, "c": 1}, 20) == {
        "a": 0,
        "b": 2,
        "c": 0,
    }


def test_sample_size_rounds_half_up_and_shares_always_add_up():
    assert sampling.sample_size(7, 20) == 1
    assert sampling.sample_size(8, 20) == 2
    assert sampling.sample_size(5, 10) == 1
    shares = sampling.largest_remainder({i: i * 3 + 1 for i in range(12)}, 20)
    assert sum(shares.values()) == sampling.sample_size(
        sum(i * 3 + 1 for i in range(12)), 20
    )


def test_the_same_population_and_seed_give_the_same_draw():
    members = {
        ("r1", "murder"): list(range(1, 40)),
        ("r2", "rape"): list(range(40, 60)),
    }
    shares = {("r1", "murder"): 8, ("r2", "rape"): 4}
    first = sampling.draw(members, shares, seed=1234)
    assert first == sampling.draw(dict(reversed(members.items())), shares, seed=1234)
    assert first != sampling.draw(members, shares, seed=4321)
    assert len(first) == 12


@pytest.fixture
def population(reference_data):
    """20 reviews in two regions and two offence categories."""
    regions = list(Region.objects.order_by("position")[:2])
    offences = list(OffenceCategory.objects.order_by("position")[:2])
    return [
        ReviewFactory(
            region=regions[i % 2],
            offence_category=offences[(i // 2) % 2],
            received_on=datetime.date(2024, 6, 1) + datetime.timedelta(days=i),
        )
        for i in range(20)
    ]


@pytest.mark.django_db
def test_a_round_is_reproducible_from_its_seed(population, users):
    lead = users["lead_inspector"]
    first = services.sample_round_draw(
        by=lead, period_start=START, period_end=END, seed=99
    )
    chosen = {e.review_id for e in first.entries.all() if e.selected}
    first.delete()
    again = services.sample_round_draw(
        by=lead, period_start=START, period_end=END, seed=99
    )
    assert {e.review_id for e in again.entries.all() if e.selected} == chosen
    assert len(chosen) == 4
    assert sorted(again.strata.values_list("population", "allocated")) == [
        (5, 1),
        (5, 1),
        (5, 1),
        (5, 1),
    ]


@pytest.mark.django_db
def test_lead_draws_changes_and_confirms_a_sample(
    population, users, lead_inspector_client
):
    response = lead_inspector_client.post(
        reverse("reviews:sample_round_new"),
        {
            "period_start_0": "1",
            "period_start_1": "4",
            "period_start_2": "2024",
            "period_end_0": "31",
            "period_end_1": "3",
            "period_end_2": "2025",
            "target_percent": "20",
            "seed": "7",
        },
    )
    sample_round = SampleRound.objects.get()
    assert response.url == reverse(
        "reviews:sample_round", kwargs={"pk": sample_round.pk}
    )
    assert sample_round.seed == 7
    page = lead_inspector_client.get(response.url).content.decode()
    assert "4 of 20 reviews (20.0%)" in page

    drawn = [e for e in sample_round.entries.all() if e.selected]
    spare = next(e for e in sample_round.entries.all() if not e.selected)
    url = reverse("reviews:sample_round_remove", kwargs={"pk": sample_round.pk})
    lead_inspector_client.post(
        url, {"review": drawn[0].review_id, "reason": "Too recent"}
    )
    refused = lead_inspector_client.post(
        url, {"review": drawn[1].review_id, "reason": ""}
    )
    assert refused.status_code == 200
    assert 'href="#id_reason"' in refused.content.decode()
    lead_inspector_client.post(
        reverse("reviews:sample_round_add", kwargs={"pk": sample_round.pk}),
        {"reference": spare.review.hmpps_reference.lower(), "reason": "Terrorism case"},
    )
    lead_inspector_client.post(
        reverse("reviews:sample_round_confirm", kwargs={"pk": sample_round.pk})
    )
    sample_round.refresh_from_db()
    assert sample_round.status == SampleRound.Status.CONFIRMED
    sampled = set(Review.objects.filter(status="sampled").values_list("pk", flat=True))
    assert sampled == {e.review_id for e in drawn[1:]} | {spare.review_id}
    assert Review.objects.filter(status="not_sampled").count() == 16
    page = lead_inspector_client.get(response.url).content.decode()
    assert "Too recent" in page and "Terrorism case" in page
    assert f"{drawn[0].review.hmpps_reference}: removed" in page
    assert f"{spare.review.hmpps_reference}: added" in page

    export = lead_inspector_client.get(
        reverse("reviews:sample_round_export", kwargs={"pk": sample_round.pk})
    )
    rows = list(csv.reader(io.StringIO(export.content.decode("utf-8-sig"))))
    assert rows[0][:3] == ["Region", "Offence category", "Population"]
    assert sum(int(row[4]) for row in rows[1:]) == 4


@pytest.mark.django_db
def test_a_confirmed_round_cannot_change(population, users, lead_inspector_client):
    sample_round = services.sample_round_draw(
        by=users["lead_inspector"], period_start=START, period_end=END, seed=1
    )
    services.sample_round_confirm(by=users["lead_inspector"], sample_round=sample_round)
    response = lead_inspector_client.post(
        reverse("reviews:sample_round_confirm", kwargs={"pk": sample_round.pk})
    )
    assert response.status_code == 403


@pytest.mark.django_db
def test_an_empty_period_is_explained(users, lead_inspector_client):
    response = lead_inspector_client.post(
        reverse("reviews:sample_round_new"),
        {
            "period_start_0": "1",
            "period_start_1": "4",
            "period_start_2": "2020",
            "period_end_0": "31",
            "period_end_1": "3",
            "period_end_2": "2021",
            "target_percent": "20",
        },
    )
    assert "No reviews received in this period" in response.content.decode()


@pytest.mark.django_db
@pytest.mark.parametrize("role", ["inspector", "hmpps_sfo", "panel_member"])
def test_only_leads_sample(client_for, role):
    assert client_for(role).get(reverse("reviews:sample_round_list")).status_code == 403
    assert client_for(role).get(reverse("reviews:sample_round_new")).status_code == 403


def _draw(users, seed=5):
    return services.sample_round_draw(
        by=users["lead_inspector"], period_start=START, period_end=END, seed=seed
    )


def _round_url(name, sample_round):
    return reverse(f"reviews:{name}", kwargs={"pk": sample_round.pk})


@pytest.mark.django_db
def test_a_discarded_draft_can_be_drawn_again_with_the_same_seed(
    population, users, lead_inspector_client
):
    first = _draw(users, seed=31)
    chosen = {e.review_id for e in first.entries.all() if e.selected}
    asked = lead_inspector_client.get(_round_url("sample_round_discard", first))
    assert "Are you sure you want to discard this draft?" in asked.content.decode()
    first.refresh_from_db()
    assert first.is_draft

    lead_inspector_client.post(_round_url("sample_round_discard", first))
    first.refresh_from_db()
    assert first.status == SampleRound.Status.DISCARDED
    page = lead_inspector_client.get(_round_url("sample_round", first)).content
    assert b"Draw again with seed 31" in page
    again = lead_inspector_client.get(
        reverse("reviews:sample_round_new") + f"?again={first.pk}"
    ).content.decode()
    assert 'name="seed" value="31"' in again

    second = _draw(users, seed=31)
    assert {e.review_id for e in second.entries.all() if e.selected} == chosen
    assert Review.objects.filter(status="received").count() == 20


@pytest.mark.django_db
def test_a_confirmed_round_cannot_be_discarded(population, users):
    sample_round = _draw(users)
    services.sample_round_confirm(by=users["lead_inspector"], sample_round=sample_round)
    with pytest.raises(ValidationError):
        services.sample_round_discard(
            by=users["lead_inspector"], sample_round=sample_round
        )


@pytest.mark.django_db
def test_confirming_asks_are_you_sure_before_anything_changes(
    population, users, lead_inspector_client
):
    sample_round = _draw(users)
    detail = lead_inspector_client.get(_round_url("sample_round", sample_round))
    confirm_url = _round_url("sample_round_confirm", sample_round)
    assert f'href="{confirm_url}"'.encode() in detail.content
    asked = lead_inspector_client.get(confirm_url).content.decode()
    assert "Are you sure you want to confirm this sample?" in asked
    assert "4 of 20 reviews will be marked as sampled" in asked
    assert "Yes, confirm the sample" in asked
    sample_round.refresh_from_db()
    assert sample_round.is_draft
    assert not Review.objects.exclude(status="received").exists()


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("target_percent", "0", "Target sample must be between 1 and 100"),
        ("target_percent", "twenty", "Target sample must be a whole number"),
        ("seed", "-4", "Random seed must be 0 or more"),
    ],
)
def test_sampling_errors_name_their_field(
    users, lead_inspector_client, field, value, message
):
    data = {
        "period_start_0": "1",
        "period_start_1": "4",
        "period_start_2": "2024",
        "period_end_0": "31",
        "period_end_1": "3",
        "period_end_2": "2025",
        "target_percent": "20",
        field: value,
    }
    page = lead_inspector_client.post(reverse("reviews:sample_round_new"), data)
    assert message in page.content.decode()
    assert f'href="#id_{field}"' in page.content.decode()


@pytest.mark.django_db
def test_an_empty_period_error_links_to_the_period(users, lead_inspector_client):
    page = lead_inspector_client.post(
        reverse("reviews:sample_round_new"),
        {
            "period_start_0": "1",
            "period_start_1": "4",
            "period_start_2": "2020",
            "period_end_0": "31",
            "period_end_1": "3",
            "period_end_2": "2021",
            "target_percent": "20",
        },
    ).content.decode()
    assert 'href="#id_period_start' in page


@pytest.mark.django_db
def test_strata_are_sorted_by_region_then_offence_and_explained(
    reference_data, users, lead_inspector_client
):
    # Strata are stored in the order their first review came: last region first.
    regions = list(Region.objects.order_by("-position")[:3])
    offences = list(OffenceCategory.objects.order_by("-position")[:2])
    for i in range(12):
        ReviewFactory(
            region=regions[i % 3],
            offence_category=offences[i % 2],
            received_on=datetime.date(2024, 6, 1),
        )
    sample_round = _draw(users)
    strata = list(selectors.round_strata(sample_round))
    keys = [
        (s.region.position, s.region.name, s.offence_category.position) for s in strata
    ]
    assert keys == sorted(keys) and len(keys) == 6
    page = lead_inspector_client.get(_round_url("sample_round", sample_round))
    assert b"What the columns mean" in page.content
    assert b"largest remainder" in page.content


@pytest.mark.django_db
def test_adding_a_review_from_outside_the_period_says_why(
    population, users, lead_inspector_client
):
    sample_round = _draw(users)
    late = ReviewFactory(received_on=datetime.date(2025, 5, 2))
    page = lead_inspector_client.post(
        _round_url("sample_round_add", sample_round),
        {"reference": late.hmpps_reference, "reason": "High profile"},
    ).content.decode()
    assert (
        f"{late.hmpps_reference} cannot be added: it was received on 2 May 2025, "
        "outside this round&#x27;s period (1 April 2024 to 31 March 2025)"
    ) in page
    assert 'href="#id_reference"' in page
    unknown = lead_inspector_client.post(
        _round_url("sample_round_add", sample_round),
        {"reference": "NOPE-1", "reason": "High profile"},
    ).content.decode()
    assert "There is no review with this HMPPS reference" in unknown


@pytest.mark.django_db
def test_adding_a_review_decided_by_an_earlier_round_says_why(
    population, users, lead_inspector_client
):
    services.sample_round_confirm(by=users["lead_inspector"], sample_round=_draw(users))
    ReviewFactory(received_on=datetime.date(2024, 9, 1))
    second = _draw(users)
    decided = population[0]
    page = lead_inspector_client.post(
        _round_url("sample_round_add", second),
        {"reference": decided.hmpps_reference, "reason": "High profile"},
    ).content.decode()
    decided.refresh_from_db()
    assert f"it is {decided.get_status_display().lower()} already" in page


@pytest.mark.django_db
def test_the_round_page_keeps_removal_reasons_on_their_own_step(
    population, users, lead_inspector_client
):
    sample_round = _draw(users)
    page = lead_inspector_client.get(_round_url("sample_round", sample_round))
    html = page.content.decode()
    # One reason box on the page (adding a review), not one per sampled review.
    assert html.count('name="reason"') == 1
    assert html.count("?review=") == 4
    entry = next(e for e in sample_round.entries.all() if e.selected)
    step = lead_inspector_client.get(
        _round_url("sample_round_remove", sample_round) + f"?review={entry.review_id}"
    )
    assert b"Why it should come out of the sample" in step.content


@pytest.mark.django_db
def test_the_sample_comes_a_page_at_a_time_in_strata_order(
    population, users, lead_inspector_client, monkeypatch
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from sfoqa import keyset

    monkeypatch.setattr(keyset, "PAGE_SIZE", 4)
    sample_round = services.sample_round_draw(
        by=users["lead_inspector"],
        period_start=START,
        period_end=END,
        target_percent=50,
        seed=1,
    )
    in_order = [
        e.review_id for e in selectors.round_entries(sample_round) if e.selected
    ]
    assert len(in_order) == 10
    url = _round_url("sample_round", sample_round)
    seen, counts, query = [], [], ""
    for _ in range(3):
        with CaptureQueriesContext(connection) as queries:
            page = lead_inspector_client.get(f"{url}?{query}")
        seen += [e["review_id"] for e in page.context["selected"]]
        counts.append(len(queries))
        query = page.context["page"].next_query
    assert seen == in_order
    assert len(set(counts)) == 1
    assert not query
    assert page.context["strata_count"] == 4
    hostile = lead_inspector_client.get(f"{url}?after=x_y_z")
    assert len(hostile.context["selected"]) == 4


@pytest.mark.django_db
def test_each_rounds_empty_add_form_posts_to_it_with_the_pages_token(population, users):
    """The empty "add a review" form is rendered once a process for each
    round; each page still carries its own token, which the add accepts."""
    rounds = [_draw(users)]
    services.sample_round_discard(by=users["lead_inspector"], sample_round=rounds[0])
    rounds.append(_draw(users))
    client = sign_in(Client(enforce_csrf_checks=True), users["lead_inspector"])
    for sample_round in [*rounds, rounds[1]]:
        sample_round.refresh_from_db()
        page = client.get(_round_url("sample_round", sample_round)).content.decode()
        if sample_round.status == SampleRound.Status.DISCARDED:
            assert 'name="reference"' not in page
            continue
        form = re.search(r'<form[^>]*action="([^"]*/add/)".*?</form>', page, re.S)
        assert form[1] == _round_url("sample_round_add", sample_round)
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]*)"', form[0])[1]
        spare = next(e for e in sample_round.entries.all() if not e.selected)
        added = client.post(
            form[1],
            {
                "csrfmiddlewaretoken": token,
                "reference": spare.review.hmpps_reference,
                "reason": "High profile",
            },
        )
        assert added.status_code == 302
        assert sample_round.entries.get(pk=spare.pk).added


@pytest.mark.django_db
def test_the_strata_table_follows_each_removal_and_addition(
    population, users, lead_inspector_client
):
    import re

    sample_round = _draw(users)
    url = _round_url("sample_round", sample_round)

    def sample_column() -> list[str]:
        """Each stratum's sample, then the total's, as the page shows them."""
        table = lead_inspector_client.get(url).context["strata_table"]
        rows = re.findall(r"<tr class=\"govuk-table__row\">(.*?)</tr>", table)
        return [re.findall(r"<td[^>]*>(.*?)</td>", row)[-2] for row in rows[1:]]

    before = sample_column()
    assert sample_column() == before  # kept: the same values, the same table
    entry = next(e for e in sample_round.entries.all() if e.selected)
    lead_inspector_client.post(
        _round_url("sample_round_remove", sample_round),
        {"review": entry.review_id, "reason": "Too recent"},
    )
    removed = sample_column()
    assert int(removed[-1]) == int(before[-1]) - 1
    assert sum(map(int, removed[:-1])) == int(removed[-1])
    lead_inspector_client.post(
        _round_url("sample_round_add", sample_round),
        {"reference": entry.review.hmpps_reference, "reason": "Back in"},
    )
    assert sample_column() == before


@pytest.mark.django_db
def test_the_strata_are_worked_out_once_for_each_set_of_rows(
    population, users, lead_inspector_client, monkeypatch
):
    """The strata's table and totals are kept for the rows the database
    gives: read again on every visit, and worked out again when any of them
    changes, a region's name included."""
    from reviews.views import leads
    from sfoqa.memo import Memo

    monkeypatch.setattr(leads, "_strata_shown", Memo(size=8))
    worked_out = []
    strata_from = selectors.strata_from
    monkeypatch.setattr(
        selectors,
        "strata_from",
        lambda rows: worked_out.append(rows) or strata_from(rows),
    )
    sample_round = _draw(users)
    url = _round_url("sample_round", sample_round)
    first = lead_inspector_client.get(url)
    again = lead_inspector_client.get(url)
    assert again.context["strata_table"] == first.context["strata_table"]
    assert again.context["totals"] == first.context["totals"]
    assert len(worked_out) == 1
    region = sample_round.strata.first().region
    region.name = "Renamed <region>"
    region.save()
    renamed = lead_inspector_client.get(url).context["strata_table"]
    assert "Renamed &lt;region&gt;" in renamed
    assert len(worked_out) == 2


@pytest.mark.django_db
def test_each_rounds_page_shows_its_own_status_exports_and_choices(population, users):
    """The parts of a round's page that are the same for every visit are
    rendered once a process for each round: each page still names its own
    round, status and choices, and its export form carries its own token."""
    lead = users["lead_inspector"]
    discarded = _draw(users)
    services.sample_round_discard(by=lead, sample_round=discarded)
    confirmed = _draw(users)
    services.sample_round_confirm(by=lead, sample_round=confirmed)
    for day in range(5):  # a later period, still to be sampled
        ReviewFactory(received_on=datetime.date(2025, 6, 1) + datetime.timedelta(day))
    draft = services.sample_round_draw(
        by=lead,
        period_start=datetime.date(2025, 4, 1),
        period_end=datetime.date(2026, 3, 31),
        seed=9,
    )
    client = sign_in(Client(enforce_csrf_checks=True), lead)
    expected = {
        draft: ("yellow", "Draft"),
        confirmed: ("green", "Confirmed"),
        discarded: ("grey", "Discarded"),
    }
    for sample_round, (colour, label) in [*expected.items(), *expected.items()]:
        page = client.get(_round_url("sample_round", sample_round)).content.decode()
        tag = f'<strong class="govuk-tag govuk-tag--{colour}">{label}</strong>'
        assert tag in page
        assert f'href="{_round_url("sample_round_export", sample_round)}"' in page
        assert "What the columns mean" in page
        others = [r for r in expected if r != sample_round]
        for other in others:
            assert _round_url("sample_round_export", other) not in page
        is_draft = sample_round == draft
        for choice in ("sample_round_confirm", "sample_round_discard"):
            assert (_round_url(choice, sample_round) in page) is is_draft
        action = reverse("insights:export_request", kwargs={"name": "sample-rounds"})
        export = re.search(
            rf'<form[^>]*action="({action})"[^>]*>(.*?)</form>', page, re.S
        )
        if sample_round == discarded:
            assert export is None
            continue
        assert f'name="round" value="{sample_round.pk}"' in export[2]
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]*)"', export[2])[1]
        asked = client.post(
            export[1], {"csrfmiddlewaretoken": token, "round": sample_round.pk}
        )
        assert asked.status_code == 302


def _counted(sample_round) -> dict[int, int]:
    """Each stratum's sample now, counted from its entries."""
    return {
        stratum.pk: sum(entry.selected for entry in stratum.entries.all())
        for stratum in sample_round.strata.all()
    }


def _kept(sample_round) -> dict[int, int]:
    return dict(sample_round.strata.values_list("pk", "selected"))


@pytest.mark.django_db
def test_each_stratums_sample_is_kept_with_every_change(population, users):
    lead = users["lead_inspector"]
    sample_round = _draw(users)
    assert _kept(sample_round) == _counted(sample_round)
    assert sum(_kept(sample_round).values()) == sum(
        stratum.allocated for stratum in sample_round.strata.all()
    )
    drawn = next(e for e in sample_round.entries.all() if e.drawn)
    spare = next(e for e in sample_round.entries.all() if not e.drawn)
    changes = [
        (services.sample_entry_remove, drawn),
        (services.sample_entry_add, drawn),  # back again
        (services.sample_entry_add, spare),
        (services.sample_entry_remove, spare),  # the addition undone
        (services.sample_entry_add, spare),
    ]
    for change, entry in changes:
        change(
            by=lead, sample_round=sample_round, review_id=entry.review_id, reason="Why"
        )
        assert _kept(sample_round) == _counted(sample_round)
    with pytest.raises(ValidationError):  # refused: nothing counted
        services.sample_entry_add(
            by=lead, sample_round=sample_round, review_id=spare.review_id, reason="x"
        )
    assert _kept(sample_round) == _counted(sample_round)
    listed = selectors.sample_rounds().get(pk=sample_round.pk)
    assert listed.selected == sum(_counted(sample_round).values())
    assert listed.population == sample_round.entries.count() == 20


@pytest.mark.django_db(transaction=True)
def test_the_migration_counts_each_stratums_sample(population, users):
    sample_round = _draw(users)
    entry = next(e for e in sample_round.entries.all() if not e.drawn)
    services.sample_entry_add(
        by=users["lead_inspector"],
        sample_round=sample_round,
        review_id=entry.review_id,
        reason="High profile",
    )
    with migrated_again(
        "reviews",
        before="0007_allocation_started_at",
        after="0008_sample_stratum_selected",
    ):
        assert _kept(sample_round) == _counted(sample_round)
        assert sum(_kept(sample_round).values()) == 5

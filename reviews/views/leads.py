"""Lead inspectors' pages (timeliness, sampling, allocation) and declarations."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.middleware.csrf import get_token
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.safestring import SafeString
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from accounts.audit import Action, audit_record
from reviews import permissions, selectors, services
from reviews.forms import (
    AddToSampleForm,
    AllocationForm,
    ConflictForm,
    RemoveFromSampleForm,
    SampleRoundConfirmForm,
    SampleRoundDiscardForm,
    SampleRoundForm,
)
from reviews.models import Review, SampleEntry, SampleRound
from reviews.tables import DRAFT_SAMPLE_TABLE, SAMPLE_TABLE, STRATA_TABLE
from reviews.views.common import apply_errors
from sfoqa.exports import Table, csv_response
from sfoqa.fragments import blank_form
from sfoqa.keyset import Listing, keyset_page, query_without_cursor
from sfoqa.memo import Memo
from sfoqa.params import int_param
from sfoqa.prepared import generic_plans

# Lead inspectors: timeliness.


def timeliness(request):
    years = selectors.reporting_years()
    # Only the years the page offers: any other falls back to the latest.
    year = int_param(request.GET, "year", default=years[0])
    if year not in years:
        year = years[0]
    context = {
        "rows": selectors.timeliness_by_region(year=year),
        "year": year,
        "years": years,
        "page_title": _("Timeliness by region"),
    }
    return render(request, "reviews/timeliness.html", context)


# Lead inspectors: sampling.


def sample_round_list(request):
    context = {
        "rounds": selectors.sample_rounds(),
        "page_title": _("Sample rounds"),
    }
    return render(request, "reviews/sample_round_list.html", context)


def sample_round_new(request):
    form = SampleRoundForm(
        data=request.POST or None, initial=_draw_again(request.GET.get("again"))
    )
    if request.method == "POST" and form.is_valid():
        try:
            sample_round = services.sample_round_draw(
                by=request.user, request=request, **form.cleaned_data
            )
        except ValidationError as error:
            apply_errors(form, error)
        else:
            return redirect("reviews:sample_round", pk=sample_round.pk)
    context = {"form": form, "page_title": _("Draw a sample")}
    return render(request, "reviews/sample_round_form.html", context)


def _draw_again(pk) -> dict:
    """The period, target and seed of a discarded round, to draw it again."""
    sample_round = (
        SampleRound.objects.filter(pk=pk, status=SampleRound.Status.DISCARDED).first()
        if str(pk).isdigit()
        else None
    )
    if sample_round is None:
        return {}
    return {
        "period_start": sample_round.period_start,
        "period_end": sample_round.period_end,
        "target_percent": sample_round.target_percent,
        "seed": sample_round.seed,
    }


# Each set of strata a round's page has shown, in each language: their
# number, totals and table (its rows and words are the key).
_strata_shown = Memo(size=64)


def _strata_section(sample_round) -> tuple[int, dict, SafeString]:
    """The round's strata as its page shows them: how many, their totals and
    their table, worked out once a process for each set of rows. The rows
    change only with the sample (or a region's or category's name), and each
    is read every time: a changed row is a new key."""
    rows = selectors.strata_rows(sample_round)
    key = (get_language(), rows)
    found = _strata_shown.get(key)
    if found is None:
        strata = selectors.strata_from(rows)
        totals = selectors.strata_totals(strata)
        table = STRATA_TABLE.render(
            strata,
            caption=_(
                "Population and sample by region and offence category, in region order"
            ),
            scroll_label=_("Strata"),
            total={**totals, "label": _("Total")},
        )
        found = (len(strata), totals, table)
        _strata_shown.put(key, found)
    count, totals, table = found
    return count, dict(totals), table


def _sample_table(sample_round, page: list[dict]):
    table = DRAFT_SAMPLE_TABLE if sample_round.is_draft else SAMPLE_TABLE
    title = _("Reviews in the sample")
    rows = selectors.sample_rows(sample_round, page)
    return table.render(rows, caption=title, scroll_label=title)


# Every query reads one round by its key: one plan suits all (sfoqa.prepared).
@generic_plans()
def sample_round_detail(request, pk, add_form=None):
    sample_round = permissions.get_sample_round_for_user(request.user, pk)
    strata_count, totals, strata_table = _strata_section(sample_round)
    page = keyset_page(
        Listing(SampleEntry, selectors.round_sample, {"round_id": sample_round.pk}),
        keys=selectors.SAMPLE_KEYS,
        params=request.GET,
        query=query_without_cursor(request.GET),
    )
    add_action = reverse("reviews:sample_round_add", kwargs={"pk": pk})
    add_form_html = None
    if add_form is not None:  # sent back with its errors
        add_form.helper.form_action = add_action
    elif sample_round.is_draft:  # the same empty form every time: rendered once
        add_form_html = blank_form(
            AddToSampleForm, action=add_action, token=get_token(request)
        )
    context = {
        "round": sample_round,
        "round_discarded": sample_round.status == SampleRound.Status.DISCARDED,
        "strata_count": strata_count,
        "strata_table": strata_table,
        "totals": totals,
        "page": page,
        "selected": page.object_list,
        "table": _sample_table(sample_round, page.object_list),
        "changes": selectors.round_changes(sample_round),
        "add_form": add_form,
        "add_form_html": add_form_html,
        "page_title": _("Sample round"),
    }
    return render(request, "reviews/sample_round_detail.html", context)


def sample_round_add(request, pk):
    sample_round = permissions.get_sample_round_for_user(request.user, pk, write=True)
    form = AddToSampleForm(data=request.POST)
    if form.is_valid():
        review = Review.objects.filter(
            hmpps_reference=form.cleaned_data["reference"]
        ).first()
        try:
            services.sample_entry_add(
                by=request.user,
                sample_round=sample_round,
                review_id=review.pk if review else 0,
                reason=form.cleaned_data["reason"],
                request=request,
            )
        except ValidationError as error:
            form.add_error("reference", error)
        else:
            messages.success(request, _("Review added to the sample"))
            return redirect("reviews:sample_round", pk=pk)
    return sample_round_detail(request, pk, add_form=form)


def sample_round_remove(request, pk):
    sample_round = permissions.get_sample_round_for_user(request.user, pk, write=True)
    entry = get_object_or_404(
        selectors.round_entries(sample_round),
        review_id=int_param(request.POST or request.GET, "review", default=0),
    )
    form = RemoveFromSampleForm(
        data=request.POST or None, initial={"review": entry.review_id}
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.sample_entry_remove(
                by=request.user,
                sample_round=sample_round,
                review_id=entry.review_id,
                reason=form.cleaned_data["reason"],
                request=request,
            )
        except ValidationError as error:
            form.add_error("reason", error)
        else:
            messages.success(request, _("Review removed from the sample"))
            return redirect("reviews:sample_round", pk=pk)
    context = {
        "form": form,
        "round": sample_round,
        "entry": entry,
        "page_title": _("Remove a review from the sample"),
    }
    return render(request, "reviews/sample_round_remove.html", context)


def sample_round_confirm(request, pk):
    sample_round = permissions.get_sample_round_for_user(request.user, pk, write=True)
    form = SampleRoundConfirmForm(
        data=request.POST if request.method == "POST" else None
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.sample_round_confirm(
                by=request.user, sample_round=sample_round, request=request
            )
        except ValidationError as error:
            messages.error(request, error.messages[0])
        else:
            messages.success(request, _("Sample confirmed"))
        return redirect("reviews:sample_round", pk=pk)
    strata = selectors.strata_values(sample_round)
    context = {
        "form": form,
        "round": sample_round,
        "totals": selectors.strata_totals(strata),
        "page_title": _("Are you sure you want to confirm this sample?"),
    }
    return render(request, "reviews/sample_round_confirm.html", context)


def sample_round_discard(request, pk):
    sample_round = permissions.get_sample_round_for_user(request.user, pk, write=True)
    form = SampleRoundDiscardForm(
        data=request.POST if request.method == "POST" else None
    )
    if request.method == "POST" and form.is_valid():
        services.sample_round_discard(
            by=request.user, sample_round=sample_round, request=request
        )
        messages.success(request, _("Draft discarded"))
        return redirect("reviews:sample_round", pk=pk)
    context = {
        "form": form,
        "round": sample_round,
        "page_title": _("Are you sure you want to discard this draft?"),
    }
    return render(request, "reviews/sample_round_discard.html", context)


STRATA_COLUMNS = [
    "Region",
    "Offence category",
    "Population",
    "Drawn at random",
    "Final sample",
    "Percentage",
]


def sample_round_export(request, pk):
    sample_round = permissions.get_sample_round_for_user(request.user, pk)
    strata = list(selectors.round_strata(sample_round))
    rows = [
        [
            s.region.name,
            s.offence_category.name,
            s.population,
            s.allocated,
            s.selected,
            s.percent,
        ]
        for s in strata
    ]
    audit_record(
        action=Action.SAMPLE_ROUND_EXPORTED,
        request=request,
        target=sample_round,
        details={"rows": len(rows)},
    )
    return csv_response(
        f"sample-round-{sample_round.pk}-seed-{sample_round.seed}.csv",
        Table(STRATA_COLUMNS, rows),
    )


# Allocation and conflicts of interest.


def allocation_list(request):
    context = {
        "waiting": selectors.reviews_awaiting_allocation(),
        "inspectors": selectors.inspectors_with_workload(),
        "allocations": selectors.open_allocations(),
        "page_title": _("Allocate reviews"),
    }
    return render(request, "reviews/allocation_list.html", context)


def review_allocate(request, pk):
    review = permissions.get_review_for_user(request.user, pk)
    context = {"review": review, "page_title": _("Allocate a review")}
    # Say so before the form, not after the lead has filled it in.
    if refusal := services.allocation_refusal(review):
        context["refusal"] = refusal
        return render(request, "reviews/review_allocate.html", context, status=409)
    form = AllocationForm(
        data=request.POST or None, inspectors=selectors.inspectors_with_workload()
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.review_allocate(
                by=request.user, review=review, request=request, **form.cleaned_data
            )
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(
                request,
                _("%(reference)s allocated to %(name)s")
                % {
                    "reference": review.hmpps_reference,
                    "name": form.cleaned_data["inspector"].full_name,
                },
            )
            return redirect("reviews:allocation_list")
    context["form"] = form
    return render(request, "reviews/review_allocate.html", context)


def conflict_declare(request, pk):
    allocation = permissions.get_allocation_for_user(request.user, pk)
    form = ConflictForm(data=request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.allocation_declare_conflict(
                by=request.user,
                allocation=allocation,
                request=request,
                **form.cleaned_data,
            )
        except ValidationError as error:
            apply_errors(form, error)
        else:
            if form.cleaned_data["has_conflict"]:
                messages.success(
                    request,
                    _("Conflict recorded: the review has gone back to the lead"),
                )
                return redirect("reviews:list")
            messages.success(
                request, _("Declaration recorded: the documents are open to you")
            )
            return redirect("reviews:detail", pk=pk)
    context = {
        "form": form,
        "review": allocation.review,
        "page_title": _("Declare any conflict of interest"),
    }
    return render(request, "reviews/review_subform.html", context)

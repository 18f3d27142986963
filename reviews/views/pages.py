"""The review list, its export, one review and its documents."""

from contextlib import nullcontext

from django.http import Http404
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.clickjacking import xframe_options_sameorigin

from accounts.audit import Action, audit_record
from reviews import permissions, selectors
from reviews.forms import (
    ReviewFilterForm,
)
from reviews.tables import REVIEW_TABLE
from reviews.views.filters import review_filters
from sfoqa.exports import Table, csv_response
from sfoqa.keyset import Listing, keyset_page, query_without_cursor
from sfoqa.prepared import generic_plans
from sfoqa.uploads import document_response, inline_pdf_response

# The list, its export and one review.


def _filter_form(request) -> ReviewFilterForm:
    hmpps_view = not permissions.can_see_qa_work(request.user)
    return ReviewFilterForm(data=request.GET or None, hmpps_view=hmpps_view)


# Filters that keep a list newest first in an index's order: a year's
# reviews in `review_received_idx`, a region's (by year or not) in
# `review_region_received_idx`.
IN_INDEX_ORDER = {"region", "received_from", "received_to"}


def _one_plan_suits(listing, filters: dict) -> bool:
    """Whether the list's query is read in an index's order whatever its
    values and cursor, so that one plan suits every page (sfoqa.prepared):
    every review, in any sort; a region's or a year's, newest first. Other
    filters' and scopes' rows vary too much with their values to share one
    plan."""
    if not isinstance(listing, Listing):
        return False
    newest = (filters.get("sort") or "newest") == "newest"
    return not listing.inputs or (newest and set(listing.inputs) <= IN_INDEX_ORDER)


def review_list(request):
    hmpps_view = not permissions.can_see_qa_work(request.user)
    state = review_filters(request, hmpps_view=hmpps_view)
    filters = state.filters
    query = query_without_cursor(request.GET)
    listing = selectors.review_listing(user=request.user, filters=filters)
    with generic_plans() if _one_plan_suits(listing, filters) else nullcontext():
        page = keyset_page(
            listing,
            keys=selectors.SORTS[filters.get("sort") or "newest"],
            params=request.GET,
            query=query,
        )
    builder = selectors.ReviewRows(hmpps_view=hmpps_view, lists=state.lists)
    rows = [builder.row(values) for values in page.object_list]
    caption = _("SFO reviews, page %(number)s") % {"number": page.number}
    context = {
        "form": state.form,
        "filter_panel": state.panel,
        "page": page,
        "rows": rows,
        # In a box that scrolls on its own where the filter leaves it narrow.
        "table": REVIEW_TABLE.render(
            rows, caption=caption, scroll_label=_("SFO reviews")
        ),
        "query": query,
        "hmpps_view": hmpps_view,
        "page_title": _("SFO reviews"),
    }
    return render(request, "reviews/review_list.html", context)


EXPORT_COLUMNS = [
    "HMPPS reference",
    "CRN (masked)",
    "Region",
    "PDU",
    "Offence category",
    "Status",
    "Received",
    "Submitted",
    "Original target",
    "Target after extensions",
    "Days late",
]


def review_export(request):
    form = _filter_form(request)
    filters = form.filters()
    reviews = selectors.review_list(user=request.user, **filters).select_related(
        "delivery_unit"
    )
    rows = [
        [
            r.hmpps_reference,
            r.masked_crn,
            r.region.name,
            r.delivery_unit.name,
            r.offence_category.name,
            r.hmpps_status if form.hmpps_view else r.get_status_display(),
            r.received_on,
            r.submitted_date,
            r.target_date,
            r.due_date,
            r.days_late,
        ]
        for r in reviews.iterator(chunk_size=2000)
    ]
    audit_record(
        action=Action.REVIEWS_EXPORTED,
        request=request,
        details={
            "filters": sorted(k for k, v in filters.items() if v and k != "sort"),
            "rows": len(rows),
        },
    )
    stamp = timezone.localdate().isoformat()
    return csv_response(f"sfo-reviews-{stamp}.csv", Table(EXPORT_COLUMNS, rows))


def review_detail(request, pk):
    review = permissions.get_review_for_user(
        request.user, pk, reviews=selectors.review_detail(user=request.user, pk=pk)
    )
    case_open = permissions.can_open_case_details(request.user, review)
    qa_work = permissions.can_see_qa_work(request.user)
    audit_record(
        action=Action.REVIEW_VIEWED,
        request=request,
        target=review,
        details={"crn_shown": case_open},
    )
    context = {
        "review": review,
        "case_open": case_open,
        "qa_work": qa_work,
        "hmpps_view": not qa_work,
        "is_sender": permissions.is_sender(request.user, review),
        "allocation": permissions.current_allocation(review),
        "versions": selectors.document_versions(review),
        "events": selectors.review_timeline(review=review, qa_work=qa_work),
        "page_title": review.hmpps_reference,
    }
    return render(request, "reviews/review_detail.html", context)


def document_download(request, pk):
    document = permissions.get_document_for_user(request.user, pk)
    audit_record(
        action=Action.DOCUMENT_DOWNLOADED,
        request=request,
        target=document,
        details={"review": document.review_id, "version": document.number},
    )
    return document_response(
        storage_name=document.storage_name,
        download_name=document.display_name,
        content_type=document.content_type,
    )


@xframe_options_sameorigin
def document_inline(request, pk):
    """
    The review document for the viewer beside the rating forms: the same
    check and audit as a download, shown inline, framed by our pages only.
    """
    document = permissions.get_document_for_user(request.user, pk)
    if document.kind != "pdf":
        raise Http404  # a Word document is downloaded, never shown inline
    audit_record(
        action=Action.DOCUMENT_READ,
        request=request,
        target=document,
        details={"review": document.review_id, "version": document.number},
    )
    return inline_pdf_response(
        storage_name=document.storage_name, download_name=document.display_name
    )

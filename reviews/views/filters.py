"""
The review list's filter panel (the filters in use, then the form) and the
filters it stands for, worked out once per distinct state and process.

Building the form, checking it and rendering it through crispy-forms-gds is
most of the list page's work, yet all of it depends only on the query's
filter values (not the page's cursor), whose view it is, the language, the
reporting years offered and the region and offence lists. Those make the key
of a small in-process memo: nothing to fail or go stale (a change to a list
changes the key). Only states whose form is valid are kept; one with errors
is checked afresh and its form comes back for the error summary.
"""

from dataclasses import dataclass

from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.safestring import SafeString
from django.utils.translation import get_language

from reviews.forms import ReviewFilterForm
from reviews.selectors import ReferenceLists, reference_lists, reporting_years
from sfoqa.keyset import CURSOR_PARAMETERS
from sfoqa.memo import Memo

TEMPLATE = "includes/filter_panel.html"
# Each state's filters and panel: (dict, SafeString).
_panels = Memo(size=256)


@dataclass(frozen=True)
class ReviewFilters:
    """What the list needs from its query's filters."""

    filters: dict  # review_list's keyword arguments; {} while the form is bad
    panel: SafeString  # the MoJ filter panel's markup
    lists: ReferenceLists  # the region and offence lists, read this request
    form: ReviewFilterForm | None  # only when it has errors to summarise


def _copy(filters: dict) -> dict:
    return {k: list(v) if isinstance(v, list) else v for k, v in filters.items()}


def review_filters(request, *, hmpps_view: bool) -> ReviewFilters:
    """The filters of the list's query, and its filter panel."""
    query = request.GET
    lists = reference_lists()
    shown = tuple(
        (name, tuple(values))
        for name, values in query.lists()
        if name not in CURSOR_PARAMETERS
    )
    key = (get_language(), hmpps_view, bool(query), shown, lists, *reporting_years())
    found = _panels.get(key)
    if found is not None:
        filters, panel = found
        return ReviewFilters(_copy(filters), panel, lists, form=None)
    form = ReviewFilterForm(data=query or None, hmpps_view=hmpps_view, lists=lists)
    filters = form.filters()
    panel = render_to_string(
        TEMPLATE,
        {"form": form, "request": request, "clear_url": reverse("reviews:list")},
    )
    if form.is_bound and form.errors:  # rare, and the errors are in the markup
        return ReviewFilters(filters, panel, lists, form=form)
    _panels.put(key, (_copy(filters), panel))
    return ReviewFilters(filters, panel, lists, form=None)

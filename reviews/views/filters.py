"""
The review list's filter form, rendered once per distinct state and process.

Rendering the form through crispy-forms-gds is most of the list page's work,
yet its markup depends only on the values it shows, whose view it is, the
language and the region and offence lists. Those make the key of a small
in-process memo: nothing to fail or go stale (a change to either list
changes the key). The lists are the form's own, read once a request.
"""

from collections import OrderedDict
from threading import Lock

from django.template.loader import render_to_string
from django.utils.safestring import SafeString
from django.utils.translation import get_language

from reviews.forms import ReviewFilterForm

TEMPLATE = "reviews/includes/review_filter.html"
SIZE = 256

_rendered: OrderedDict[tuple, SafeString] = OrderedDict()
_lock = Lock()


def _key(form: ReviewFilterForm) -> tuple:
    shown = tuple((name, str(form[name].value())) for name in form.fields)
    return (get_language(), form.hmpps_view, form.is_bound, shown, form.lists)


def filter_form_html(form: ReviewFilterForm) -> SafeString:
    """The form's markup, from the memo when the same state was rendered."""
    if form.is_bound and form.errors:  # rare, and the errors are in the markup
        return render_to_string(TEMPLATE, {"form": form})
    key = _key(form)
    with _lock:
        html = _rendered.get(key)
        if html is not None:
            _rendered.move_to_end(key)
            return html
    html = render_to_string(TEMPLATE, {"form": form})
    with _lock:
        _rendered[key] = html
        while len(_rendered) > SIZE:
            _rendered.popitem(last=False)
    return html

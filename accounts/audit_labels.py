"""
What an audit event is about, and its details, as a person says them:
"Review DEMO-2025-0015" rather than "reviews.review 15". The objects named on
one page are fetched with one query per kind, whatever their number.
"""

from collections import defaultdict
from datetime import date

from django.apps import apps
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from sfoqa.dates import format_date
from sfoqa.wording import number_text

# The attribute people know an object by, in order of preference.
NAMES = ("hmpps_reference", "reference", "title", "email", "name")
# Kinds of event subject that are not one row of a model.
KINDS = {"reviews.bulk": gettext_lazy("A bulk upload of reviews")}


def _model(object_type: str):
    try:
        return apps.get_model(object_type)
    except (LookupError, ValueError):
        return None


def _name_of(obj) -> str:
    for attr in NAMES:
        if value := getattr(obj, attr, ""):
            return str(value)
    review = getattr(obj, "review", None)
    if review is not None:
        return _("for review %(reference)s") % {"reference": review.hmpps_reference}
    start, end = getattr(obj, "period_start", None), getattr(obj, "period_end", None)
    if isinstance(start, date) and isinstance(end, date):
        return _("%(start)s to %(end)s") % {
            "start": format_date(start),
            "end": format_date(end),
        }
    return str(obj.pk)


def _page_label(view_name: str) -> str:
    from accounts.context_processors import NAVIGATION

    sections = {name: label for label, name in NAVIGATION}
    if view_name in sections:
        return _("The %(page)s page") % {"page": sections[view_name]}
    app, _sep, page = view_name.rpartition(":")
    words = page.replace("_", " ")
    if app:
        return _("A %(app)s page: %(page)s") % {"app": app, "page": words}
    return _("The %(page)s page") % {"page": words}


def object_labels(events) -> dict[tuple[str, str], str]:
    """{(object type, object id): what a person would call it} for the events."""
    wanted = defaultdict(set)
    for event in events:
        if event.object_type and event.object_id:
            wanted[event.object_type].add(event.object_id)
    labels = {}
    for object_type, ids in wanted.items():
        if object_type == "url":
            labels |= {(object_type, i): _page_label(i) for i in ids}
            continue
        model = _model(object_type)
        if model is None:
            continue
        kind = capfirst(str(model._meta.verbose_name))
        related = [f.name for f in model._meta.fields if f.name == "review"]
        found = list(model._default_manager.filter(pk__in=ids).select_related(*related))
        for obj in found:
            labels[(object_type, str(obj.pk))] = f"{kind} {_name_of(obj)}"
        for missing in ids - {str(obj.pk) for obj in found}:
            labels[(object_type, missing)] = _("%(kind)s %(id)s (deleted)") % {
                "kind": kind,
                "id": missing,
            }
    return labels


def about(event, labels: dict) -> str:
    """The label of what one event is about, or "" when it is about nothing."""
    if not event.object_type:
        return ""
    key = (event.object_type, event.object_id)
    if key in labels:
        return labels[key]
    if event.object_type in KINDS:
        return str(KINDS[event.object_type])
    return f"{event.object_type} {event.object_id}".strip()


def with_labels(events) -> list:
    """The events, each with `about_label` set (one query per kind of object)."""
    events = list(events)
    labels = object_labels(events)
    for event in events:
        event.about_label = about(event, labels)
    return events


def _value_text(value) -> str:
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    if isinstance(value, int):
        return number_text(value)
    if isinstance(value, list | tuple):
        return ", ".join(_value_text(item) for item in value) or _("none")
    if isinstance(value, dict):
        return details_text(value)
    return str(value)


def details_text(details: dict) -> str:
    """Structured details as plain words: "Method: POST; Rows: 1,200"."""
    # In key order: PostgreSQL's jsonb keeps no order of its own.
    parts = [
        f"{capfirst(str(key).replace('_', ' '))}: {_value_text(value)}"
        for key, value in sorted((details or {}).items())
    ]
    return "; ".join(parts)

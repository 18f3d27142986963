"""Field names and values of an assessment's versions, as a person says them."""

from datetime import datetime

from django.core.exceptions import FieldDoesNotExist
from django.db import models
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from sfoqa.dates import format_date, format_date_time

# Where a field's own name reads badly out of context, the page says this.
FIELD_LABELS = {
    "overall_rating": _("Overall rating"),
    "overall_suggested": _("Overall rating suggested by the policy"),
    "overall_reason": _("Overall rating reason"),
    "departure_reason": _("Reason for differing from the suggestion"),
    "document": _("Version of the review rated"),
    "submitted_at": _("Submitted"),
    "signed_off_by": _("Signed off by"),
    "signed_off_at": _("Signed off"),
    "published_at": _("Published"),
    "improvements": _("Areas for improvement"),
}


def _field(model, name: str):
    try:
        return model._meta.get_field(name)
    except FieldDoesNotExist:
        return None


def field_label(model, name: str) -> str:
    """ "overall_reason" as "Overall rating reason"."""
    if name in FIELD_LABELS:
        return str(FIELD_LABELS[name])
    field = _field(model, name)
    verbose = getattr(field, "verbose_name", "") or name.replace("_", " ")
    return capfirst(str(verbose))


def value_text(model, name: str, value) -> str:
    """A stored value as the page shows it: a choice's label, a person's name."""
    if value is None or value == "":
        return ""
    field = _field(model, name)
    if field is not None and field.choices:
        return str(dict(field.flatchoices).get(value, value))
    if isinstance(field, models.ForeignKey):
        related = field.related_model._default_manager.filter(pk=value).first()
        name_of = getattr(related, "full_name", None)
        return str(name_of or related or value)
    if isinstance(value, datetime):
        return format_date_time(value)
    if isinstance(field, models.DateField):
        return format_date(value)
    return str(value)

"""Figures of benchmarking statistics as the pages and the report show them."""

from django import template
from django.utils.translation import gettext as _

register = template.Library()


@register.filter
def percent(value) -> str:
    """0.5 -> "50%"; None -> "Not defined"."""
    if value is None:
        return _("Not defined")
    return f"{round(value * 100)}%"


@register.filter
def figure(value, places: int = 2) -> str:
    """A statistic to `places` decimals; None -> "Not defined"."""
    if value is None:
        return _("Not defined")
    return f"{value:.{int(places)}f}"

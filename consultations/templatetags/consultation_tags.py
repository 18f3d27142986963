from django import template

from consultations import markdown
from sfoqa.dates import format_date, format_date_time

register = template.Library()


@register.filter
def govuk_markdown(text):
    """Markdown written by staff, sanitised (see consultations.markdown)."""
    return markdown.render(text)


@register.filter
def uk_date(moment):
    """A date in UK time: "5 March 2021"."""
    return format_date(moment)


@register.filter
def uk_date_time(moment):
    """A moment in UK time: "8:37pm on 5 March 2021"."""
    return format_date_time(moment)

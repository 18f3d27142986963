from datetime import datetime
from zoneinfo import ZoneInfo

from django import template
from django.utils import dateformat
from django.utils.translation import gettext as _

from consultations import markdown

register = template.Library()
LONDON = ZoneInfo("Europe/London")


@register.filter
def govuk_markdown(text):
    """Markdown written by staff, sanitised (see consultations.markdown)."""
    return markdown.render(text)


def govuk_time(moment: datetime) -> str:
    """A UK time in GOV.UK style: "12am", "9:30am", "11:59pm", "12pm"."""
    local = moment.astimezone(LONDON)
    hour = local.hour % 12 or 12
    suffix = "am" if local.hour < 12 else "pm"
    minutes = f":{local.minute:02d}" if local.minute else ""
    return f"{hour}{minutes}{suffix}"


def govuk_date(moment: datetime) -> str:
    return dateformat.format(moment.astimezone(LONDON), "j F Y")


@register.filter
def uk_date(moment):
    """A date in UK time: "5 March 2021"."""
    return govuk_date(moment) if moment else ""


@register.filter
def uk_date_time(moment):
    """A date and time in UK time: "5 March 2021 at 12am"."""
    if not moment:
        return ""
    return _("%(date)s at %(time)s") % {
        "date": govuk_date(moment),
        "time": govuk_time(moment),
    }

"""GOV.UK style for dates, times, numbers and file sizes, in every template.

Loaded as a template builtin (see TEMPLATES in settings), so no page needs
`{% load %}` to show a date the one way the service shows dates.
"""

from django import forms, template

from sfoqa import dates, fragments, wording
from sfoqa.pagination import pagination

register = template.Library()


@register.filter
def uk_date(value):
    """A date in UK time: "5 March 2021"."""
    return dates.format_date(value)


@register.filter
def uk_short_date(value):
    """A date for narrow columns: "5 Mar 2021"."""
    return dates.format_short_date(value)


@register.filter
def uk_time(value):
    """A time in UK time: "8:37pm", "midday", "midnight (00:00)"."""
    return dates.format_time(value)


@register.filter
def uk_date_time(value, arg=""):
    """A moment in UK time: "8:37pm on 5 March 2021"; with "weekday", the day too."""
    return dates.format_date_time(value, weekday=arg == "weekday")


@register.filter
def number(value):
    """A whole number with thousands separated by commas: "10,000"."""
    return wording.number_text(value)


@register.filter
def file_size(size):
    """A file size: "261 KB"."""
    return wording.size_text(size)


@register.filter
def file_description(kind, size=None):
    """A file's type and size, as GOV.UK attachments show them: "PDF, 261 KB"."""
    return wording.file_description(kind, size)


def _anchor(bound_field) -> str:
    """The id of the input an error summary link should land on."""
    widget = bound_field.field.widget
    if isinstance(widget, forms.RadioSelect | forms.CheckboxSelectMultiple):
        # crispy-forms-gds numbers the options from 1, by the field's name.
        return f"id_{bound_field.html_name}_1"
    if isinstance(widget, forms.MultiWidget):
        parts = getattr(bound_field.field, "fields", ())
        wrong = [
            i for i, part in enumerate(parts) if getattr(part.widget, "errors", [])
        ]
        return f"{bound_field.auto_id}_{wrong[0] if wrong else 0}"
    return bound_field.id_for_label or bound_field.auto_id


@register.filter
def error_links(form):
    """(anchor, message) for each error of a form, in the order of its fields."""
    fields = list(form.visible_fields())
    links = []
    if fields:
        links += [(_anchor(fields[0]), error) for error in form.non_field_errors()]
    for field in fields:
        for error in dict.fromkeys(field.errors):
            links.append((_anchor(field), error))
    return links


@register.filter
def selected_filters(form, query):
    """The filters a list form has in use, as MoJ filter tags (see the form)."""
    return form.selected_filters(query) if hasattr(form, "selected_filters") else []


@register.simple_tag(takes_context=True)
def header(context):
    """The header: the service's name and, for a person signed in, their name
    and the sign-out button (with this page's token); rendered once a process
    for each name (sfoqa.fragments). A page served with no person at all (an
    error before authentication) has neither sign-in nor sign-out."""
    user = context.get("user")
    signed_in = user is not None and user.is_authenticated
    return fragments.shown(
        "includes/header.html",
        token=str(context.get("csrf_token") or ""),
        account=user is not None,
        signed_in=signed_in,
        full_name=user.full_name if signed_in else "",
    )


@register.simple_tag
def keyset_pagination(page, pages_label=None):
    """A keyset page's "Previous" and "Next" links (sfoqa.pagination);
    `pages_label` names the pages where a screen has several lists."""
    return pagination(page, pages_label)


@register.simple_tag
def shown(name, token=None, **values):
    """A template that shows only the values given (a role's counts),
    rendered once a process for each set of values (sfoqa.fragments); with
    `token=csrf_token`, its forms carry the page's CSRF token."""
    if token is not None:
        token = str(token)  # the context's lazy token, masked once a page
    return fragments.shown(name, token=token, **values)


@register.simple_tag
def asset(path):
    """A static file's address, as {% static %} gives it, worked out once a
    process for each file (sfoqa.fragments)."""
    return fragments.asset_url(path)


@register.simple_tag(takes_context=True)
def fixed(context, name):
    """A template that is the same for every person (the footer, the phase
    banner), rendered once a process rather than once a page."""
    # The page's own token (masked once a page, as {% csrf_token %} uses it).
    return fragments.fixed_fragment(name, str(context.get("csrf_token") or ""))

from django.shortcuts import render
from django.utils.translation import gettext as _


def form_page(request, form, *, title, panel=None, back_url=None, intro="", status=200):
    """A page that is one form, with the panel as its caption."""
    context = {
        "form": form,
        "panel": panel,
        "back_url": back_url,
        "intro": intro,
        "page_title": title,
    }
    return render(request, "panels/form_page.html", context, status=status)


def first_error(form, field, error) -> None:
    """Put a service's ValidationError on the form: on its field, if it names one."""
    if hasattr(error, "error_dict"):
        for name, messages in error.message_dict.items():
            form.add_error(name if name in form.fields else None, messages[0])
    else:
        form.add_error(field, error.messages[0] if error.messages else _("Try again"))

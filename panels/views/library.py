"""The learning library and the themes people follow."""

from hashlib import sha256
from secrets import token_hex
from threading import Lock

from django.contrib import messages
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from panels import selectors, services
from panels.forms import LibraryForm, SubscriptionForm
from panels.models import ThemeSubscription

FORM_TEMPLATE = "panels/includes/library_form.html"
# Rendered forms kept, newest last: one per combination of filters in use.
FORM_MEMO_SIZE = 256
_forms: dict[str, SafeString] = {}
_forms_lock = Lock()
# Stands for the search text in a remembered form; this process's own.
_TEXT = f"librarytext{token_hex(8)}"


def _form_html(form: LibraryForm, *, choices, years) -> SafeString:
    """
    The form's markup. Rendering it through crispy-forms-gds costs more than
    the rest of the page, yet it depends only on the filters in use, the
    theme, agency and year lists and the language, never on the rows: so it
    is rendered once per combination of those (the search text put in
    afterwards, escaped) and remembered in this process. Nothing to go stale
    (a changed list is another key) or to fail.
    """
    if form.is_bound and form.errors:  # rare, and the errors are in the markup
        return render_to_string(FORM_TEMPLATE, {"form": form})
    text = form["q"].value() or ""
    shown = [(name, str(form[name].value())) for name in form.fields if name != "q"]
    state = repr((get_language(), form.is_bound, bool(text), shown, choices, years))
    key = sha256(state.encode()).hexdigest()
    with _forms_lock:
        html = _forms.pop(key, None)
        if html is not None:
            _forms[key] = html
    if html is None:
        if text:
            data = form.data.copy()
            data["q"] = _TEXT
            form = LibraryForm(
                data, years=years, themes=choices[0], agencies=choices[1]
            )
        html = render_to_string(FORM_TEMPLATE, {"form": form})
        with _forms_lock:
            _forms[key] = html
            while len(_forms) > FORM_MEMO_SIZE:
                del _forms[next(iter(_forms))]
    # The search text as the form would show it, escaped.
    if not text:
        return html
    return mark_safe(html.replace(_TEXT, escape(text)))  # noqa: S308


def library(request):
    choices = selectors.library_choices()
    years = selectors.library_years()
    form = LibraryForm(
        request.GET or None, years=years, themes=choices[0], agencies=choices[1]
    )
    context = {
        "form": form,
        "form_html": _form_html(form, choices=choices, years=years),
        "page_title": _("Learning library"),
    }
    if form.is_bound and not form.is_valid():
        # Results for filters the user did not ask for would mislead.
        return render(request, "panels/library.html", context)
    data = form.cleaned_data if form.is_bound else {}
    items = selectors.library(
        user=request.user,
        text=(data.get("q") or "").strip(),
        themes=list(data.get("theme") or ()),
        agency=data.get("agency"),
        level=data.get("level") or "",
        year=data.get("year"),
    )
    query = request.GET.copy()
    query.pop("page", None)
    context["page"] = selectors.library_page(
        items, page=request.GET.get("page"), query=query
    )
    return render(request, "panels/library.html", context)


def subscriptions(request):
    followed = ThemeSubscription.objects.filter(user=request.user).values_list(
        "theme_id", flat=True
    )
    form = SubscriptionForm(request.POST or None, initial={"themes": list(followed)})
    if request.method == "POST" and form.is_valid():
        services.theme_subscriptions_set(
            user=request.user, themes=form.cleaned_data["themes"]
        )
        messages.success(request, _("The themes you follow have been saved"))
        return redirect("learning:library")
    context = {
        "form": form,
        "page_title": _("Themes you follow"),
        "back_url": reverse("learning:library"),
    }
    return render(request, "panels/form_page.html", context)

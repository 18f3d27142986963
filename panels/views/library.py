"""The learning library and the themes people follow."""

from django.contrib import messages
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from panels import selectors, services
from panels.forms import LibraryForm, SubscriptionForm
from panels.models import ThemeSubscription

PAGE_SIZE = 20


def library(request):
    form = LibraryForm(request.GET or None, years=selectors.library_years())
    data = form.cleaned_data if form.is_valid() else {}
    items = selectors.library(
        user=request.user,
        text=(data.get("q") or "").strip(),
        themes=list(data.get("theme") or ()),
        agency=data.get("agency"),
        level=data.get("level") or "",
        year=data.get("year"),
    )
    page = Paginator(items, PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    context = {
        "form": form,
        "page": page,
        "query": query.urlencode(),
        "page_title": _("Learning library"),
    }
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

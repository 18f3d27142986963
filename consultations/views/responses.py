"""Staff pages: responses, themes and exports."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.audit import Action, audit_record
from consultations import exports, selectors, services
from consultations.forms import (
    RecordResponseForm,
    ResponseFilterForm,
    ResponseThemesForm,
    ThemeChangeForm,
    ThemeForm,
)
from consultations.permissions import (
    can_change_consultations,
    get_consultation_for_user,
    get_response_for_user,
    get_theme_for_user,
)
from consultations.taxonomy import taxonomy_choices
from consultations.views.public import answer_rows
from sfoqa.exports import csv_response, xlsx_response

# Staff pages: responses.


def _filtered_responses(request, consultation):
    audiences = list(consultation.audiences.all())
    themes = list(consultation.themes.all())
    form = ResponseFilterForm(
        data=request.GET or None, audiences=audiences, themes=themes
    )
    filters = form.filters()
    responses = selectors.responses_for_staff(consultation=consultation, **filters)
    return form, filters, responses


def response_list(request, pk):
    consultation = get_consultation_for_user(request.user, pk)
    form, _filters, responses = _filtered_responses(request, consultation)
    page = Paginator(responses, 50).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    context = {
        "consultation": consultation,
        "form": form,
        "page": page,
        "query": query.urlencode(),
        "can_change": can_change_consultations(request.user),
        "page_title": _("Responses"),
    }
    return render(request, "consultations/response_list.html", context)


def _export(request, pk, file_format):
    consultation = get_consultation_for_user(request.user, pk)
    _form, filters, responses = _filtered_responses(request, consultation)
    questions = selectors.questions_for(consultation)
    table = exports.response_table(questions=questions, responses=responses)
    audit_record(
        action=Action.CONSULTATION_RESPONSES_EXPORTED,
        request=request,
        target=consultation,
        details={
            "format": file_format,
            "filters": sorted(k for k, v in filters.items() if v),
            "rows": len(table.rows),
        },
    )
    stamp = timezone.now().strftime("%Y-%m-%d")
    filename = f"responses-{consultation.slug[:60]}-{stamp}"
    if file_format == "xlsx":
        return xlsx_response(f"{filename}.xlsx", {"Responses": table})
    return csv_response(f"{filename}.csv", table)


def response_export_csv(request, pk):
    return _export(request, pk, "csv")


def response_export_xlsx(request, pk):
    return _export(request, pk, "xlsx")


def response_record(request, pk):
    consultation = get_consultation_for_user(request.user, pk, write=True)
    form = RecordResponseForm(
        data=request.POST or None,
        audiences=list(consultation.audiences.all()),
        themes=list(consultation.themes.all()),
        consultation=consultation,
    )
    if request.method == "POST" and form.is_valid():
        response = services.response_record(
            by=request.user,
            consultation=consultation,
            request=request,
            **form.service_fields(),
        )
        messages.success(
            request,
            _("Response recorded with reference %(reference)s")
            % {"reference": response.reference},
        )
        return redirect("consultations:response_list", pk=consultation.pk)
    context = {
        "form": form,
        "consultation": consultation,
        "page_title": _("Record a response sent by email or post"),
    }
    return render(request, "consultations/response_record.html", context)


def response_detail(request, pk):
    response = get_response_for_user(request.user, pk)
    consultation = response.consultation
    themes = list(consultation.themes.all())
    form = ResponseThemesForm(
        data=request.POST or None,
        themes=themes,
        initial={"themes": [str(t.pk) for t in response.themes.all()]},
    )
    if request.method == "POST":
        get_response_for_user(request.user, pk, write=True)
        if form.is_valid():
            services.response_set_themes(
                by=request.user,
                response=response,
                themes=form.chosen(),
                request=request,
            )
            messages.success(request, _("Themes saved"))
            return redirect("consultations:response_detail", pk=response.pk)
    context = {
        "response": response,
        "consultation": consultation,
        "rows": answer_rows(consultation, {"answers": response.answers}),
        "form": form if themes else None,
        "can_change": can_change_consultations(request.user),
        "page_title": _("Response %(reference)s") % {"reference": response.reference},
    }
    return render(request, "consultations/response_detail.html", context)


def response_accept(request, pk):
    response = get_response_for_user(request.user, pk, write=True)
    services.response_accept(by=request.user, response=response, request=request)
    messages.success(request, _("Response accepted: it now counts"))
    return redirect("consultations:response_detail", pk=response.pk)


def _with_shared_names(themes) -> list:
    names = dict(taxonomy_choices())
    themes = list(themes)
    for theme in themes:
        theme.shared_name = names.get(theme.taxonomy_slug, theme.taxonomy_slug)
    return themes


def theme_list(request, pk):
    consultation = get_consultation_for_user(request.user, pk)
    form = ThemeForm(data=request.POST or None)
    if request.method == "POST":
        get_consultation_for_user(request.user, pk, write=True)
        if form.is_valid():
            try:
                services.theme_add(
                    by=request.user,
                    consultation=consultation,
                    name=form.cleaned_data["name"],
                    taxonomy_slug=form.cleaned_data.get("taxonomy_slug", ""),
                    request=request,
                )
            except ValidationError as error:
                form.add_error("name", error)
            else:
                messages.success(request, _("Theme added"))
                return redirect("consultations:theme_list", pk=consultation.pk)
    context = {
        "consultation": consultation,
        "themes": _with_shared_names(selectors.themes_with_counts(consultation)),
        "form": form,
        "can_change": can_change_consultations(request.user),
        "page_title": _("Themes"),
    }
    return render(request, "consultations/theme_list.html", context)


def theme_edit(request, pk):
    theme = get_theme_for_user(request.user, pk, write=True)
    initial = {"name": theme.name, "taxonomy_slug": theme.taxonomy_slug}
    form = ThemeChangeForm(data=request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.theme_change(
                by=request.user,
                theme=theme,
                name=form.cleaned_data["name"],
                taxonomy_slug=form.cleaned_data.get("taxonomy_slug", ""),
                request=request,
            )
        except ValidationError as error:
            form.add_error("name", error)
        else:
            messages.success(
                request,
                _("Theme saved: %(name)s") % {"name": form.cleaned_data["name"]},
            )
            return redirect("consultations:theme_list", pk=theme.consultation_id)
    context = {"theme": theme, "form": form, "page_title": _("Change a theme")}
    return render(request, "consultations/theme_edit.html", context)

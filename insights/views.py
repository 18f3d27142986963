from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from insights import dashboards, exports, reports, selectors, services
from insights import tables as figure_tables
from insights.forms import DashboardFilterForm, YearForm
from insights.models import AnnualReport
from sfoqa.exports import CSV_TYPE, XLSX_TYPE
from sfoqa.uploads import document_response
from sfoqa.uploads.names import content_disposition

Status = AnnualReport.Status


def annual_report(request):
    """Leads: the versions of each year's report, and a form to make one."""
    form = YearForm(
        request.POST or None, initial={"year": selectors.current_year() - 1}
    )
    if request.method == "POST" and form.is_valid():
        try:
            report = services.annual_report_request(
                year=form.cleaned_data["year"], by=request.user, request=request
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            return redirect("insights:annual_report_detail", pk=report.pk)
    context = {
        "form": form,
        "reports": AnnualReport.objects.select_related("job", "requested_by"),
        "page_title": _("Annual report"),
    }
    return render(request, "insights/annual_report.html", context)


def annual_report_detail(request, pk):
    report = get_object_or_404(
        AnnualReport.objects.select_related(
            "job", "requested_by", "approved_by", "published_by"
        ),
        pk=pk,
    )
    context = {
        "report": report,
        "job": report.job,
        "tables": figure_tables.from_json(report.tables),
        "page_title": _("Annual report %(year)s, version %(version)s")
        % {"year": report.year_label, "version": report.version},
    }
    return render(request, "insights/annual_report_detail.html", context)


def _decide(request, pk, service, done: str, already: str):
    report = get_object_or_404(AnnualReport, pk=pk)
    try:
        service(report=report, by=request.user, request=request)
    except services.AlreadyDone:
        messages.info(request, already)
    except PermissionDenied:
        messages.error(request, _("The report cannot do that in its present state"))
    else:
        messages.success(request, done)
    return redirect("insights:annual_report_detail", pk=report.pk)


def annual_report_approve(request, pk):
    return _decide(
        request,
        pk,
        services.annual_report_approve,
        _("Report approved: you can now publish it"),
        _("The report was already approved"),
    )


def annual_report_publish(request, pk):
    return _decide(
        request,
        pk,
        services.annual_report_publish,
        _("Report published on the public publications page"),
        _("The report was already published"),
    )


def _data_pack(report: AnnualReport, fmt: str) -> HttpResponse:
    tables = figure_tables.from_json(report.tables)
    base = f"sfo-qa-annual-report-{report.year}-{report.year + 1}-data"
    if fmt == "xlsx":
        response = HttpResponse(reports.data_pack_xlsx(tables), content_type=XLSX_TYPE)
    else:
        response = HttpResponse(reports.data_pack_csv(tables), content_type=CSV_TYPE)
    response["Content-Disposition"] = content_disposition(f"{base}.{fmt}")
    return response


def annual_report_data(request, pk, fmt):
    report = get_object_or_404(AnnualReport, pk=pk)
    if fmt not in ("xlsx", "csv") or not report.is_made:
        raise Http404
    return _data_pack(report, fmt)


# The public pages: published reports only.


def _published(year: int) -> AnnualReport:
    return get_object_or_404(
        AnnualReport.objects.select_related("job"), year=year, status=Status.PUBLISHED
    )


def publication_list(request):
    context = {
        "reports": AnnualReport.objects.filter(status=Status.PUBLISHED).select_related(
            "job"
        ),
        "page_title": _("Annual reports on the quality of SFO reviews"),
    }
    return render(request, "insights/publication_list.html", context)


def publication_detail(request, year):
    report = _published(year)
    context = {
        "report": report,
        "tables": figure_tables.from_json(report.tables),
        "page_title": _(
            "Quality assurance of Serious Further Offence reviews: "
            "annual report %(year)s"
        )
        % {"year": report.year_label},
    }
    return render(request, "insights/publication_detail.html", context)


def publication_pdf(request, year):
    report = _published(year)
    job = report.job
    return document_response(
        storage_name=job.file, download_name=job.filename, content_type=job.content_type
    )


def publication_data(request, year, fmt):
    if fmt not in ("xlsx", "csv"):
        raise Http404
    return _data_pack(_published(year), fmt)


def dashboard(request):
    """Leads: this year's figures as they stand, by quarter, in a region."""
    form = DashboardFilterForm(request.GET or None)
    region = form.cleaned_data["region"] if form.is_valid() else None
    year = selectors.current_year()
    context = {
        "form": form,
        "region": region,
        "year_label": selectors.year_label(year),
        "tables": dashboards.cached_figures(
            "dashboard",
            year,
            region.pk if region else "all",
            compute=lambda: figure_tables.dashboard_tables(year, region=region),
        ),
        "page_title": _("Quality assurance dashboard"),
    }
    return render(request, "insights/dashboard.html", context)


def _export_forms(user, invalid=None) -> list:
    """Each export open to the user with its form; `invalid` is the export
    and form just sent back with errors."""
    rows = []
    for export in exports.exports_for(user):
        form = invalid[1] if invalid and invalid[0] == export.name else export.form()
        rows.append((export, form, _nothing_to_choose(form)))
    return rows


def _nothing_to_choose(form) -> str:
    """What to say instead of the button when a choice the export needs has
    nothing to choose from yet."""
    for field in form.fields.values():
        if field.required and hasattr(field, "choices") and not field.choices:
            return getattr(form, "empty_message", _("There is nothing to export yet."))
    return ""


def export_list(request, invalid=None):
    context = {
        "exports": _export_forms(request.user, invalid),
        "invalid": invalid[1] if invalid else None,
        "invalid_name": invalid[0] if invalid else "",
        "page_title": _("Exports"),
    }
    return render(request, "insights/export_list.html", context)


def export_request(request, name):
    """Ask for an export: it is made by a report job, whose page shows progress."""
    export = exports.export_for_user(request.user, name)
    form = export.form(data=request.POST)
    if not form.is_valid():
        return export_list(request, invalid=(export.name, form))
    job = services.export_request(
        export=export,
        filters=exports.filter_data(form),
        summary=exports.filter_summary(form),
        by=request.user,
        request=request,
    )
    return redirect("reports:job_detail", pk=job.pk)

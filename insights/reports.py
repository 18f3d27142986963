"""The annual report as a PDF, and its data pack, from the same tables; and
the Exports page's exports, each a report kind of its own."""

import io
from functools import partial

from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.roles import Role
from insights import exports as export_registry
from insights import tables as figure_tables
from insights.models import AnnualReport
from insights.selectors import annual_figures, year_label
from reports.kinds import Rendered, ReportKind, register
from sfoqa import exports
from sfoqa.pdf import Stamp, render_template


def can_download(user, job) -> bool:
    """Lead inspectors; the published version is also on the public page."""
    return user.has_role(Role.LEAD_INSPECTOR)


def make_tables(year: int, progress=None) -> list[figure_tables.FigureTable]:
    return figure_tables.annual_tables(annual_figures(year, progress=progress))


def render_pdf(
    year: int, tables, *, version: str, data_as_at, generated_by: str
) -> bytes:
    stamp = Stamp(
        title=_("Annual report %(year)s") % {"year": year_label(year)},
        version=version,
        data_as_at=data_as_at,
        generated_by=generated_by,
    )
    context = {
        "year": year,
        "year_label": year_label(year),
        "tables": tables,
        "by_title": {t.title: t for t in tables},
        "data_as_at": data_as_at,
    }
    return render_template("insights/annual_report_pdf.html", context, stamp=stamp)


def data_pack_xlsx(tables) -> bytes:
    buffer = io.BytesIO()
    exports.write_xlsx(buffer, figure_tables.data_pack(tables))
    return buffer.getvalue()


def data_pack_csv(tables) -> bytes:
    return exports.csv_bytes(figure_tables.long_table(tables))


def build(job, progress) -> Rendered:
    report = AnnualReport.objects.select_related("requested_by").get(job=job)
    now = timezone.now()
    tables = make_tables(report.year, progress=progress)
    # Stored before the PDF is drawn: what the page shows is what it prints.
    report.tables = figure_tables.to_json(tables)
    report.figures_at = now
    report.save(update_fields=["tables", "figures_at"])
    progress(75)
    pdf = render_pdf(
        report.year,
        figure_tables.from_json(report.tables),
        version=str(report.version),
        data_as_at=now,
        generated_by=report.requested_by.full_name,
    )
    progress(100)
    name = f"sfo-qa-annual-report-{report.year}-{report.year + 1}-v{report.version}.pdf"
    return Rendered(content=pdf, filename=name, content_type="application/pdf")


def kept_jobs():
    """Every version's PDF stays: the published one is on the public page,
    the others are the record of what was approved, and making one again
    would count its figures afresh. None holds personal data."""
    return AnnualReport.objects.values("job")


register(
    ReportKind(
        name="annual_report",
        title=_("Annual report"),
        builder=build,
        can_download=can_download,
        kept_jobs=kept_jobs,
    )
)


for _export in export_registry.EXPORTS:
    if _export.build:
        register(
            ReportKind(
                name=_export.kind,
                title=_export.title,
                builder=partial(export_registry.export_build, _export),
                can_download=partial(export_registry.can_download, _export),
            )
        )

"""The QA report: a PDF of an assessment as it was published."""

from django.utils.dateparse import parse_datetime
from django.utils.text import slugify
from django.utils.translation import gettext as _

from accounts.roles import Role
from ratings.models import Publication
from reports.kinds import Rendered, ReportKind, register
from sfoqa.pdf import Stamp, render_template


def can_download(user, job) -> bool:
    """Leads, the inspector, and the HMPPS team that sent the review."""
    if user.has_role(Role.LEAD_INSPECTOR):
        return True
    publication = (
        Publication.objects.select_related("assessment__review")
        .filter(report_job=job)
        .first()
    )
    if publication is None:
        return False
    assessment = publication.assessment
    return assessment.inspector_id == user.pk or (
        user.has_role(Role.HMPPS_SFO)
        and user.organisation_id == assessment.review.organisation_id
    )


def build(job, progress) -> Rendered:
    publication = Publication.objects.select_related("published_by").get(report_job=job)
    data = publication.snapshot
    progress(20)
    stamp = Stamp(
        title=_("QA report %(ref)s") % {"ref": data["review"]["reference"]},
        version=str(publication.number),
        data_as_at=publication.published_at,
        generated_by=publication.published_by.full_name,
    )
    context = {
        "data": data,
        "publication": publication,
        "signed_off_at": parse_datetime(data["signed_off_at"])
        if data["signed_off_at"]
        else None,
    }
    pdf = render_template("ratings/qa_report_pdf.html", context, stamp=stamp)
    name = f"qa-report-{slugify(data['review']['reference'])}-v{publication.number}.pdf"
    return Rendered(content=pdf, filename=name, content_type="application/pdf")


def kept_jobs():
    """A published QA report stays: it is what HMPPS was sent."""
    return Publication.objects.values("report_job")


register(
    ReportKind(
        name="qa_report",
        title=_("Quality assurance report"),
        builder=build,
        can_download=can_download,
        kept_jobs=kept_jobs,
    )
)

# The benchmarking session report registers itself on import.
from ratings.benchmarking import reports as benchmark_reports  # noqa: E402, F401

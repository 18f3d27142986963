"""The session report: a revealed benchmarking session's results as a PDF."""

from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from ratings.benchmarking import permissions, selectors
from ratings.benchmarking.results import session_results
from reports.kinds import Rendered, ReportKind, register
from sfoqa.pdf import Stamp, render_template


def _session(job):
    return selectors.session_full(pk=job.params.get("session", 0))


def can_download(user, job) -> bool:
    """Those who may see the session's results: after the reveal only."""
    session = _session(job)
    return session is not None and permissions.can_see_results(user, session)


def context_for(session) -> dict:
    figures = session_results(session)
    return {
        "session": session,
        "results": figures,
        "reviews": [
            (review, figures.review_spreads(review)) for review in figures.reviews
        ],
    }


def build(job, progress) -> Rendered:
    session = _session(job)
    if session is None or not session.is_revealed:
        raise ValueError("only a revealed session has a report")
    progress(20)
    context = context_for(session)
    progress(60)
    stamp = Stamp(
        title=_("Benchmarking session report"),
        version="1",
        data_as_at=timezone.now(),
        generated_by=job.requested_by.full_name,
    )
    pdf = render_template("ratings/benchmarking/report_pdf.html", context, stamp=stamp)
    name = f"benchmarking-{slugify(session.title)[:60]}-{session.held_on}.pdf"
    return Rendered(content=pdf, filename=name, content_type="application/pdf")


register(
    ReportKind(
        name="benchmark_report",
        title=_("Benchmarking session report"),
        builder=build,
        can_download=can_download,
    )
)

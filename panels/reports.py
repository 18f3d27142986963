"""The 7-minute briefing: a panel's approved learning on a page or two."""

from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from panels.models import LearningItem, Panel
from panels.permissions import can_see
from reports.kinds import Rendered, ReportKind, register
from sfoqa.pdf import Stamp, render_template


def _panel(job) -> Panel | None:
    return Panel.objects.filter(pk=job.params.get("panel_id")).first()


def can_download(user, job) -> bool:
    """Whoever asked for it, while they may still see the panel."""
    panel = _panel(job)
    return job.requested_by_id == user.pk and panel is not None and can_see(user, panel)


def briefing_items(panel: Panel) -> list[LearningItem]:
    return list(
        panel.learning.exclude(status=LearningItem.Status.DRAFT)
        .prefetch_related("themes", "agencies")
        .order_by("approved_at", "id")
    )


def build(job, progress) -> Rendered:
    panel = Panel.objects.select_related("region", "chair").get(
        pk=job.params["panel_id"]
    )
    progress(20)
    now = timezone.now()
    stamp = Stamp(
        title=_("7-minute briefing"),
        version="1",
        data_as_at=now,
        generated_by=job.requested_by.full_name,
    )
    context = {"panel": panel, "items": briefing_items(panel), "made_at": now}
    pdf = render_template("panels/briefing_pdf.html", context, stamp=stamp)
    name = f"7-minute-briefing-{slugify(panel.title)[:60] or panel.pk}.pdf"
    return Rendered(content=pdf, filename=name, content_type="application/pdf")


register(
    ReportKind(
        name="panel_briefing",
        title=_("7-minute briefing"),
        builder=build,
        can_download=can_download,
    )
)

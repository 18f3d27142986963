"""Learning panels for tests, built through the services."""

import datetime
import io

import pikepdf
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from accounts.models import AgencyType, Organisation
from accounts.roles import Role
from panels import services
from panels.models import Level
from reviews.models import Region
from sfoqa.placeholder_pdf import placeholder_pdf
from sfoqa.uploads import inspect_upload
from tests.factories import UserFactory

AGENCIES = {
    "police": "Test Constabulary",
    "mental-health": "Test Mental Health Trust",
    "housing": "Test Housing Association",
}


def agency(slug: str) -> Organisation:
    organisation, _ = Organisation.objects.get_or_create(
        name=AGENCIES.get(slug, f"Test {slug}"),
        defaults={
            "kind": Organisation.Kind.PARTNER,
            "agency_type": AgencyType.objects.get(slug=slug),
        },
    )
    return organisation


def partner(slug: str = "police", **fields):
    """A partner with the panel member role, from an agency of that type."""
    return UserFactory(roles=[Role.PANEL_MEMBER], organisation=agency(slug), **fields)


def make_panel(
    lead,
    *,
    title="Panel on case A",
    needed=("police", "mental-health"),
    members=(),
    active=True,
):
    panel = services.panel_create(
        by=lead,
        title=title,
        region=Region.objects.order_by("pk").first(),
        chair=lead,
        needed_agencies=AgencyType.objects.filter(slug__in=needed),
        case_summary="A man under supervision harmed a neighbour.",
    )
    for user in members:
        services.panel_member_add(panel=panel, by=lead, user=user)
    if active:
        services.panel_status_set(panel=panel, by=lead, status="active")
    return panel


def pdf_bytes(pages: int = 3, title: str = "Panel paper") -> bytes:
    with pikepdf.open(io.BytesIO(placeholder_pdf(title, ["Agenda text."]))) as pdf:
        for _ in range(pages - 1):
            pdf.pages.append(pdf.pages[0])
        out = io.BytesIO()
        pdf.save(out)
        return out.getvalue()


def pdf_upload(name="paper.pdf", pages=3):
    return inspect_upload(SimpleUploadedFile(name, pdf_bytes(pages), "application/pdf"))


def add_paper(panel, lead, *, title="Agenda", pages=3):
    """A PDF paper, scanned (no scanner is configured in tests: not scanned)."""
    paper = services.paper_add(
        panel=panel,
        by=lead,
        upload=pdf_upload(pages=pages),
        title=title,
        paper_kind="agenda",
    )
    services.stored_file_scan(file=paper)
    return paper


def add_meeting(panel, lead, *, days=7, agenda="Welcome\nChronology"):
    return services.meeting_schedule(
        panel=panel,
        by=lead,
        starts_at=timezone.now() + datetime.timedelta(days=days),
        place="Room 1, Civic Centre",
        agenda=agenda,
    )


LEARNING = {
    "title": "Share risk information before release",
    "what_happened": "Police intelligence did not reach the probation practitioner.",
    "why": "No routine check with police before the release plan was agreed.",
    "learning": "Ask police for current intelligence before every release plan.",
    "recommendation": "Add a police check to the pre-release checklist.",
    "level": Level.REGION,
    "all_partners": False,
}


def add_learning(panel, lead, *, disseminate=False, themes=(), **values):
    item = services.learning_item_save(
        panel=panel, by=lead, values={**LEARNING, **values}, themes=themes
    )
    if disseminate:
        services.learning_item_approve(item=item, by=lead)
        services.learning_item_disseminate(item=item, by=lead)
    return item


def add_action(panel, lead, *, slug="police", due_in=30, owner=None, item=None):
    return services.action_create(
        panel=panel,
        by=lead,
        what="Add a police intelligence check to the release checklist.",
        owner_agency=agency(slug),
        owner=owner,
        due_on=timezone.localdate() + datetime.timedelta(days=due_in),
        learning_item=item,
    )

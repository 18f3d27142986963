"""
Demo learning panels: an active one (a meeting held and one to come, a gap
in health representation, learning in each state, actions in each state and
an impact check due) and a closed one. panel.member@example.org (police)
sits on the active panel only; health.partner@example.org on the closed one
only. Safe to run again: each panel is made once, found by its title.
"""

from datetime import timedelta

from django.contrib.auth.models import Group
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.utils import timezone

from accounts.models import AgencyType, Organisation, User
from accounts.roles import Role
from panels import services
from panels.models import Action, ImpactCheck, Panel
from ratings.models import Theme
from reviews.models import Region
from sfoqa.placeholder_pdf import placeholder_pdf
from sfoqa.uploads import inspect_upload

ACTIVE = "Learning panel: Mr A, North West (demo)"
CLOSED = "Learning panel: Mr B, Wales (demo)"
LEAD = "lead.inspector@example.org"
POLICE = "panel.member@example.org"
HEALTH = "health.partner@example.org"
HOUSING = "housing.partner@example.org"
SUMMARY = (
    "A man in his thirties, under probation supervision after prison, seriously "
    "assaulted a neighbour four months after release. Police held intelligence "
    "about threats he had made; his mental health had deteriorated and he had "
    "stopped taking medication; he had been moved between temporary addresses."
)


def _partner(email, name, organisation_name, agency_slug) -> User:
    from accounts.demo import demo_password

    organisation, _ = Organisation.objects.get_or_create(
        name=organisation_name,
        defaults={
            "kind": Organisation.Kind.PARTNER,
            "agency_type": AgencyType.objects.get(slug=agency_slug),
        },
    )
    user, created = User.objects.get_or_create(
        email=email, defaults={"full_name": name, "organisation": organisation}
    )
    if created:
        user.set_password(demo_password())
        user.save(update_fields=["password"])
        user.groups.set([Group.objects.get(name=Role.PANEL_MEMBER)])
    return user


def _paper(panel, lead, title, meeting=None):
    content = placeholder_pdf(title, ["A demonstration panel paper.", "No real case."])
    upload = inspect_upload(
        SimpleUploadedFile("demo-paper.pdf", content, "application/pdf")
    )
    paper = services.paper_add(
        panel=panel,
        by=lead,
        upload=upload,
        title=title,
        paper_kind="agenda",
        meeting=meeting,
    )
    services.stored_file_scan(file=paper)


def _learning(panel, lead, title, *, state, themes, meeting=None, **text):
    values = {
        "title": title,
        "what_happened": text["what"],
        "why": text["why"],
        "learning": text["learning"],
        "recommendation": text.get("recommendation", ""),
        "level": text.get("level", "region"),
        "all_partners": text.get("all_partners", False),
        "source_meeting": meeting,
    }
    item = services.learning_item_save(
        panel=panel, by=lead, values=values, themes=themes
    )
    if state in ("approved", "disseminated"):
        services.learning_item_approve(item=item, by=lead)
    if state == "disseminated":
        services.learning_item_disseminate(item=item, by=lead)
    return item


def _actions(panel, lead, police_user, housing_user, item) -> None:
    today = timezone.localdate()

    def action(what, owner, days):
        return services.action_create(
            panel=panel,
            by=lead,
            what=what,
            owner_agency=owner.organisation,
            owner=owner,
            due_on=today + timedelta(days=days),
            learning_item=item,
        )

    action(
        "Brief custody staff on sharing threats intelligence with probation.",
        police_user,
        7,
    )
    overdue = action(
        "Agree a single housing contact for people released to temporary addresses.",
        housing_user,
        -10,
    )
    services.action_progress_update(
        action=overdue, by=housing_user, progress=30, text="Draft protocol written."
    )
    submitted = action(
        "Add a police intelligence check to the pre-release checklist.", police_user, 20
    )
    services.action_evidence_submit(
        action=submitted,
        by=police_user,
        text="The checklist now includes the check (version 3, attached to the "
        "minutes).",
    )
    done = action(
        "Train offender managers to ask about medication at each appointment.",
        police_user,
        -200,
    )
    services.action_evidence_submit(
        action=done, by=police_user, text="Training delivered to 42 staff."
    )
    services.action_evidence_accept(action=done, by=lead)
    completed = timezone.now() - timedelta(days=200)
    Action.objects.filter(pk=done.pk).update(completed_at=completed)
    ImpactCheck.objects.filter(action=done, months=6).update(
        due_on=today - timedelta(days=17)
    )


def _seed_active(lead, police_user, housing_user) -> None:
    needed = AgencyType.objects.filter(slug__in=["police", "mental-health", "housing"])
    panel = services.panel_create(
        by=lead,
        title=ACTIVE,
        region=Region.objects.get(name="North West"),
        chair=lead,
        needed_agencies=needed,
        case_summary=SUMMARY,
    )
    services.panel_status_set(panel=panel, by=lead, status=Panel.Status.ACTIVE)
    for user in (police_user, housing_user):
        services.panel_member_add(panel=panel, by=lead, user=user)
    now = timezone.now()
    held = services.meeting_schedule(
        panel=panel,
        by=lead,
        starts_at=(now - timedelta(days=21)).replace(hour=10, minute=0),
        place="Civic Centre, Room 2",
        agenda="Welcome and introductions\nThe anonymised case summary\n"
        "Each agency's chronology\nWhat we learn\nActions",
    )
    services.meeting_attendance_record(
        meeting=held,
        by=lead,
        statuses={m.pk: "present" for m in panel.members.all()},
    )
    services.meeting_minutes_save(
        meeting=held,
        by=lead,
        minutes="The panel agreed four actions. Health was invited but no one "
        "from the mental health trust could attend.",
    )
    services.meeting_schedule(
        panel=panel,
        by=lead,
        starts_at=(now + timedelta(days=14)).replace(hour=14, minute=0),
        link="https://meet.example.org/panel-demo",
        agenda="Progress on actions\nImpact so far",
    )
    _paper(panel, lead, "Agenda and case summary", meeting=held)
    services.chronology_entry_add(
        panel=panel,
        by=police_user,
        agency=police_user.organisation,
        happened_on=timezone.localdate() - timedelta(days=160),
        what="Intelligence received about threats to a neighbour.",
    )
    services.chronology_entry_add(
        panel=panel,
        by=housing_user,
        agency=housing_user.organisation,
        happened_on=timezone.localdate() - timedelta(days=150),
        what="Moved to a second temporary address.",
    )
    themes = list(Theme.objects.order_by("pk")[:2])
    shared = _learning(
        panel,
        lead,
        "Share police intelligence before release",
        state="disseminated",
        themes=themes[:1],
        meeting=held,
        all_partners=True,
        what="Intelligence about threats did not reach the offender manager.",
        why="No routine check with police before the release plan.",
        learning="Ask police for current intelligence before every release plan.",
        recommendation="Add the check to the pre-release checklist.",
    )
    _learning(
        panel,
        lead,
        "Follow up missed medication",
        state="approved",
        themes=themes[1:],
        meeting=held,
        what="He stopped taking medication and no agency knew.",
        why="Nobody asked; the GP was not told of the release.",
        learning="Ask about medication at each appointment.",
    )
    _learning(
        panel,
        lead,
        "One housing contact",
        state="draft",
        themes=[],
        what="He was moved twice without probation being told.",
        why="No named contact in the housing team.",
        learning="Agree one contact for temporary accommodation.",
    )
    _actions(panel, lead, police_user, housing_user, shared)


def _seed_closed(lead, health_user) -> None:
    needed = AgencyType.objects.filter(slug__in=["mental-health", "police"])
    panel = services.panel_create(
        by=lead,
        title=CLOSED,
        region=Region.objects.order_by("-position", "-pk").first(),
        chair=lead,
        needed_agencies=needed,
        case_summary="A woman on licence harmed her partner. The panel looked at "
        "how agencies shared concerns about domestic abuse.",
    )
    services.panel_member_add(panel=panel, by=lead, user=health_user)
    held = services.meeting_schedule(
        panel=panel,
        by=lead,
        starts_at=timezone.now() - timedelta(days=120),
        place="Health Centre, Meeting room",
        agenda="Case summary\nLearning",
    )
    services.meeting_attendance_record(
        meeting=held,
        by=lead,
        statuses={m.pk: "present" for m in panel.members.all()},
    )
    _paper(panel, lead, "Closed panel papers", meeting=held)
    _learning(
        panel,
        lead,
        "Ask about domestic abuse at every contact",
        state="disseminated",
        themes=list(Theme.objects.order_by("pk")[:1]),
        what="Concerns raised by health staff were not passed on.",
        why="No shared route for concerns between the trust and probation.",
        learning="Agree how concerns are passed on, and check it is used.",
    )
    services.panel_status_set(panel=panel, by=lead, status=Panel.Status.CLOSED)
    Panel.objects.filter(pk=panel.pk).update(
        closed_at=timezone.now() - timedelta(days=60)
    )


@transaction.atomic
def seed_panels() -> list[tuple[str, str]]:
    """Load the demo panels once (after the demo users); return the partner
    accounts made for them as (email, description) pairs."""
    lead = User.objects.get(email=LEAD)
    police_user = User.objects.get(email=POLICE)
    health_user = _partner(
        HEALTH, "Hana Health", "Demo Mental Health Trust", "mental-health"
    )
    housing_user = _partner(
        HOUSING, "Hugo Housing", "Demo Housing Association", "housing"
    )
    if not Panel.objects.filter(title=ACTIVE).exists():
        _seed_active(lead, police_user, housing_user)
    if not Panel.objects.filter(title=CLOSED).exists():
        _seed_closed(lead, health_user)
    return [
        (HEALTH, "Panel member (health, closed panel only)"),
        (HOUSING, "Panel member (housing)"),
    ]

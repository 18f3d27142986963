"""Every write to a learning panel: set-up, members, meetings, learning, actions."""

import calendar
from collections.abc import Iterable
from datetime import date

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.storage import default_storage
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.audit import Action as Audit
from accounts.audit import audit_record
from accounts.models import AgencyType, Organisation, User
from accounts.roles import Role
from accounts.services import user_invite
from panels.models import (
    Action,
    ActionUpdate,
    Attendance,
    ChronologyEntry,
    Evidence,
    EvidenceFile,
    ImpactCheck,
    LearningItem,
    Meeting,
    Panel,
    PanelMember,
    Paper,
    ThemeSubscription,
)
from sfoqa.outbox import send_after_commit, send_each_after_commit
from sfoqa.uploads import InspectedUpload, store_upload

IMPACT_CHECK_MONTHS = (6, 12)
LEARNING_FIELDS = ("title", "what_happened", "why", "learning", "recommendation")


def add_months(day: date, months: int) -> date:
    """The same day `months` later (the month's last day if it is shorter)."""
    years, index = divmod(day.month - 1 + months, 12)
    year, month = day.year + years, index + 1
    return day.replace(
        year=year, month=month, day=min(day.day, calendar.monthrange(year, month)[1])
    )


def _changed(panel: Panel, by: User, request, **details) -> None:
    audit_record(
        action=Audit.PANEL_CHANGED,
        request=request,
        actor=by,
        target=panel,
        details=details,
    )


# Panels and members


@transaction.atomic
def panel_create(
    *,
    by: User,
    title: str,
    region,
    chair: User,
    needed_agencies: Iterable[AgencyType],
    reviews: Iterable = (),
    case_summary: str = "",
    request=None,
) -> Panel:
    """Set up a panel with the agencies it needs; it starts in planning."""
    if not chair.has_role(Role.LEAD_INSPECTOR):
        raise ValidationError({"chair": _("The chair must be a lead inspector")})
    panel = Panel.objects.create(
        title=title, region=region, chair=chair, case_summary=case_summary
    )
    panel.needed_agencies.set(needed_agencies)
    panel.reviews.set(reviews)
    audit_record(action=Audit.PANEL_CREATED, request=request, actor=by, target=panel)
    return panel


@transaction.atomic
def panel_update(
    *,
    panel: Panel,
    by: User,
    title: str,
    region,
    needed_agencies: Iterable[AgencyType],
    case_summary: str,
    request=None,
) -> Panel:
    """Change what the panel is and which agencies it needs."""
    panel.title, panel.region, panel.case_summary = title, region, case_summary
    panel.save(update_fields=["title", "region", "case_summary"])
    panel.needed_agencies.set(needed_agencies)
    _changed(panel, by, request, fields=["title", "region", "needed", "summary"])
    return panel


@transaction.atomic
def panel_status_set(*, panel: Panel, by: User, status: str, request=None) -> Panel:
    """Move the panel to planning, active or closed (closing starts the
    period after which members no longer see its papers)."""
    if status not in Panel.Status.values:
        raise ValidationError(_("Choose a status"))
    panel.status = status
    panel.closed_at = timezone.now() if status == Panel.Status.CLOSED else None
    panel.save(update_fields=["status", "closed_at"])
    _changed(panel, by, request, status=status)
    return panel


def _require_partner(user: User) -> Organisation:
    organisation = user.organisation
    if (
        not user.has_role(Role.PANEL_MEMBER)
        or organisation is None
        or organisation.kind != Organisation.Kind.PARTNER
    ):
        raise ValidationError(
            {
                "email": _(
                    "This person's account is not a partner agency's panel "
                    "member account"
                )
            }
        )
    return organisation


@transaction.atomic
def panel_member_add(
    *, panel: Panel, by: User, user: User, request=None
) -> PanelMember:
    """Seat a partner with the panel member role on the panel, from their agency."""
    from panels.tasks import notify_member_added

    agency = _require_partner(user)
    member, created = PanelMember.every_seat.get_or_create(
        panel=panel, user=user, defaults={"agency": agency}
    )
    if member.removed_at is not None:  # seated again, from their agency now
        member.removed_at, member.removed_by, member.agency = None, None, agency
        member.added_at = timezone.now()
        member.save(update_fields=["removed_at", "removed_by", "agency", "added_at"])
        created = True
    if created:
        audit_record(
            action=Audit.PANEL_MEMBER_ADDED,
            request=request,
            actor=by,
            target=panel,
            details={"user": user.pk, "agency": agency.pk},
        )
        if user.has_usable_password():
            send_after_commit(notify_member_added, member.pk)
    return member


@transaction.atomic
def panel_member_remove(*, member: PanelMember, by: User, request=None) -> list[Action]:
    """Take a member off the panel: from now on they see it as a non-member
    does (not at all). What they wrote stays, attributed to them: chronology
    entries, evidence, action updates, their attendance at past meetings.
    An open action they own by name keeps its owner agency and loses its
    named owner, which its timeline records, so the chair names a new one;
    a completed action keeps its owner as history. Returns the actions that
    lost their named owner."""
    member = PanelMember.objects.select_for_update().filter(pk=member.pk).first()
    if member is None:
        raise ValidationError(_("This person is no longer on the panel"))
    member.removed_at = timezone.now()
    member.removed_by = by
    member.save(update_fields=["removed_at", "removed_by"])
    unowned = list(
        Action.objects.select_for_update()
        .filter(panel_id=member.panel_id, owner_id=member.user_id)
        .exclude(status=Action.Status.COMPLETE)
    )
    for action in unowned:
        action.owner = None
        action.save(update_fields=["owner"])
        _timeline(action, by, ActionUpdate.Kind.UNOWNED, member.user.full_name)
    _changed(
        member.panel,
        by,
        request,
        member_removed=member.user_id,
        agency=member.agency_id,
        actions_unowned=len(unowned),
    )
    return unowned


@transaction.atomic
def panel_member_invite(
    *,
    panel: Panel,
    by: User,
    email: str,
    full_name: str,
    organisation: Organisation,
    request=None,
) -> PanelMember:
    """Invite a partner by email. A new account gets the panel member role
    only, so it sees nothing but the panels it sits on."""
    existing = User.objects.filter(email__iexact=email).first()
    if existing is not None:
        return panel_member_add(panel=panel, by=by, user=existing, request=request)
    if organisation.kind != Organisation.Kind.PARTNER:
        raise ValidationError({"organisation": _("Choose a partner agency")})
    user = user_invite(
        by=by,
        email=email,
        full_name=full_name,
        organisation=organisation,
        roles=[Role.PANEL_MEMBER],
        request=request,
    )
    return panel_member_add(panel=panel, by=by, user=user, request=request)


# Meetings


def _meeting_changed(meeting: Meeting, by: User, request, **details) -> None:
    audit_record(
        action=Audit.PANEL_MEETING_CHANGED,
        request=request,
        actor=by,
        target=meeting,
        details=details,
    )


@transaction.atomic
def meeting_schedule(
    *,
    panel: Panel,
    by: User,
    starts_at,
    place: str = "",
    link: str = "",
    agenda: str = "",
    request=None,
) -> Meeting:
    """Schedule a meeting and email every member an invitation with a calendar file."""
    from panels.tasks import send_meeting_invitations

    if panel.is_closed:
        raise PermissionDenied
    if not (place or link):
        raise ValidationError({"place": _("Enter a place or an online meeting link")})
    meeting = Meeting.objects.create(
        panel=panel, starts_at=starts_at, place=place, link=link, agenda=agenda
    )
    _meeting_changed(meeting, by, request, scheduled=True)
    send_after_commit(send_meeting_invitations, meeting.pk)
    return meeting


@transaction.atomic
def meeting_attendance_record(
    *, meeting: Meeting, by: User, statuses: dict[int, str], request=None
) -> int:
    """Record each member's attendance (present, apologies, absent)."""
    members = set(meeting.panel.members.values_list("pk", flat=True))
    if not set(statuses) <= members or not set(statuses.values()) <= set(
        Attendance.Status.values
    ):
        raise ValidationError(_("Record attendance for this panel's members only"))
    for member_id, status in statuses.items():
        Attendance.objects.update_or_create(
            meeting=meeting, member_id=member_id, defaults={"status": status}
        )
    Meeting.objects.filter(pk=meeting.pk).update(attendance_recorded_at=timezone.now())
    _meeting_changed(meeting, by, request, attendance=len(statuses))
    return len(statuses)


@transaction.atomic
def meeting_minutes_save(
    *, meeting: Meeting, by: User, minutes: str, request=None
) -> Meeting:
    """Keep the minutes of a meeting."""
    meeting.minutes = minutes
    meeting.save(update_fields=["minutes"])
    _meeting_changed(meeting, by, request, minutes=True)
    return meeting


# Papers and chronology


def _stored(upload: InspectedUpload, folder: str) -> dict:
    return {
        "storage_name": store_upload(upload, folder=folder),
        "display_name": upload.display_name,
        "kind": upload.kind,
        "content_type": upload.content_type,
        "size": upload.size,
        "sha256": upload.sha256,
    }


@transaction.atomic
def paper_add(
    *,
    panel: Panel,
    by: User,
    upload: InspectedUpload,
    title: str,
    paper_kind: str,
    meeting: Meeting | None = None,
    request=None,
) -> Paper:
    """Store a paper and queue its virus scan."""
    from panels.tasks import scan_paper

    if meeting is not None and meeting.panel_id != panel.pk:
        raise ValidationError({"meeting": _("Choose a meeting of this panel")})
    fields = _stored(upload, "panels/papers")
    try:
        paper = Paper.objects.create(
            panel=panel,
            meeting=meeting,
            title=title,
            paper_kind=paper_kind,
            uploaded_by=by,
            **fields,
        )
    except Exception:
        default_storage.delete(fields["storage_name"])
        raise
    audit_record(
        action=Audit.PANEL_PAPER_ADDED, request=request, actor=by, target=paper
    )
    send_after_commit(scan_paper, paper.pk)
    return paper


SCAN_RESULTS = {
    "clean": Paper.ScanStatus.CLEAN,
    "infected": Paper.ScanStatus.INFECTED,
    "not_configured": Paper.ScanStatus.NOT_SCANNED,
    "error": Paper.ScanStatus.ERROR,
}


def stored_file_scan(*, file) -> str:
    """Scan a stored paper or evidence file once; return its scan status."""
    from sfoqa import antivirus

    if file.scan_status not in (file.ScanStatus.PENDING, file.ScanStatus.ERROR):
        return file.scan_status
    with default_storage.open(file.storage_name, "rb") as handle:
        result = antivirus.scan_bytes(handle.read())
    file.scan_status = SCAN_RESULTS[result]
    file.save(update_fields=["scan_status"])
    return file.scan_status


@transaction.atomic
def chronology_entry_add(
    *,
    panel: Panel,
    by: User,
    agency: Organisation,
    happened_on: date,
    what: str,
    request=None,
) -> ChronologyEntry:
    """Add one agency's entry to the panel's merged timeline."""
    if panel.is_closed:
        raise PermissionDenied
    entry = ChronologyEntry.objects.create(
        panel=panel, agency=agency, happened_on=happened_on, what=what, added_by=by
    )
    _changed(panel, by, request, chronology_entry=entry.pk)
    return entry


# Learning


def _learning_changed(item: LearningItem, by: User, request, action=None, **details):
    audit_record(
        action=action or Audit.LEARNING_CHANGED,
        request=request,
        actor=by,
        target=item,
        details=details,
    )


@transaction.atomic
def learning_item_save(
    *,
    panel: Panel,
    by: User,
    values: dict,
    themes: Iterable = (),
    agencies: Iterable = (),
    item: LearningItem | None = None,
    source_finding=None,
    request=None,
) -> LearningItem:
    """Create a draft learning item, or change one that is still a draft."""
    if item is not None and item.status != LearningItem.Status.DRAFT:
        raise ValidationError(_("Only draft learning can be changed"))
    item = item or LearningItem(
        panel=panel, created_by=by, source_finding=source_finding
    )
    for name in (*LEARNING_FIELDS, "level", "all_partners", "source_meeting"):
        if name in values:
            setattr(item, name, values[name])
    if item.source_meeting_id and item.source_meeting.panel_id != panel.pk:
        raise ValidationError({"source_meeting": _("Choose a meeting of this panel")})
    item.save()
    item.themes.set(themes)
    item.agencies.set(agencies)
    learning_index(items=LearningItem.objects.filter(pk=item.pk))
    _learning_changed(item, by, request, saved=True)
    return item


def learning_index(*, items) -> int:
    """Refresh the library's full-text index of these items (PostgreSQL)."""
    from django.db import connection

    from panels.selectors import search_vector

    if connection.vendor != "postgresql":
        return 0
    return items.update(search_vector=search_vector())


@transaction.atomic
def learning_item_from_finding(
    *, finding, panel: Panel, by: User, request=None
) -> LearningItem:
    """Bring a QA finding into a panel as draft learning, keeping its source.
    Nothing identifying of the review goes with it: the chair edits the draft."""
    values = {
        "title": finding.get_kind_display(),
        "what_happened": finding.text,
        "why": "",
        "learning": finding.text,
        "level": finding.level,
    }
    return learning_item_save(
        panel=panel,
        by=by,
        values=values,
        themes=list(finding.themes.all()),
        source_finding=finding,
        request=request,
    )


@transaction.atomic
def learning_item_approve(*, item: LearningItem, by: User, request=None) -> None:
    """The chair approves a draft."""
    if item.status != LearningItem.Status.DRAFT:
        raise ValidationError(_("This learning has already been approved"))
    if not item.why.strip():
        raise ValidationError(_("Say why it happened before approving the learning"))
    item.status = LearningItem.Status.APPROVED
    item.approved_by, item.approved_at = by, timezone.now()
    item.save(update_fields=["status", "approved_by", "approved_at"])
    _learning_changed(item, by, request, action=Audit.LEARNING_APPROVED)


@transaction.atomic
def learning_item_disseminate(*, item: LearningItem, by: User, request=None) -> None:
    """Put approved learning in the library and tell the panel's members."""
    from panels.tasks import notify_disseminated

    if item.status != LearningItem.Status.APPROVED:
        raise ValidationError(_("Approve the learning before disseminating it"))
    item.status = LearningItem.Status.DISSEMINATED
    item.disseminated_at = timezone.now()
    item.save(update_fields=["status", "disseminated_at"])
    _learning_changed(item, by, request, action=Audit.LEARNING_DISSEMINATED)
    send_after_commit(notify_disseminated, item.pk)


@transaction.atomic
def theme_subscriptions_set(*, user: User, themes: Iterable) -> int:
    """Follow exactly these themes for the weekly digest."""
    wanted = {theme.pk for theme in themes}
    ThemeSubscription.objects.filter(user=user).exclude(theme_id__in=wanted).delete()
    have = set(
        ThemeSubscription.objects.filter(user=user).values_list("theme_id", flat=True)
    )
    ThemeSubscription.objects.bulk_create(
        ThemeSubscription(user=user, theme_id=pk) for pk in wanted - have
    )
    return len(wanted)


# Actions


def _timeline(action: Action, by: User, kind: str, text="", progress=None) -> None:
    ActionUpdate.objects.create(
        action=action, kind=kind, text=text, progress=progress, by=by
    )


def _action_changed(action: Action, by: User, request, **details) -> None:
    audit_record(
        action=Audit.PANEL_ACTION_CHANGED,
        request=request,
        actor=by,
        target=action,
        details=details,
    )


@transaction.atomic
def action_create(
    *,
    panel: Panel,
    by: User,
    what: str,
    owner_agency: Organisation,
    due_on: date,
    owner: User | None = None,
    learning_item: LearningItem | None = None,
    request=None,
) -> Action:
    """Agree an action, owned by one agency and optionally a named person."""
    if learning_item is not None and learning_item.panel_id != panel.pk:
        raise ValidationError({"learning_item": _("Choose learning of this panel")})
    if (
        owner is not None
        and not panel.members.filter(user=owner, agency=owner_agency).exists()
    ):
        raise ValidationError(
            {"owner": _("The named owner must be a member from the owner agency")}
        )
    action = Action.objects.create(
        panel=panel,
        what=what,
        owner_agency=owner_agency,
        owner=owner,
        due_on=due_on,
        learning_item=learning_item,
        created_by=by,
    )
    _timeline(action, by, ActionUpdate.Kind.CREATED)
    _action_changed(action, by, request, created=True)
    return action


def _lock(action: Action) -> Action:
    return Action.objects.select_for_update().get(pk=action.pk)


@transaction.atomic
def action_progress_update(
    *, action: Action, by: User, progress: int, text: str, request=None
) -> Action:
    """Record progress on an action that is not yet complete."""
    action = _lock(action)
    if action.status in (Action.Status.COMPLETE, Action.Status.EVIDENCE_SUBMITTED):
        raise ValidationError(_("This action is waiting for the chair or complete"))
    action.progress = max(0, min(progress, 100))
    action.status = Action.Status.IN_PROGRESS
    action.save(update_fields=["progress", "status"])
    _timeline(action, by, ActionUpdate.Kind.PROGRESS, text, action.progress)
    _action_changed(action, by, request, progress=action.progress)
    return action


@transaction.atomic
def action_evidence_submit(
    *,
    action: Action,
    by: User,
    text: str,
    uploads: Iterable[InspectedUpload] = (),
    request=None,
) -> Evidence:
    """Submit evidence of completion (text and files) for the chair to decide."""
    action = _lock(action)
    if action.status in (Action.Status.COMPLETE, Action.Status.EVIDENCE_SUBMITTED):
        raise ValidationError(_("This action is waiting for the chair or complete"))
    from panels.tasks import scan_evidence_file

    evidence = Evidence.objects.create(action=action, text=text, submitted_by=by)
    stored, files = [], []
    try:
        for upload in uploads:
            fields = _stored(upload, "panels/evidence")
            stored.append(fields["storage_name"])
            files.append(
                EvidenceFile.objects.create(evidence=evidence, uploaded_by=by, **fields)
            )
    except Exception:
        for name in stored:
            default_storage.delete(name)
        raise
    action.status = Action.Status.EVIDENCE_SUBMITTED
    action.save(update_fields=["status"])
    _timeline(action, by, ActionUpdate.Kind.EVIDENCE, text)
    _action_changed(action, by, request, evidence=evidence.pk, files=len(stored))
    ids = [file.pk for file in files]
    send_each_after_commit(scan_evidence_file, [(pk,) for pk in ids])
    return evidence


def _pending_evidence(action: Action) -> Evidence:
    evidence = action.evidence.filter(decision=Evidence.Decision.PENDING).first()
    if action.status != Action.Status.EVIDENCE_SUBMITTED or evidence is None:
        raise ValidationError(_("There is no evidence waiting for a decision"))
    return evidence


@transaction.atomic
def action_evidence_accept(*, action: Action, by: User, request=None) -> Action:
    """Accept the evidence: the action is complete, and impact checks are
    scheduled 6 and 12 months on."""
    action = _lock(action)
    evidence = _pending_evidence(action)
    now = timezone.now()
    evidence.decision, evidence.decided_by, evidence.decided_at = (
        Evidence.Decision.ACCEPTED,
        by,
        now,
    )
    evidence.save(update_fields=["decision", "decided_by", "decided_at"])
    action.status, action.progress, action.completed_at = (
        Action.Status.COMPLETE,
        100,
        now,
    )
    action.save(update_fields=["status", "progress", "completed_at"])
    completed_on = timezone.localdate(now)
    for months in IMPACT_CHECK_MONTHS:
        ImpactCheck.objects.get_or_create(
            action=action,
            months=months,
            defaults={"due_on": add_months(completed_on, months)},
        )
    _timeline(action, by, ActionUpdate.Kind.ACCEPTED)
    _action_changed(action, by, request, accepted=evidence.pk)
    return action


@transaction.atomic
def action_evidence_return(
    *, action: Action, by: User, reason: str, request=None
) -> Action:
    """Return the evidence with a reason; the owner agency works on."""
    if not reason.strip():
        raise ValidationError({"reason": _("Say why the evidence is returned")})
    action = _lock(action)
    evidence = _pending_evidence(action)
    evidence.decision, evidence.reason = Evidence.Decision.RETURNED, reason
    evidence.decided_by, evidence.decided_at = by, timezone.now()
    evidence.save(update_fields=["decision", "reason", "decided_by", "decided_at"])
    action.status = Action.Status.RETURNED
    action.save(update_fields=["status"])
    _timeline(action, by, ActionUpdate.Kind.RETURNED, reason)
    _action_changed(action, by, request, returned=evidence.pk)
    return action


@transaction.atomic
def impact_check_answer(
    *,
    check: ImpactCheck,
    by: User,
    practice_changed: str,
    answer: str,
    request=None,
) -> ImpactCheck:
    """Record whether practice changed, and what shows it."""
    check = ImpactCheck.objects.select_for_update().get(pk=check.pk)
    if check.is_answered:
        raise ValidationError(_("This impact check has already been answered"))
    if check.due_on > timezone.localdate():
        raise ValidationError(_("This impact check is not due yet"))
    check.practice_changed, check.answer = practice_changed, answer
    check.answered_by, check.answered_at = by, timezone.now()
    check.save(
        update_fields=["practice_changed", "answer", "answered_by", "answered_at"]
    )
    _timeline(check.action, by, ActionUpdate.Kind.IMPACT, answer)
    _action_changed(check.action, by, request, impact_check=check.pk)
    return check


@transaction.atomic
def briefing_request(*, panel: Panel, by: User, request=None):
    """Ask the report pipeline for the panel's 7-minute briefing PDF."""
    from reports.services import report_request

    return report_request(
        kind="panel_briefing",
        params={"panel_id": panel.pk},
        requested_by=by,
        request=request,
    )

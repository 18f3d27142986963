"""
Who may see and change a panel and everything in it. Inspectorate staff see
every panel; its chair changes it; a partner sees only
the panels they sit on, and never a review, a CRN, a review document or a
rating. Anything a user may not see is a 404, so ids cannot be probed.
"""

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.utils import timezone

from accounts.roles import Role
from panels.models import (
    Action,
    EvidenceFile,
    ImpactCheck,
    LearningItem,
    Meeting,
    Panel,
    PanelMember,
    Paper,
)

# Inspectorate staff who work with panels (administrators run the service,
# not panels).
STAFF = (Role.INSPECTOR, Role.LEAD_INSPECTOR)


def is_staff(user) -> bool:
    return user.has_role(*STAFF)


def can_manage(user, panel: Panel) -> bool:
    return panel.chair_id == user.pk


def seat(user, panel: Panel) -> PanelMember | None:
    """The user's membership of the panel, if they are a partner on it."""
    if not user.has_role(Role.PANEL_MEMBER):
        return None
    cache = getattr(user, "_panel_seats", None)
    if cache is None:
        cache = user._panel_seats = {}
    if panel.pk not in cache:
        cache[panel.pk] = (
            PanelMember.objects.select_related("agency")
            .filter(panel_id=panel.pk, user=user)
            .first()
        )
    return cache[panel.pk]


def can_see(user, panel: Panel) -> bool:
    return is_staff(user) or seat(user, panel) is not None


def papers_visible(user, panel: Panel) -> bool:
    """Members see papers while the panel is open and a while after it closes."""
    if is_staff(user):
        return True
    until = panel.papers_open_to_members_until
    return until is None or timezone.now() < until


def can_add_chronology(user, panel: Panel) -> bool:
    return not panel.is_closed and (
        can_manage(user, panel) or seat(user, panel) is not None
    )


def can_update_action(user, action: Action) -> bool:
    """The owner agency's members (and the named owner) update it; so may the chair."""
    panel = action.panel
    if can_manage(user, panel):
        return True
    member = seat(user, panel)
    return action.owner_id == user.pk or (
        member is not None and member.agency_id == action.owner_agency_id
    )


def _panel(pk) -> Panel:
    panel = Panel.objects.select_related("region", "chair").filter(pk=pk).first()
    if panel is None:
        raise Http404
    return panel


def _check(user, panel: Panel, *, write: bool) -> Panel:
    if not can_see(user, panel):
        raise Http404
    if write and not can_manage(user, panel):
        raise PermissionDenied
    return panel


def get_panel_for_user(user, pk: int, *, write: bool = False) -> Panel:
    """The panel if the user may see it (404 otherwise); write=True: its
    chair only (403 for other readers)."""
    return _check(user, _panel(pk), write=write)


def get_meeting_for_user(user, pk: int, *, write: bool = False) -> Meeting:
    meeting = Meeting.objects.select_related("panel__chair").filter(pk=pk).first()
    if meeting is None:
        raise Http404
    _check(user, meeting.panel, write=write)
    return meeting


def get_paper_for_user(user, pk: int, *, write: bool = False) -> Paper:
    """A paper, for staff always and for members within the visible period."""
    paper = Paper.objects.select_related("panel").filter(pk=pk).first()
    if paper is None:
        raise Http404
    _check(user, paper.panel, write=write)
    if not papers_visible(user, paper.panel):
        raise Http404
    return paper


def get_learning_item_for_user(user, pk: int, *, write: bool = False) -> LearningItem:
    """Members read their panels' learning and disseminated learning shared
    with all partners; only the chair changes it."""
    item = (
        LearningItem.objects.select_related(
            "panel__chair",
            "source_meeting",
            "source_finding",
            "approved_by",
            "created_by",
        )
        .prefetch_related("themes", "agencies")
        .filter(pk=pk)
        .first()
    )
    if item is None:
        raise Http404
    shared = (
        item.all_partners
        and item.status == LearningItem.Status.DISSEMINATED
        and user.has_role(Role.PANEL_MEMBER)
    )
    if not (can_see(user, item.panel) or shared):
        raise Http404
    if write and not can_manage(user, item.panel):
        raise PermissionDenied
    return item


def get_action_for_user(
    user, pk: int, *, write: bool = False, update: bool = False
) -> Action:
    """An action of a panel the user sees. write=True: the chair only;
    update=True: the owner agency's members, the named owner or the chair."""
    action = (
        Action.objects.select_related(
            "panel__chair", "owner_agency", "owner", "learning_item"
        )
        .filter(pk=pk)
        .first()
    )
    if action is None:
        raise Http404
    _check(user, action.panel, write=write)
    if update and not can_update_action(user, action):
        raise PermissionDenied
    return action


def get_evidence_file_for_user(user, pk: int) -> EvidenceFile:
    file = (
        EvidenceFile.objects.select_related("evidence__action__panel")
        .filter(pk=pk)
        .first()
    )
    if file is None:
        raise Http404
    _check(user, file.evidence.action.panel, write=False)
    return file


def get_impact_check_for_user(user, pk: int, *, write: bool = False) -> ImpactCheck:
    check = (
        ImpactCheck.objects.select_related(
            "action__panel__chair", "action__owner_agency", "action__owner"
        )
        .filter(pk=pk)
        .first()
    )
    if check is None:
        raise Http404
    _check(user, check.action.panel, write=False)
    if write and not can_update_action(user, check.action):
        raise PermissionDenied
    return check

"""Reads that panel pages, the learning library and home pages iterate over."""

from dataclasses import dataclass, field
from datetime import datetime, timedelta

from django.db import connection
from django.db.models import (
    Count,
    Exists,
    F,
    Max,
    Min,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Value,
)
from django.db.models.functions import Left
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import AgencyType
from accounts.roles import Role
from panels.models import (
    Action,
    ActionUpdate,
    Attendance,
    ChronologyEntry,
    Evidence,
    ImpactCheck,
    LearningItem,
    Meeting,
    Panel,
    PanelMember,
    Paper,
)
from panels.permissions import is_staff
from ratings.models import Theme
from sfoqa.dates import format_date
from sfoqa.keyset import KeysetPage

NEW_LEARNING_DAYS = 30
DUE_SOON_DAYS = 14


def panels_for(*, user) -> QuerySet[Panel]:
    """The panels the user may see: every one for staff, their own for members."""
    panels = Panel.objects.select_related("region", "chair").annotate(
        member_count=Count(
            "members", filter=Q(members__removed_at__isnull=True), distinct=True
        ),
        meeting_count=Count("meetings", distinct=True),
    )
    if is_staff(user):
        return panels
    # A join, which the seats' manager does not filter: removed seats by hand.
    seats = PanelMember.objects.filter(panel=OuterRef("pk"), user=user)
    return panels.filter(Exists(seats))


def members_of(panel: Panel) -> list[PanelMember]:
    return list(
        panel.members.select_related("user", "agency__agency_type").order_by(
            "agency__name", "user__full_name"
        )
    )


def meetings_of(panel: Panel) -> list[Meeting]:
    attendances = Attendance.objects.select_related("member__agency")
    return list(
        panel.meetings.prefetch_related(Prefetch("attendances", queryset=attendances))
    )


def papers_of(panel: Panel) -> list[Paper]:
    return list(panel.papers.select_related("meeting", "uploaded_by"))


def learning_of(panel: Panel) -> list[LearningItem]:
    return list(panel.learning.order_by("status", "-created_at", "-id"))


def actions_of(panel: Panel) -> list[Action]:
    return list(panel.actions.select_related("owner_agency", "owner"))


def open_actions_owned(panel: Panel, *, user) -> list[Action]:
    """The panel's actions not yet complete that name this person as owner."""
    actions = panel.actions.filter(owner=user).exclude(status=Action.Status.COMPLETE)
    return list(actions.order_by("due_on", "pk"))


def agency_left_without_members(member: PanelMember) -> int | None:
    """If this member is the last of their agency on the panel, how many open
    actions the agency owns there (no one would be left to update them);
    None while others from the agency remain."""
    panel = member.panel
    if panel.members.filter(agency=member.agency).exclude(pk=member.pk).exists():
        return None
    return (
        panel.actions.filter(owner_agency=member.agency)
        .exclude(status=Action.Status.COMPLETE)
        .count()
    )


def unanswered_checks(panel: Panel) -> list[ImpactCheck]:
    """Impact checks that are due and not yet answered, for the chair."""
    return list(
        ImpactCheck.objects.filter(
            action__panel=panel,
            answered_at__isnull=True,
            due_on__lte=timezone.localdate(),
        ).select_related("action__owner_agency", "action__owner")
    )


@dataclass
class RepresentationRow:
    agency_type: AgencyType
    members: int
    # One entry per held meeting: was anyone from this agency type present?
    present: list[bool] = field(default_factory=list)

    @property
    def represented(self) -> bool:
        return self.members > 0

    @property
    def attended(self) -> int:
        return sum(self.present)


@dataclass
class Representation:
    rows: list[RepresentationRow]
    held: list[Meeting]
    gaps: list[str]


def representation(
    panel: Panel, members: list[PanelMember], meetings: list[Meeting]
) -> Representation:
    """Needed agencies against those with a member and those present at each
    held meeting, with the gaps in words. Uses rows already loaded."""
    held = [m for m in meetings if m.attendance_recorded_at is not None]
    rows, gaps = [], []
    for agency_type in panel.needed_agencies.order_by("name"):
        count = sum(1 for m in members if m.agency.agency_type_id == agency_type.pk)
        present = [
            any(
                a.status == Attendance.Status.PRESENT
                and a.member.agency.agency_type_id == agency_type.pk
                for a in meeting.attendances.all()
            )
            for meeting in held
        ]
        row = RepresentationRow(agency_type=agency_type, members=count, present=present)
        rows.append(row)
        name = agency_type.name
        if not row.represented:
            gaps.append(_("No one from %(agency)s is on the panel") % {"agency": name})
        elif held and not row.attended:
            gaps.append(_("No one from %(agency)s has attended") % {"agency": name})
    return Representation(rows=rows, held=held, gaps=gaps)


def representation_across() -> list[dict]:
    """Per agency type: how many panels needed it, had a member from it, and
    had one of those members present at a meeting. One query."""
    through = Panel.needed_agencies.through
    member = PanelMember.objects.filter(
        panel=OuterRef("panel_id"), agency__agency_type=OuterRef("agencytype_id")
    )
    present = Attendance.objects.filter(
        member__panel=OuterRef("panel_id"),
        member__agency__agency_type=OuterRef("agencytype_id"),
        status=Attendance.Status.PRESENT,
    )
    return list(
        through.objects.annotate(has_member=Exists(member), was_present=Exists(present))
        .values("agencytype__name")
        .annotate(
            needed=Count("pk"),
            represented=Count("pk", filter=Q(has_member=True)),
            present=Count("pk", filter=Q(was_present=True)),
        )
        .order_by("agencytype__name")
    )


def chronology_of(panel: Panel, *, agency_id: int | None = None):
    entries = panel.chronology.select_related("agency", "added_by")
    if agency_id:
        entries = entries.filter(agency_id=agency_id)
    return entries.order_by("happened_on", "id")


def chronology_agencies(panel: Panel):
    from accounts.models import Organisation

    return Organisation.objects.filter(
        pk__in=ChronologyEntry.objects.filter(panel=panel).values("agency_id")
    ).order_by("name")


def action_page(action: Action) -> dict:
    evidence = action.evidence.select_related("submitted_by", "decided_by")
    return {
        "updates": list(action.updates.select_related("by")),
        "evidence": list(evidence.prefetch_related("files")),
        "impact_checks": list(action.impact_checks.select_related("answered_by")),
    }


# The learning library


def visible_learning(*, user) -> QuerySet[LearningItem]:
    """Disseminated learning the user may read: all of it for staff; for
    members, their panels' and what is shared with all partners."""
    items = LearningItem.objects.filter(status=LearningItem.Status.DISSEMINATED)
    if is_staff(user):
        return items
    if not user.has_role(Role.PANEL_MEMBER):
        return items.none()
    seats = PanelMember.objects.filter(panel=OuterRef("panel_id"), user=user)
    return items.filter(Q(all_partners=True) | Q(Exists(seats)))


SEARCH_FIELDS = ("title", "what_happened", "why", "learning", "recommendation")


def search_vector():
    """What the library searches: the title weighs most."""
    from django.contrib.postgres.search import SearchVector

    return SearchVector("title", weight="A", config="english") + SearchVector(
        *SEARCH_FIELDS[1:], weight="B", config="english"
    )


def _search(items: QuerySet, text: str) -> QuerySet:
    if connection.vendor == "postgresql":
        from django.contrib.postgres.search import SearchQuery, SearchRank

        query = SearchQuery(text, config="english", search_type="websearch")
        # The stored vector, found through its GIN index and ranked in the
        # row (see migration 0003), never recomputed per row.
        return (
            items.filter(search_vector=query)
            .annotate(rank=SearchRank(F("search_vector"), query))
            .order_by("-rank", "-disseminated_at", "-id")
        )
    # Each word somewhere in the item, in any order, as the full-text search
    # finds them (quotes and a leading minus mean nothing here).
    for word in text.replace('"', " ").split():
        word = word.lstrip("-")
        if not word:
            continue
        condition = Q()
        for name in SEARCH_FIELDS:
            condition |= Q(**{f"{name}__icontains": word})
        items = items.filter(condition)
    return items.order_by("-disseminated_at", "-id")


def library(
    *,
    user,
    text: str = "",
    themes=(),
    agency=None,
    level: str = "",
    year: int | None = None,
) -> QuerySet[LearningItem]:
    """The learning library, searched and filtered, best match (or newest)
    first. `themes` and `agency` are objects or ids."""
    items = visible_learning(user=user)
    if themes:
        # Any of the themes, each item once.
        items = items.filter(
            pk__in=LearningItem.themes.through.objects.filter(theme__in=themes).values(
                "learningitem_id"
            )
        )
    if agency is not None:
        items = items.filter(agencies=agency)
    if level:
        items = items.filter(level=level)
    if year:
        items = items.filter(disseminated_at__year=year)
    if text:
        return _search(items, text)
    return items.order_by("-disseminated_at", "-id")


# A search is counted up to this many matches, then shown as "more than": an
# exact count of a common word reads every match on every request.
LIBRARY_COUNT_CAP = 500
LIBRARY_PAGE_SIZE = 20
LEARNING_PREVIEW = 300


@dataclass(frozen=True)
class LibraryPage(KeysetPage):
    """One page of the library, for sfoqa's keyset pagination include: rows
    as dicts ready to show, neighbours' queries, and the count up to the cap."""

    count: int
    more: bool  # more matches than `count` (the cap)


def _page_number(text) -> int:
    try:
        number = int(text or 1)
    except (TypeError, ValueError):
        return 1
    return min(max(number, 1), 1_000_000)


def library_page(items: QuerySet, *, page, query, size: int | None = None):
    """A page of library(...): a capped count, the page's rows (one more, to
    know if there is a next page) and their themes and agencies, four
    queries whatever the number of items. `query` is the list's other
    parameters (a QueryDict), `page` the number asked for."""
    size = size or LIBRARY_PAGE_SIZE
    count = items.order_by().values("pk")[: LIBRARY_COUNT_CAP + 1].count()
    more = count > LIBRARY_COUNT_CAP
    count = min(count, LIBRARY_COUNT_CAP)
    number = _page_number(page)
    if not more:  # past the end shows the last page, as a paginator does
        number = min(number, max(1, -(-count // size)))

    def rows(start: int) -> list[dict]:
        # The page's ids in order first, then its rows by them: sorting the
        # matches (by rank, for a search) carries only their ids, and the
        # columns shown are read, and the preview cut, for the page's rows
        # alone rather than for every match. One query; the same rows.
        page_ids = items.values("pk")[start : start + size + 1]
        return list(
            items.filter(pk__in=page_ids)
            .annotate(preview=Left("learning", LEARNING_PREVIEW + 1))
            .values("pk", "title", "preview", "level", "disseminated_at")
        )

    shown = rows((number - 1) * size)
    if not shown and number > 1:  # far beyond the end of many: the first page
        number = 1
        shown = rows(0)
    has_next = len(shown) > size
    shown = shown[:size]
    _library_rows(shown)

    def link(number: int) -> str:
        linked = query.copy()
        linked["page"] = number
        return linked.urlencode()

    return LibraryPage(
        object_list=shown,
        number=number,
        count=count,
        more=more,
        next_query=link(number + 1) if has_next else "",
        previous_query=link(number - 1) if number > 1 else "",
    )


def _library_rows(rows: list[dict]) -> None:
    """What each row shows, formatted here rather than per cell in the
    template: its address, a preview, its themes and agencies, level, date."""
    ids = [row["pk"] for row in rows]
    names = {"themes": {}, "agencies": {}}
    for kind, through, name in (
        ("themes", LearningItem.themes.through, "theme__name"),
        ("agencies", LearningItem.agencies.through, "agencytype__name"),
    ):
        pairs = through.objects.filter(learningitem_id__in=ids).order_by(name, "pk")
        for item_id, text in pairs.values_list("learningitem_id", name):
            names[kind].setdefault(item_id, []).append(text)
    levels = dict(LearningItem._meta.get_field("level").flatchoices)
    none = _("None")
    for row in rows:
        preview = row.pop("preview")
        if len(preview) > LEARNING_PREVIEW:
            preview = preview[: LEARNING_PREVIEW - 1] + "…"
        row.update(
            url=reverse("panels:learning_detail", kwargs={"pk": row["pk"]}),
            learning=preview,
            level=levels.get(row["level"], row["level"]),
            disseminated=format_date(row["disseminated_at"]),
            themes=", ".join(names["themes"].get(row["pk"], ())) or none,
            agencies=", ".join(names["agencies"].get(row["pk"], ())) or none,
        )


def library_choices() -> tuple[list, list]:
    """The library form's themes and agencies, (id, slug, name) by name, in
    one query."""
    columns = ("kind", "pk", "slug", "name")
    themes = Theme.objects.order_by().annotate(kind=Value(1)).values_list(*columns)
    agencies = AgencyType.objects.order_by().annotate(kind=Value(2))
    both = themes.union(agencies.values_list(*columns), all=True)
    chosen = {1: [], 2: []}
    for kind, pk, slug, name in both.order_by("kind", "name", "pk"):
        chosen[kind].append((pk, slug, name))
    return chosen[1], chosen[2]


def library_years() -> list[int]:
    """The years from the first dissemination to the last, newest first
    (two index lookups, where listing the distinct years reads every row)."""
    span = LearningItem.objects.filter(
        status=LearningItem.Status.DISSEMINATED
    ).aggregate(first=Min("disseminated_at"), last=Max("disseminated_at"))
    if span["first"] is None:
        return []
    first, last = (timezone.localtime(span[k]).year for k in ("first", "last"))
    return list(range(last, first - 1, -1))


def library_count_for_themes(*, user, theme_ids) -> int:
    """How many library items carry any of these themes."""
    if not theme_ids:
        return 0
    return visible_learning(user=user).filter(themes__in=theme_ids).distinct().count()


def learning_timeline(item: LearningItem, *, show_actions: bool) -> list[dict]:
    """The story of a learning item in date order: where it came from, its
    approval and dissemination, and (for those who see the panel) the
    actions it led to, their evidence and impact checks."""
    events = []

    def add(when, title, text="", url_name="", pk=None):
        if when is not None:
            if not isinstance(when, datetime):
                when = timezone.make_aware(datetime.combine(when, datetime.min.time()))
            events.append(
                {"at": when, "title": title, "text": text, "url": url_name, "pk": pk}
            )

    if item.source_finding_id:
        finding = item.source_finding
        add(finding.created_at, _("Quality assurance finding recorded"))
    if item.source_meeting_id:
        add(item.source_meeting.starts_at, _("Discussed at a panel meeting"))
    add(item.created_at, _("Learning drafted"))
    add(item.approved_at, _("Approved by the chair"))
    add(item.disseminated_at, _("Disseminated to the learning library"))
    if show_actions:
        updates = ActionUpdate.objects.filter(action__learning_item=item)
        for update in updates.select_related("action"):
            add(
                update.at,
                update.get_kind_display(),
                update.action.what,
                "panels:action_detail",
                update.action_id,
            )
    return sorted(events, key=lambda event: event["at"])


# Roll-ups


def _actions_figures(actions: QuerySet, group: str) -> QuerySet:
    today = timezone.localdate()
    complete = Q(status=Action.Status.COMPLETE)
    impact = ImpactCheck.objects.filter(
        action=OuterRef("pk"),
        practice_changed__in=[ImpactCheck.Changed.YES, ImpactCheck.Changed.PARTLY],
    )
    return (
        actions.annotate(has_impact=Exists(impact))
        .values(group)
        .annotate(
            total=Count("pk", distinct=True),
            complete=Count("pk", filter=complete, distinct=True),
            overdue=Count("pk", filter=~complete & Q(due_on__lt=today), distinct=True),
            impact=Count("pk", filter=Q(has_impact=True), distinct=True),
        )
        .order_by(group)
    )


def progress_by(group: str) -> list[dict]:
    """Actions complete, overdue and with impact shown, per panel, owner
    agency or theme of the learning they follow from. Counted in SQL."""
    key = {
        "panel": "panel__title",
        "agency": "owner_agency__name",
        "theme": "learning_item__themes__name",
    }[group]
    rows = _actions_figures(Action.objects.all(), key)
    return [
        {
            "label": row[key] or _("No theme"),
            "total": row["total"],
            "complete": row["complete"],
            "overdue": row["overdue"],
            "impact": row["impact"],
            "complete_percent": round(100 * row["complete"] / row["total"])
            if row["total"]
            else 0,
        }
        for row in rows
    ]


# The panel member's home page


def member_home(*, user) -> dict:
    """A partner's panels, their next meeting, their agency's actions due
    or overdue, and learning disseminated in the last month."""
    panels = list(panels_for(user=user).order_by("title"))
    panel_ids = [panel.pk for panel in panels]
    now = timezone.now()
    next_meeting = (
        Meeting.objects.filter(panel_id__in=panel_ids, starts_at__gte=now)
        .select_related("panel")
        .order_by("starts_at")
        .first()
    )
    seats = PanelMember.objects.filter(panel=OuterRef("panel_id"), user=user)
    agency_seats = seats.filter(agency=OuterRef("owner_agency_id"))
    due = (
        Action.objects.filter(Q(owner=user) | Q(Exists(agency_seats)))
        .exclude(status=Action.Status.COMPLETE)
        .filter(due_on__lte=timezone.localdate() + timedelta(days=DUE_SOON_DAYS))
        .select_related("panel", "owner_agency", "owner")
        .order_by("due_on", "id")
    )
    new_learning = (
        visible_learning(user=user)
        .filter(disseminated_at__gte=now - timedelta(days=NEW_LEARNING_DAYS))
        .select_related("panel")
        .order_by("-disseminated_at", "-id")[:10]
    )
    return {
        "panels": panels,
        # Only asked when there is no panel: to say "no longer", not "not yet".
        "was_removed": not panels
        and PanelMember.every_seat.filter(user=user, removed_at__isnull=False).exists(),
        "next_meeting": next_meeting,
        "actions_due": list(due),
        "new_learning": list(new_learning),
    }


def evidence_waiting(panel: Panel) -> list[Evidence]:
    return list(
        Evidence.objects.filter(
            action__panel=panel, decision=Evidence.Decision.PENDING
        ).select_related("action", "submitted_by")
    )

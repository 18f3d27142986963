"""
Multi-agency learning panels: who sits on them and which agencies they need,
meetings and attendance, papers, chronology, learning items and the actions
agencies own, with evidence of completion and impact checks months later.
"""

from datetime import date, timedelta

from django.conf import settings
from django.contrib.postgres.search import SearchVectorField
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Level(models.TextChoices):
    """Who the learning is for: the same levels as QA findings."""

    INDIVIDUAL = "individual", _("Individual")
    TEAM = "team", _("Team")
    REGION = "region", _("Region")
    NATIONAL = "national", _("National")
    PARTNER = "partner", _("Partner agency")


class StoredFile(models.Model):
    """A document stored through `sfoqa.uploads` under a generated name."""

    class ScanStatus(models.TextChoices):
        PENDING = "pending", _("Waiting for virus scan")
        CLEAN = "clean", _("No virus found")
        NOT_SCANNED = "not_scanned", _("Not scanned")
        INFECTED = "infected", _("Virus found")
        ERROR = "error", _("Virus scan failed")

    storage_name = models.CharField(max_length=255, unique=True)
    display_name = models.CharField(_("file name"), max_length=200)
    kind = models.CharField(_("file type"), max_length=10)
    content_type = models.CharField(max_length=100)
    size = models.PositiveBigIntegerField(_("size"))
    sha256 = models.CharField(max_length=64)
    scan_status = models.CharField(
        _("virus scan"),
        max_length=20,
        choices=ScanStatus.choices,
        default=ScanStatus.PENDING,
    )
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    uploaded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        abstract = True

    @property
    def downloadable(self) -> bool:
        return self.scan_status in (self.ScanStatus.CLEAN, self.ScanStatus.NOT_SCANNED)

    @property
    def is_pdf(self) -> bool:
        return self.kind == "pdf"


class Panel(models.Model):
    class Status(models.TextChoices):
        PLANNING = "planning", _("Planning")
        ACTIVE = "active", _("Active")
        CLOSED = "closed", _("Closed")

    title = models.CharField(_("title"), max_length=200)
    reviews = models.ManyToManyField(
        "reviews.Review", verbose_name=_("SFO reviews"), blank=True, related_name="+"
    )
    region = models.ForeignKey(
        "reviews.Region",
        verbose_name=_("region"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    chair = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("chair"),
        on_delete=models.PROTECT,
        related_name="chaired_panels",
    )
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.PLANNING
    )
    needed_agencies = models.ManyToManyField(
        "accounts.AgencyType",
        verbose_name=_("agencies the panel needs"),
        related_name="needed_by_panels",
    )
    # Written by the chair for partners: no names, no CRN.
    case_summary = models.TextField(_("anonymised case summary"), blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    closed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["status", "-created_at"])]

    def __str__(self):
        return self.title

    STATUS_COLOURS = {"planning": "blue", "active": "green", "closed": "grey"}

    @property
    def status_colour(self) -> str:
        return self.STATUS_COLOURS.get(self.status, "grey")

    @property
    def is_closed(self) -> bool:
        return self.status == self.Status.CLOSED

    @property
    def papers_open_to_members_until(self):
        """When members stop seeing the papers (None while the panel is open)."""
        if not self.is_closed or self.closed_at is None:
            return None
        return self.closed_at + timedelta(days=settings.PANEL_PAPERS_VISIBLE_DAYS)


class CurrentSeats(models.Manager):
    """Seats of people still on their panel: what every permission check,
    list, count and email reads, so a removed member loses access at once."""

    def get_queryset(self):
        return super().get_queryset().filter(removed_at__isnull=True)


class PanelMember(models.Model):
    """A named partner on a panel, from one agency organisation. Removing a
    member keeps the row (their attendance at past meetings is history),
    marked removed; `objects` and the related managers no longer see it."""

    panel = models.ForeignKey(Panel, on_delete=models.CASCADE, related_name="members")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="panel_seats"
    )
    agency = models.ForeignKey(
        "accounts.Organisation",
        verbose_name=_("agency"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    added_at = models.DateTimeField(default=timezone.now)
    removed_at = models.DateTimeField(null=True, blank=True)
    removed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )

    # Removed seats too: for history, and to seat a removed member again.
    every_seat = models.Manager()
    objects = CurrentSeats()

    class Meta:
        default_manager_name = "objects"
        base_manager_name = "every_seat"
        ordering = ["panel", "agency__name", "user__full_name"]
        constraints = [
            models.UniqueConstraint(fields=["panel", "user"], name="one_seat_per_user")
        ]

    def __str__(self):
        return f"{self.user_id} on {self.panel_id}"


class Meeting(models.Model):
    panel = models.ForeignKey(Panel, on_delete=models.CASCADE, related_name="meetings")
    starts_at = models.DateTimeField(_("date and time"))
    place = models.CharField(_("place"), max_length=300, blank=True)
    link = models.URLField(_("online meeting link"), max_length=500, blank=True)
    # One agenda item a line.
    agenda = models.TextField(_("agenda"), blank=True)
    minutes = models.TextField(_("minutes"), blank=True)
    attendance_recorded_at = models.DateTimeField(null=True, blank=True)
    # Bumped on each change, so calendar invitations replace the old one.
    sequence = models.PositiveIntegerField(default=0)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["panel", "starts_at", "id"]

    def __str__(self):
        return f"{self.panel_id} {self.starts_at:%Y-%m-%d %H:%M}"

    @property
    def agenda_items(self) -> list[str]:
        return [line.strip() for line in self.agenda.splitlines() if line.strip()]

    @property
    def is_past(self) -> bool:
        return self.starts_at < timezone.now()


class Attendance(models.Model):
    class Status(models.TextChoices):
        PRESENT = "present", _("Present")
        APOLOGIES = "apologies", _("Sent apologies")
        ABSENT = "absent", _("Absent")

    meeting = models.ForeignKey(
        Meeting, on_delete=models.CASCADE, related_name="attendances"
    )
    member = models.ForeignKey(
        PanelMember, on_delete=models.CASCADE, related_name="attendances"
    )
    status = models.CharField(_("attendance"), max_length=10, choices=Status.choices)

    class Meta:
        ordering = ["meeting", "member"]
        constraints = [
            models.UniqueConstraint(
                fields=["meeting", "member"], name="one_attendance_per_member"
            )
        ]

    def __str__(self):
        return f"{self.member_id} {self.status} at {self.meeting_id}"


class Paper(StoredFile):
    class Kind(models.TextChoices):
        AGENDA = "agenda", _("Agenda")
        SUMMARY = "summary", _("Case summary")
        CHRONOLOGY = "chronology", _("Chronology")
        MINUTES = "minutes", _("Minutes")
        BRIEFING = "briefing", _("Briefing")
        OTHER = "other", _("Other paper")

    panel = models.ForeignKey(Panel, on_delete=models.CASCADE, related_name="papers")
    meeting = models.ForeignKey(
        Meeting,
        verbose_name=_("meeting"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="papers",
    )
    paper_kind = models.CharField(
        _("kind of paper"), max_length=12, choices=Kind.choices
    )
    title = models.CharField(_("title"), max_length=200)

    class Meta:
        ordering = ["panel", "-uploaded_at", "-id"]

    def __str__(self):
        return self.title


class ChronologyEntry(models.Model):
    """What one agency knew or did, and when, for the merged timeline."""

    panel = models.ForeignKey(
        Panel, on_delete=models.CASCADE, related_name="chronology"
    )
    agency = models.ForeignKey(
        "accounts.Organisation",
        verbose_name=_("agency"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    happened_on = models.DateField(_("date"))
    what = models.TextField(_("what happened"))
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    added_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["panel", "happened_on", "id"]
        verbose_name_plural = _("chronology entries")

    def __str__(self):
        return f"{self.panel_id} {self.happened_on}"


class LearningItem(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        APPROVED = "approved", _("Approved")
        DISSEMINATED = "disseminated", _("Disseminated")

    panel = models.ForeignKey(Panel, on_delete=models.CASCADE, related_name="learning")
    title = models.CharField(_("title"), max_length=200)
    what_happened = models.TextField(_("what happened"))
    why = models.TextField(_("why it happened (contributing factors)"))
    learning = models.TextField(_("the learning"))
    recommendation = models.TextField(_("recommendation"), blank=True)
    themes = models.ManyToManyField(
        "ratings.Theme", verbose_name=_("themes"), blank=True, related_name="+"
    )
    level = models.CharField(_("level"), max_length=12, choices=Level.choices)
    agencies = models.ManyToManyField(
        "accounts.AgencyType",
        verbose_name=_("agencies it concerns"),
        blank=True,
        related_name="+",
    )
    source_finding = models.ForeignKey(
        "ratings.Finding",
        verbose_name=_("QA finding it came from"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    source_meeting = models.ForeignKey(
        Meeting,
        verbose_name=_("meeting it came from"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="learning",
    )
    all_partners = models.BooleanField(_("share with all partners"), default=False)
    status = models.CharField(
        _("status"), max_length=12, choices=Status.choices, default=Status.DRAFT
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    approved_at = models.DateTimeField(null=True, blank=True)
    disseminated_at = models.DateTimeField(null=True, blank=True)
    # The library's full-text index, kept on PostgreSQL only (a GIN index made
    # by the migration there); SQLite searches the text fields directly.
    search_vector = SearchVectorField(null=True, editable=False)

    class Meta:
        ordering = ["-disseminated_at", "-created_at", "-id"]
        indexes = [models.Index(fields=["status", "-disseminated_at"])]

    def __str__(self):
        return self.title

    STATUS_COLOURS = {"draft": "grey", "approved": "blue", "disseminated": "green"}

    @property
    def status_colour(self) -> str:
        return self.STATUS_COLOURS.get(self.status, "grey")


class Action(models.Model):
    class Status(models.TextChoices):
        OPEN = "open", _("Open")
        IN_PROGRESS = "in_progress", _("In progress")
        EVIDENCE_SUBMITTED = "evidence_submitted", _("Evidence submitted")
        COMPLETE = "complete", _("Complete")
        RETURNED = "returned", _("Returned")

    panel = models.ForeignKey(Panel, on_delete=models.CASCADE, related_name="actions")
    learning_item = models.ForeignKey(
        LearningItem,
        verbose_name=_("learning it follows from"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="actions",
    )
    what = models.TextField(_("what is to be done"))
    owner_agency = models.ForeignKey(
        "accounts.Organisation",
        verbose_name=_("owner agency"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("named owner"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="panel_actions",
    )
    due_on = models.DateField(_("due date"))
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.OPEN
    )
    progress = models.PositiveSmallIntegerField(_("progress (%)"), default=0)
    completed_at = models.DateTimeField(null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["due_on", "id"]
        indexes = [models.Index(fields=["status", "due_on"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(progress__lte=100), name="progress_at_most_100"
            )
        ]

    def __str__(self):
        return self.what[:60]

    STATUS_COLOURS = {
        "open": "blue",
        "in_progress": "light-blue",
        "evidence_submitted": "yellow",
        "complete": "green",
        "returned": "orange",
    }

    @property
    def status_colour(self) -> str:
        return self.STATUS_COLOURS.get(self.status, "grey")

    @property
    def is_complete(self) -> bool:
        return self.status == self.Status.COMPLETE

    @property
    def is_overdue(self) -> bool:
        return not self.is_complete and self.due_on < timezone.localdate()

    @property
    def rag(self) -> str:
        """Red if overdue, amber if due within a fortnight and under half
        done (or returned), otherwise green."""
        if self.is_complete:
            return "green"
        today = timezone.localdate()
        if self.due_on < today:
            return "red"
        if self.status == self.Status.RETURNED or (
            self.due_on <= today + timedelta(days=14) and self.progress < 50
        ):
            return "amber"
        return "green"

    RAG_LABELS = {"red": _("Red"), "amber": _("Amber"), "green": _("Green")}
    RAG_COLOURS = {"red": "red", "amber": "yellow", "green": "green"}

    @property
    def rag_label(self) -> str:
        return str(self.RAG_LABELS[self.rag])

    @property
    def rag_colour(self) -> str:
        return self.RAG_COLOURS[self.rag]


class ActionUpdate(models.Model):
    """One entry on an action's timeline."""

    class Kind(models.TextChoices):
        CREATED = "created", _("Action agreed")
        PROGRESS = "progress", _("Progress updated")
        EVIDENCE = "evidence", _("Evidence of completion submitted")
        ACCEPTED = "accepted", _("Evidence accepted: action complete")
        RETURNED = "returned", _("Evidence returned")
        IMPACT = "impact", _("Impact check answered")
        UNOWNED = "unowned", _("Named owner removed from the panel")

    action = models.ForeignKey(Action, on_delete=models.CASCADE, related_name="updates")
    kind = models.CharField(max_length=10, choices=Kind.choices)
    text = models.TextField(blank=True)
    progress = models.PositiveSmallIntegerField(null=True, blank=True)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["action", "at", "id"]

    def __str__(self):
        return f"{self.action_id} {self.kind}"


class Evidence(models.Model):
    """Evidence of completion an owner agency submits; the chair decides."""

    class Decision(models.TextChoices):
        PENDING = "pending", _("Waiting for the chair")
        ACCEPTED = "accepted", _("Accepted")
        RETURNED = "returned", _("Returned")

    action = models.ForeignKey(
        Action, on_delete=models.CASCADE, related_name="evidence"
    )
    text = models.TextField(_("evidence"))
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    submitted_at = models.DateTimeField(default=timezone.now)
    decision = models.CharField(
        max_length=10, choices=Decision.choices, default=Decision.PENDING
    )
    reason = models.TextField(_("reason for returning it"), blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    decided_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["action", "-submitted_at", "-id"]
        verbose_name_plural = _("evidence")

    def __str__(self):
        return f"Evidence {self.pk} for {self.action_id}"


class EvidenceFile(StoredFile):
    evidence = models.ForeignKey(
        Evidence, on_delete=models.CASCADE, related_name="files"
    )

    class Meta:
        ordering = ["evidence", "uploaded_at", "id"]

    def __str__(self):
        return self.display_name


class ImpactCheck(models.Model):
    """Months after completion: has practice changed, and what shows it?"""

    class Changed(models.TextChoices):
        YES = "yes", _("Yes")
        PARTLY = "partly", _("Partly")
        NO = "no", _("No")

    action = models.ForeignKey(
        Action, on_delete=models.CASCADE, related_name="impact_checks"
    )
    months = models.PositiveSmallIntegerField(_("months after completion"))
    due_on = models.DateField(_("due"))
    asked_at = models.DateTimeField(null=True, blank=True)
    practice_changed = models.CharField(
        _("has practice changed?"), max_length=6, choices=Changed.choices, blank=True
    )
    answer = models.TextField(_("what shows it"), blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    answered_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["action", "months"]
        constraints = [
            models.UniqueConstraint(
                fields=["action", "months"], name="one_impact_check_per_interval"
            )
        ]

    def __str__(self):
        return f"{self.action_id} at {self.months} months"

    @property
    def is_answered(self) -> bool:
        return self.answered_at is not None

    @property
    def is_due(self) -> bool:
        return not self.is_answered and self.due_on <= timezone.localdate()

    @property
    def shows_impact(self) -> bool:
        return self.practice_changed in (self.Changed.YES, self.Changed.PARTLY)


class ThemeSubscription(models.Model):
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="theme_subscriptions",
    )
    theme = models.ForeignKey(
        "ratings.Theme", on_delete=models.CASCADE, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["user", "theme__name"]
        constraints = [
            models.UniqueConstraint(
                fields=["user", "theme"], name="one_subscription_per_theme"
            )
        ]

    def __str__(self):
        return f"{self.user_id} follows {self.theme_id}"


class WeeklyEmail(models.Model):
    """A weekly email sent to one person, so it goes at most once a week."""

    class Kind(models.TextChoices):
        ACTION_REMINDER = "action_reminder", _("Actions due or overdue")
        LEARNING_DIGEST = "learning_digest", _("New learning on your themes")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    kind = models.CharField(max_length=20, choices=Kind.choices)
    # The Monday of the week it was sent in (UK time).
    week = models.DateField()
    sent_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-week", "user"]
        constraints = [
            models.UniqueConstraint(
                fields=["user", "kind", "week"], name="one_weekly_email_per_week"
            )
        ]

    def __str__(self):
        return f"{self.kind} to {self.user_id} in week of {self.week}"


def week_of(day: date) -> date:
    """The Monday of the week `day` falls in."""
    return day - timedelta(days=day.weekday())

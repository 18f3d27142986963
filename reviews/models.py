"""SFO reviews from HMPPS, their documents, sample rounds and allocations."""

import re

from django.conf import settings
from django.core.validators import RegexValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from sfoqa.dates import uk_today

CRN_PATTERN = re.compile(r"^[A-Z][0-9]{6}$")
crn_validator = RegexValidator(
    CRN_PATTERN, _("Enter a CRN in the correct format, like X123456")
)


def mask_crn(crn: str) -> str:
    """Show only the first three characters of a CRN, e.g. "X12••••"."""
    return crn[:3] + "•" * max(len(crn) - 3, 0)


class ReferenceItem(models.Model):
    """An editable item of reference data (admins change these, not code)."""

    name = models.CharField(_("name"), max_length=120)
    slug = models.SlugField(_("code"), max_length=120, unique=True)
    position = models.PositiveSmallIntegerField(_("position in lists"), default=0)
    is_active = models.BooleanField(_("offered in forms"), default=True)

    class Meta:
        abstract = True
        ordering = ["position", "name"]

    def __str__(self):
        return self.name


class Region(ReferenceItem):
    class Meta(ReferenceItem.Meta):
        verbose_name = _("probation region")


class DeliveryUnit(ReferenceItem):
    """A probation delivery unit (PDU) within a region."""

    region = models.ForeignKey(
        Region,
        verbose_name=_("region"),
        on_delete=models.PROTECT,
        related_name="delivery_units",
    )

    class Meta(ReferenceItem.Meta):
        verbose_name = _("probation delivery unit")


class OffenceCategory(ReferenceItem):
    class Meta(ReferenceItem.Meta):
        verbose_name = _("offence category")
        verbose_name_plural = _("offence categories")


class SupervisionType(ReferenceItem):
    class Meta(ReferenceItem.Meta):
        verbose_name = _("supervision type")


class MappaCategory(ReferenceItem):
    class Meta(ReferenceItem.Meta):
        verbose_name = _("MAPPA category")
        verbose_name_plural = _("MAPPA categories")


class MappaLevel(ReferenceItem):
    class Meta(ReferenceItem.Meta):
        verbose_name = _("MAPPA level")


class RiskLevel(ReferenceItem):
    class Meta(ReferenceItem.Meta):
        verbose_name = _("risk of serious harm level")


# The columns of a row of the review list besides its order (the selectors'
# LIST_VALUES), held in the list's indexes.
LISTED_COLUMNS = [
    "hmpps_reference",
    "crn",
    "region",
    "offence_category",
    "due_date",
    "submitted_date",
    "status",
]


class Review(models.Model):
    """One SFO review sent by HMPPS, with the facts of the case."""

    class Status(models.TextChoices):
        RECEIVED = "received", _("Received")
        SAMPLED = "sampled", _("Sampled")
        NOT_SAMPLED = "not_sampled", _("Not sampled")
        ALLOCATED = "allocated", _("Allocated")
        IN_QA = "in_qa", _("In quality assurance")
        PUBLISHED = "published", _("Published")

    class Conviction(models.TextChoices):
        AWAITING = "awaiting", _("Awaiting trial or sentence")
        CONVICTED = "convicted", _("Convicted of the SFO")
        CONVICTED_OTHER = "convicted_other", _("Convicted of a different offence")
        NOT_CONVICTED = "not_convicted", _("Not convicted")

    hmpps_reference = models.CharField(_("HMPPS reference"), max_length=40, unique=True)
    crn = models.CharField(_("CRN"), max_length=7, validators=[crn_validator])
    organisation = models.ForeignKey(
        "accounts.Organisation",
        verbose_name=_("sent by organisation"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("uploaded by"),
        on_delete=models.PROTECT,
        null=True,
        related_name="+",
    )
    region = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="reviews")
    delivery_unit = models.ForeignKey(
        DeliveryUnit, verbose_name=_("PDU"), on_delete=models.PROTECT, related_name="+"
    )
    offence_category = models.ForeignKey(
        OffenceCategory, on_delete=models.PROTECT, related_name="+"
    )
    inchoate = models.BooleanField(_("attempt or conspiracy"), default=False)
    supervision_type = models.ForeignKey(
        SupervisionType, on_delete=models.PROTECT, related_name="+"
    )
    mappa_category = models.ForeignKey(
        MappaCategory, on_delete=models.PROTECT, related_name="+"
    )
    mappa_level = models.ForeignKey(
        MappaLevel, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    risk_level = models.ForeignKey(
        RiskLevel, on_delete=models.PROTECT, related_name="+"
    )
    offence_date = models.DateField(_("offence date"))
    charge_date = models.DateField(_("charge date"))
    first_court_date = models.DateField(_("first court appearance"))
    notification_date = models.DateField(_("notification date"))
    commissioned_date = models.DateField(_("review commissioned"))
    target_date = models.DateField(_("original target date"))
    # The target date after extensions; kept by the services so that
    # timeliness aggregates and the overdue filter stay in SQL.
    due_date = models.DateField(_("target date after extensions"), db_index=True)
    submitted_date = models.DateField(_("submitted by HMPPS"))
    received_on = models.DateField(_("received"), db_index=True)
    received_at = models.DateTimeField(_("received at"), default=timezone.now)
    reviewing_manager = models.CharField(_("reviewing manager"), max_length=200)
    countersigning_manager = models.CharField(
        _("countersigning manager"), max_length=200
    )
    conviction = models.CharField(
        _("conviction outcome"),
        max_length=20,
        choices=Conviction.choices,
        default=Conviction.AWAITING,
    )
    victim_summary_requested_on = models.DateField(
        _("victim summary requested"), null=True, blank=True
    )
    victim_summary_disclosed_on = models.DateField(
        _("victim summary disclosed"), null=True, blank=True
    )
    family_meeting_offered = models.BooleanField(_("family meeting offered"))
    family_meeting_held = models.BooleanField(_("family meeting held"))
    # Changed only by services.
    status = models.CharField(
        _("status"),
        max_length=20,
        choices=Status.choices,
        default=Status.RECEIVED,
        db_index=True,
    )
    inspector = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("allocated to"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="allocated_reviews",
    )

    class Meta:
        ordering = ["-received_on", "-id"]
        indexes = [
            # The review list in its default order, and a region's (the
            # filter most used) by year: each holds every column a row of
            # the list shows, so a page is read from the index alone, as
            # quickly at page 200 as at page 1, without a visit to the table
            # for each of its rows.
            models.Index(
                fields=["-received_on", "-id"],
                include=LISTED_COLUMNS,
                name="review_received_idx",
            ),
            models.Index(
                fields=["region", "-received_on", "-id"],
                include=[c for c in LISTED_COLUMNS if c != "region"],
                name="review_region_received_idx",
            ),
            # The list's "target date" sort pages by (due date, id).
            models.Index(fields=["due_date", "id"], name="review_due_idx"),
            models.Index(
                fields=["organisation", "-received_on"], name="review_org_received_idx"
            ),
            models.Index(
                fields=["offence_category", "-received_on"],
                name="review_offence_received_idx",
            ),
            models.Index(
                fields=["status", "-received_on"], name="review_status_received_idx"
            ),
            # Prefix searches by reference (LIKE 'X%') on PostgreSQL.
            models.Index(
                fields=["hmpps_reference"],
                name="review_reference_like_idx",
                opclasses=["varchar_pattern_ops"],
            ),
        ]

    def __str__(self):
        return self.hmpps_reference

    @property
    def masked_crn(self) -> str:
        return mask_crn(self.crn)

    @property
    def is_overdue(self) -> bool:
        return self.submitted_date > self.due_date

    @property
    def days_late(self) -> int:
        return max((self.submitted_date - self.due_date).days, 0)

    STATUS_COLOURS = {
        Status.RECEIVED: "blue",
        Status.SAMPLED: "yellow",
        Status.NOT_SAMPLED: "grey",
        Status.ALLOCATED: "purple",
        Status.IN_QA: "purple",
        Status.PUBLISHED: "green",
    }

    @property
    def status_colour(self) -> str:
        """The GOV.UK tag colour for the status."""
        return self.STATUS_COLOURS.get(self.status, "grey")

    @property
    def status_label(self) -> str:
        # An enum lookup: get_status_display() hashes every lazy label.
        return str(self.Status(self.status).label)

    @property
    def hmpps_status(self) -> str:
        """The status as HMPPS sees it: inspectors' work shows as in QA."""
        if self.status in (self.Status.ALLOCATED, self.Status.IN_QA):
            return str(self.Status.IN_QA.label)
        return self.status_label


class Extension(models.Model):
    """An extension of a review's target date, as HMPPS agreed it."""

    review = models.ForeignKey(
        Review, on_delete=models.CASCADE, related_name="extensions"
    )
    reason = models.TextField(_("reason"), max_length=2000)
    new_target_date = models.DateField(_("new target date"))
    agreed_by = models.CharField(_("agreed by"), max_length=200)
    agreed_on = models.DateField(_("agreed on"))
    recorded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["agreed_on", "id"]

    def __str__(self):
        return f"{self.review_id}: {self.new_target_date}"


class DocumentVersion(models.Model):
    """One stored file of one version of a review (a resubmission is a new
    version number). Ratings attach to a version."""

    class DocumentType(models.TextChoices):
        REVIEW = "review", _("SFO review")
        ACTION_PLAN = "action_plan", _("Action plan")

    class ScanStatus(models.TextChoices):
        PENDING = "pending", _("Waiting for virus scan")
        CLEAN = "clean", _("No virus found")
        NOT_SCANNED = "not_scanned", _("Not scanned")
        INFECTED = "infected", _("Virus found")
        ERROR = "error", _("Virus scan failed")

    review = models.ForeignKey(
        Review, on_delete=models.CASCADE, related_name="documents"
    )
    number = models.PositiveSmallIntegerField(_("version"))
    document_type = models.CharField(
        _("document"), max_length=20, choices=DocumentType.choices
    )
    storage_name = models.CharField(max_length=255, unique=True)
    display_name = models.CharField(_("file name"), max_length=200)
    kind = models.CharField(_("file type"), max_length=10)
    content_type = models.CharField(max_length=100)
    size = models.PositiveBigIntegerField(_("size"))
    sha256 = models.CharField(max_length=64, unique=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    uploaded_at = models.DateTimeField(default=timezone.now)
    scan_status = models.CharField(
        _("virus scan"),
        max_length=20,
        choices=ScanStatus.choices,
        default=ScanStatus.PENDING,
    )

    class Meta:
        ordering = ["-number", "document_type"]
        constraints = [
            models.UniqueConstraint(
                fields=["review", "number", "document_type"],
                name="one_document_of_each_type_per_version",
            )
        ]

    def __str__(self):
        return f"{self.review_id} v{self.number} {self.document_type}"

    @property
    def downloadable(self) -> bool:
        return self.scan_status in (self.ScanStatus.CLEAN, self.ScanStatus.NOT_SCANNED)


class ReviewEvent(models.Model):
    """One thing that happened to a review, for its timeline. Append-only:
    written by services, never changed."""

    class Kind(models.TextChoices):
        RECEIVED = "received", _("Review received")
        VERSION_ADDED = "version_added", _("New version received")
        EXTENSION_ADDED = "extension_added", _("Extension recorded")
        SAMPLED = "sampled", _("Sampled for quality assurance")
        NOT_SAMPLED = "not_sampled", _("Not sampled")
        ALLOCATED = "allocated", _("Allocated to an inspector")
        NO_CONFLICT = "no_conflict", _("Inspector declared no conflict of interest")
        CONFLICT = "conflict", _("Inspector declared a conflict of interest")
        QA_STARTED = "qa_started", _("Quality assurance started")
        QA_SUBMITTED = "qa_submitted", _("Assessment submitted for moderation")
        QA_RETURNED = "qa_returned", _("Assessment returned to the inspector")
        QA_SIGNED_OFF = "qa_signed_off", _("Assessment signed off")
        PUBLISHED = "published", _("Quality assurance report published")

    # Events HMPPS users see; the rest is the inspectorate's own work.
    HMPPS_KINDS = (
        Kind.RECEIVED,
        Kind.VERSION_ADDED,
        Kind.EXTENSION_ADDED,
        Kind.SAMPLED,
        Kind.NOT_SAMPLED,
        Kind.PUBLISHED,
    )

    review = models.ForeignKey(Review, on_delete=models.CASCADE, related_name="events")
    kind = models.CharField(max_length=30, choices=Kind.choices)
    at = models.DateTimeField(default=timezone.now)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    # Structured facts only (version numbers, dates, round ids).
    details = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["at", "id"]
        indexes = [models.Index(fields=["review", "at"])]

    def __str__(self):
        return f"{self.review_id} {self.kind}"


class SampleRound(models.Model):
    """A seeded, stratified draw of reviews for quality assurance."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        CONFIRMED = "confirmed", _("Confirmed")
        # Kept, not deleted: the round log shows every draw and its seed.
        DISCARDED = "discarded", _("Discarded")

    period_start = models.DateField(_("received from"))
    period_end = models.DateField(_("received to"))
    target_percent = models.PositiveSmallIntegerField(_("target percentage"))
    seed = models.BigIntegerField(_("random seed"))
    status = models.CharField(
        max_length=10, choices=Status.choices, default=Status.DRAFT
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    confirmed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self):
        return f"{self.period_start} to {self.period_end}"

    @property
    def is_draft(self) -> bool:
        return self.status == self.Status.DRAFT

    @property
    def status_label(self) -> str:
        """The status's words, translating only its own (get_status_display
        translates every choice's to look one up)."""
        return str(self.Status(self.status).label)

    @property
    def status_colour(self) -> str:
        return SAMPLE_ROUND_COLOURS.get(self.status, "grey")


SAMPLE_ROUND_COLOURS = {
    SampleRound.Status.DRAFT: "yellow",
    SampleRound.Status.CONFIRMED: "green",
}


def sample_percent(selected: int, population: int) -> float:
    """A sample as a percentage of its population, to one place (0 of none)."""
    return round(100 * selected / population, 1) if population else 0


class SampleStratum(models.Model):
    """One region and offence category of a round: its population and the
    number drawn by largest-remainder allocation."""

    sample_round = models.ForeignKey(
        SampleRound, on_delete=models.CASCADE, related_name="strata"
    )
    region = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="+")
    offence_category = models.ForeignKey(
        OffenceCategory, on_delete=models.PROTECT, related_name="+"
    )
    population = models.PositiveIntegerField()
    allocated = models.PositiveIntegerField()
    # The stratum's reviews in the sample now (drawn and not removed, or
    # added): kept with every draw, addition and removal
    # (reviews.services.sampling), so the round's page counts nothing.
    selected = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["region__position", "region__name", "offence_category__position"]
        constraints = [
            models.UniqueConstraint(
                fields=["sample_round", "region", "offence_category"],
                name="one_stratum_per_region_and_offence",
            )
        ]

    def __str__(self):
        return f"{self.region_id}/{self.offence_category_id}"

    @property
    def percent(self) -> float:
        """The final sample as a percentage of the population (needs the
        `selected` annotation from the selector)."""
        selected = getattr(self, "selected", self.allocated)
        return sample_percent(selected, self.population)


class SampleEntry(models.Model):
    """One review of a round's population: drawn at random or not, and any
    purposive addition or removal with its reason."""

    sample_round = models.ForeignKey(
        SampleRound, on_delete=models.CASCADE, related_name="entries"
    )
    stratum = models.ForeignKey(
        SampleStratum, on_delete=models.CASCADE, related_name="entries"
    )
    review = models.ForeignKey(
        Review, on_delete=models.CASCADE, related_name="sample_entries"
    )
    drawn = models.BooleanField(default=False)
    added = models.BooleanField(_("added purposively"), default=False)
    removed = models.BooleanField(_("removed purposively"), default=False)
    reason = models.TextField(_("reason"), max_length=2000, blank=True)

    class Meta:
        ordering = ["review_id"]
        constraints = [
            models.UniqueConstraint(
                fields=["sample_round", "review"], name="one_entry_per_review"
            )
        ]

    def __str__(self):
        return f"{self.sample_round_id}:{self.review_id}"

    @property
    def selected(self) -> bool:
        return (self.drawn and not self.removed) or self.added


class Allocation(models.Model):
    """A sampled review given to an inspector, with their conflict declaration."""

    class Conflict(models.TextChoices):
        PENDING = "pending", _("Not yet declared")
        NONE = "none", _("No conflict of interest")
        DECLARED = "declared", _("Conflict of interest declared")

    review = models.ForeignKey(
        Review, on_delete=models.CASCADE, related_name="allocations"
    )
    inspector = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="allocations"
    )
    allocated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    allocated_at = models.DateTimeField(default=timezone.now)
    due_date = models.DateField(_("quality assurance due"))
    conflict = models.CharField(
        max_length=10, choices=Conflict.choices, default=Conflict.PENDING
    )
    conflict_reason = models.TextField(_("conflict of interest"), blank=True)
    declared_at = models.DateTimeField(null=True, blank=True)
    is_current = models.BooleanField(default=True)
    # When the inspector opened the rating form: set with the assessment, in
    # its transaction (ratings.services.assessment_create).
    started_at = models.DateTimeField(null=True, blank=True, editable=False)

    class Meta:
        ordering = ["-allocated_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["review"],
                condition=models.Q(is_current=True),
                name="one_current_allocation_per_review",
            )
        ]
        indexes = [
            models.Index(fields=["inspector", "is_current"]),
            # An inspector's "Allocated to you", in due-date order: only the
            # allocations not yet started, however many they have finished.
            models.Index(
                fields=["inspector", "due_date", "id"],
                condition=models.Q(is_current=True, started_at__isnull=True),
                name="allocation_to_start_idx",
            ),
        ]

    def __str__(self):
        return f"{self.review_id} -> {self.inspector_id}"

    @property
    def documents_open(self) -> bool:
        return self.is_current and self.conflict == self.Conflict.NONE

    @property
    def is_past_due(self) -> bool:
        """The due date has gone by, in UK dates (work due today is not late)."""
        return self.due_date < uk_today()

"""
The quality-assurance framework as data: versioned standards, their prompts
and rating descriptors, themes, and the versioned overall-rating policy;
assessments against it. Benchmarking sessions are in `benchmarking`.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.db.models.fields.json import KT
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords


class Rating(models.IntegerChoices):
    """The four-point scale. The value is the score used by the overall policy."""

    OUTSTANDING = 3, _("Outstanding")
    GOOD = 2, _("Good")
    REQUIRES_IMPROVEMENT = 1, _("Requires improvement")
    INADEQUATE = 0, _("Inadequate")


class Framework(models.Model):
    """
    A version of the standards. Assessments keep the version they used, so a
    published version never changes (ratings.frameworks): a change is a new
    draft version, published in its turn.
    """

    version = models.PositiveSmallIntegerField(_("version"), unique=True)
    name = models.CharField(_("name"), max_length=200)
    is_active = models.BooleanField(_("used for new assessments"), default=False)
    created_at = models.DateTimeField(default=timezone.now)
    notes = models.TextField(_("what changed"), blank=True)
    based_on = models.ForeignKey(
        "self",
        verbose_name=_("copied from"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    # Empty while the version is a draft.
    published_at = models.DateTimeField(_("published"), null=True, blank=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        ordering = ["-version"]
        constraints = [
            models.UniqueConstraint(
                fields=["is_active"],
                condition=Q(is_active=True),
                name="one_active_framework",
            )
        ]

    def __str__(self):
        return f"{self.name} (version {self.version})"

    @property
    def is_published(self) -> bool:
        return self.published_at is not None


class Standard(models.Model):
    framework = models.ForeignKey(
        Framework, on_delete=models.CASCADE, related_name="standards"
    )
    number = models.PositiveSmallIntegerField(_("number"))
    name = models.CharField(_("name"), max_length=200)
    summary = models.TextField(_("what inspectors look for"), blank=True)

    class Meta:
        ordering = ["framework", "number"]
        constraints = [
            models.UniqueConstraint(
                fields=["framework", "number"], name="unique_standard_number"
            )
        ]

    def __str__(self):
        return f"{self.number}. {self.name}"


class Prompt(models.Model):
    """A question an inspector answers for a standard (yes, partly, no, n/a)."""

    standard = models.ForeignKey(
        Standard, on_delete=models.CASCADE, related_name="prompts"
    )
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    text = models.CharField(_("prompt"), max_length=500)

    class Meta:
        # By the parent's id: by the parent itself would sort by its own
        # ordering, joining its table (and its parent's) into every read.
        ordering = ["standard_id", "position", "pk"]

    def __str__(self):
        return self.text


class Descriptor(models.Model):
    """What a rating level of a standard looks like ("ratings characteristics")."""

    standard = models.ForeignKey(
        Standard, on_delete=models.CASCADE, related_name="descriptors"
    )
    rating = models.PositiveSmallIntegerField(_("rating"), choices=Rating.choices)
    text = models.TextField(_("descriptor"))

    class Meta:
        # By the parent's id: by the parent itself would sort by its own
        # ordering, joining its table (and its parent's) into every read.
        ordering = ["standard_id", "-rating"]
        constraints = [
            models.UniqueConstraint(
                fields=["standard", "rating"], name="one_descriptor_per_rating"
            )
        ]

    def __str__(self):
        return f"{self.standard}: {self.get_rating_display()}"


class Theme(models.Model):
    """A theme findings are tagged with, so the annual report can count them."""

    name = models.CharField(_("name"), max_length=100, unique=True)
    slug = models.SlugField(unique=True)
    is_active = models.BooleanField(_("offered in forms"), default=True)

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return self.name


class OverallPolicy(models.Model):
    """A version of the rule that suggests the overall rating."""

    class Kind(models.TextChoices):
        SUM_AND_BAND = "sum_and_band", _("Add up the scores and band the total")
        LIMITING = "limiting", _("Band the total, but no better than a chosen standard")
        JUDGEMENT = "judgement", _("The inspector's own judgement")

    version = models.PositiveSmallIntegerField(_("version"), unique=True)
    kind = models.CharField(_("rule"), max_length=20, choices=Kind.choices)
    # [{"min": 0, "max": 2, "rating": 0}, ...] covering every possible total.
    bands = models.JSONField(_("bands"), default=list, blank=True)
    limiting_standard = models.PositiveSmallIntegerField(
        _("limiting standard number"), null=True, blank=True
    )
    is_active = models.BooleanField(_("used for new assessments"), default=False)
    created_at = models.DateTimeField(default=timezone.now)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    based_on = models.ForeignKey(
        "self",
        verbose_name=_("copied from"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    # Empty while the version is a draft; published, it never changes.
    published_at = models.DateTimeField(_("published"), null=True, blank=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        ordering = ["-version"]
        verbose_name_plural = _("overall rating policies")
        constraints = [
            models.UniqueConstraint(
                fields=["is_active"],
                condition=Q(is_active=True),
                name="one_active_policy",
            )
        ]

    def __str__(self):
        return f"{self.get_kind_display()} (version {self.version})"

    @property
    def is_published(self) -> bool:
        return self.published_at is not None


class Answer(models.TextChoices):
    YES = "yes", _("Yes")
    PARTLY = "partly", _("Partly")
    NO = "no", _("No")
    NOT_APPLICABLE = "na", _("Not applicable")


class Assessment(models.Model):
    """An inspector's quality-assurance rating of one version of a review."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("In progress")
        SUBMITTED = "submitted", _("Waiting for moderation")
        RETURNED = "returned", _("Returned with comments")
        SIGNED_OFF = "signed_off", _("Signed off")
        PUBLISHED = "published", _("Published")
        # A benchmarking rating once its session is revealed.
        LOCKED = "locked", _("Locked at reveal")

    # A benchmarking rating of a document uploaded just for the session has
    # no review; every live assessment has one (see the constraints).
    review = models.ForeignKey(
        "reviews.Review",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="assessments",
    )
    document = models.ForeignKey(
        "reviews.DocumentVersion",
        verbose_name=_("version rated"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="assessments",
    )
    # Live assessments come from an allocation; benchmarking ratings from a
    # session review. Exactly one of the two is set.
    allocation = models.OneToOneField(
        "reviews.Allocation",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="assessment",
    )
    session_review = models.ForeignKey(
        "ratings.SessionReview",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="assessments",
    )
    inspector = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="assessments"
    )
    # The allocation's due date, copied when rating starts (an allocation's
    # due date is fixed when it is made) so that Your QA work reads its page
    # from one index rather than joining and sorting all the inspector's work.
    due_date = models.DateField(_("quality assurance due"), null=True, blank=True)
    framework = models.ForeignKey(Framework, on_delete=models.PROTECT, related_name="+")
    policy = models.ForeignKey(
        OverallPolicy, on_delete=models.PROTECT, related_name="+"
    )
    status = models.CharField(
        _("status"), max_length=12, choices=Status.choices, default=Status.DRAFT
    )
    overall_rating = models.PositiveSmallIntegerField(
        _("overall rating"), choices=Rating.choices, null=True, blank=True
    )
    overall_suggested = models.PositiveSmallIntegerField(
        _("suggested by the policy"), choices=Rating.choices, null=True, blank=True
    )
    overall_reason = models.TextField(
        _("why the overall rating is what it is"), blank=True
    )
    departure_reason = models.TextField(
        _("why it differs from the suggestion"), blank=True
    )
    # Bumped by every save; a save carrying an older number is someone else's
    # stale copy, and is refused rather than overwriting (optimistic locking).
    lock_version = models.PositiveIntegerField(default=1)
    updated_at = models.DateTimeField(auto_now=True)
    submitted_at = models.DateTimeField(null=True, blank=True)
    signed_off_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    signed_off_at = models.DateTimeField(null=True, blank=True)
    published_at = models.DateTimeField(null=True, blank=True)
    # A version is recorded at each submission, return, sign-off and
    # publication; drafts and autosaves in between are not versions.
    history = HistoricalRecords(
        excluded_fields=["lock_version", "updated_at", "due_date"]
    )

    class Meta:
        ordering = ["-updated_at", "-id"]
        indexes = [
            models.Index(fields=["status", "-submitted_at"]),
            # The published QA reports, newest first, a page at a time.
            models.Index(
                fields=["-published_at", "-id"],
                condition=Q(published_at__isnull=False, session_review__isnull=True),
                name="assessment_published_idx",
            ),
            # Signed off and waiting to be published, oldest first (the
            # moderation page's second table), without sorting them all.
            models.Index(
                fields=["signed_off_at", "id"],
                condition=Q(status="signed_off", session_review__isnull=True),
                name="assessment_to_publish_idx",
            ),
            # Your QA work, latest due first, a page at a time.
            models.Index(
                fields=["inspector", "-due_date", "-id"],
                condition=Q(session_review__isnull=True),
                name="assessment_mine_idx",
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=(
                    Q(allocation__isnull=False, session_review__isnull=True)
                    & Q(review__isnull=False)
                )
                | Q(allocation__isnull=True, session_review__isnull=False),
                name="live_or_benchmark_assessment",
            ),
            models.UniqueConstraint(
                fields=["session_review", "inspector"],
                name="one_benchmark_rating_per_participant",
            ),
        ]

    def __str__(self):
        return f"QA of {self.review_id} by {self.inspector_id}"

    @property
    def is_benchmark(self) -> bool:
        return self.session_review_id is not None

    @property
    def is_editable(self) -> bool:
        return self.status in (self.Status.DRAFT, self.Status.RETURNED)


class StandardAssessment(models.Model):
    """The rating and evidence for one standard in an assessment."""

    assessment = models.ForeignKey(
        Assessment, on_delete=models.CASCADE, related_name="standards"
    )
    standard = models.ForeignKey(Standard, on_delete=models.PROTECT, related_name="+")
    rating = models.PositiveSmallIntegerField(
        _("rating"), choices=Rating.choices, null=True, blank=True
    )
    evidence = models.TextField(_("evidence"), blank=True)
    strengths = models.TextField(_("strengths"), blank=True)
    improvements = models.TextField(_("areas for improvement"), blank=True)
    history = HistoricalRecords()

    class Meta:
        # By the parent's id: by the parent itself would sort by its own
        # ordering, joining its table (and its parent's) into every read.
        ordering = ["assessment_id", "standard__number"]
        constraints = [
            models.UniqueConstraint(
                fields=["assessment", "standard"], name="one_rating_per_standard"
            )
        ]

    def __str__(self):
        return f"{self.assessment_id}: {self.standard_id}"


class PromptAnswer(models.Model):
    standard_assessment = models.ForeignKey(
        StandardAssessment, on_delete=models.CASCADE, related_name="answers"
    )
    prompt = models.ForeignKey(Prompt, on_delete=models.PROTECT, related_name="+")
    answer = models.CharField(
        _("answer"), max_length=6, choices=Answer.choices, blank=True
    )
    note = models.TextField(_("note"), blank=True)

    class Meta:
        # By the parent's id: by the parent itself would sort by its own
        # ordering, joining its table (and its parent's) into every read.
        ordering = ["standard_assessment_id", "prompt__position", "prompt_id"]
        constraints = [
            models.UniqueConstraint(
                fields=["standard_assessment", "prompt"], name="one_answer_per_prompt"
            )
        ]

    def __str__(self):
        return f"{self.standard_assessment_id}: {self.prompt_id}"


class Finding(models.Model):
    """A learning point, good or poor practice, or a wider issue the review raises."""

    class Kind(models.TextChoices):
        LEARNING = "learning", _("Learning point")
        GOOD_PRACTICE = "good_practice", _("Good practice")
        POOR_PRACTICE = "poor_practice", _("Poor practice or failing")
        NATIONAL_POLICY = "national_policy", _("National policy issue")
        PARTNERSHIP = "partnership", _("Partnership issue")

    class Level(models.TextChoices):
        INDIVIDUAL = "individual", _("Individual")
        TEAM = "team", _("Team")
        REGION = "region", _("Region")
        NATIONAL = "national", _("National")
        PARTNER = "partner", _("Partner agency")

    class Addressed(models.TextChoices):
        YES = "yes", _("Yes")
        PARTLY = "partly", _("Partly")
        NO = "no", _("No")

    assessment = models.ForeignKey(
        Assessment, on_delete=models.CASCADE, related_name="findings"
    )
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    text = models.TextField(_("finding"))
    level = models.CharField(_("applies to"), max_length=12, choices=Level.choices)
    themes = models.ManyToManyField(Theme, verbose_name=_("themes"), blank=True)
    # For failings: does the review's own action plan address it?
    action_plan_addresses = models.CharField(
        _("does the action plan address it?"),
        max_length=6,
        choices=Addressed.choices,
        blank=True,
    )
    action_plan_comment = models.TextField(_("comment on the action plan"), blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        # By the parent's id: by the parent itself would sort by its own
        # ordering, joining its table (and its parent's) into every read.
        ordering = ["assessment_id", "kind", "created_at", "id"]

    def __str__(self):
        return f"{self.get_kind_display()} ({self.assessment_id})"


class ModerationComment(models.Model):
    """A moderator's comment on one section, sent back with a returned assessment."""

    assessment = models.ForeignKey(
        Assessment, on_delete=models.CASCADE, related_name="moderation_comments"
    )
    # "standard-<number>", "findings" or "overall".
    section = models.CharField(max_length=20)
    text = models.TextField(_("comment"))
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    round = models.PositiveSmallIntegerField(default=1)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        # By the parent's id: by the parent itself would sort by its own
        # ordering, joining its table (and its parent's) into every read.
        ordering = ["assessment_id", "-round", "section"]

    def __str__(self):
        return f"{self.assessment_id} {self.section} round {self.round}"


class Publication(models.Model):
    """A publication of an assessment to HMPPS: the first, or a re-publication."""

    assessment = models.ForeignKey(
        Assessment, on_delete=models.PROTECT, related_name="publications"
    )
    number = models.PositiveSmallIntegerField(_("publication"))
    reason = models.TextField(_("reason for re-publishing"), blank=True)
    # The ratings as published, so "what was it when published" needs no history.
    snapshot = models.JSONField(default=dict)
    # The overall rating as published, kept by the database from the
    # snapshot: a list of publications reads it without reading each whole
    # snapshot (the report's text, several kilobytes).
    overall = models.GeneratedField(
        expression=KT("snapshot__overall__rating"),
        output_field=models.CharField(max_length=100),
        db_persist=True,
    )
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    published_at = models.DateTimeField(default=timezone.now)
    report_job = models.ForeignKey(
        "reports.ReportJob", on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        # By the parent's id: by the parent itself would sort by its own
        # ordering, joining its table (and its parent's) into every read.
        ordering = ["assessment_id", "-number"]
        constraints = [
            models.UniqueConstraint(
                fields=["assessment", "number"], name="unique_publication_number"
            )
        ]

    def __str__(self):
        return f"{self.assessment_id} publication {self.number}"


# Benchmarking sessions build on the models above. Kept here, the historical
# models of django-simple-history stay in this module, as before the split.
from ratings.models.benchmarking import (  # noqa: E402
    BenchmarkSession,
    Consensus,
    Declaration,
    Participant,
    SessionReview,
)

__all__ = [
    "Answer",
    "Assessment",
    "BenchmarkSession",
    "Consensus",
    "Declaration",
    "Descriptor",
    "Finding",
    "Framework",
    "ModerationComment",
    "OverallPolicy",
    "Participant",
    "Prompt",
    "PromptAnswer",
    "Publication",
    "Rating",
    "SessionReview",
    "Standard",
    "StandardAssessment",
    "Theme",
]

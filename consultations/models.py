"""
Public consultations. Times are stored in UTC; the status follows the clock
(no job moves a consultation from open to closed), so it is computed here
and, for lists, in SQL by `with_status()`.
"""

from datetime import date, timedelta

from django.conf import settings
from django.db import models
from django.db.models import Case, F, Q, Value, When
from django.db.models.functions import Now
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from sfoqa.dates import uk_date_of, uk_start_of, uk_today
from sfoqa.wording import file_description

# Government consultation principles: publish a response within 12 weeks.
RESPONSE_DUE_AFTER = timedelta(weeks=12)


class Status(models.TextChoices):
    DRAFT = "draft", _("Draft")
    FORTHCOMING = "forthcoming", _("Forthcoming")
    OPEN = "open", _("Open")
    CLOSED = "closed", _("Closed")
    RESPONSE_PUBLISHED = "response_published", _("Response published")


class ConsultationQuerySet(models.QuerySet):
    def with_status(self):
        """Annotate `current_status` from the database clock, as `status` does."""
        return self.annotate(
            current_status=Case(
                When(published_at__isnull=True, then=Value(Status.DRAFT.value)),
                When(
                    response_published_at__isnull=False,
                    then=Value(Status.RESPONSE_PUBLISHED.value),
                ),
                When(opens_at__gt=Now(), then=Value(Status.FORTHCOMING.value)),
                When(closes_at__gt=Now(), then=Value(Status.OPEN.value)),
                default=Value(Status.CLOSED.value),
                output_field=models.CharField(),
            )
        )

    def public(self):
        return self.filter(published_at__isnull=False)

    def response_overdue(self):
        return self.filter(
            published_at__isnull=False,
            response_published_at__isnull=True,
            # Closed before the UK day that makes today its due date.
            closes_at__lt=uk_start_of(uk_today() - RESPONSE_DUE_AFTER),
        )


class Consultation(models.Model):
    title = models.CharField(_("title"), max_length=200)
    slug = models.SlugField(_("address"), max_length=80, unique=True)
    summary = models.TextField(_("summary"), max_length=600)
    # Markdown, rendered through `consultations.markdown.render` only.
    body = models.TextField(_("body"), max_length=20_000)
    how_to_respond = models.TextField(_("how to respond"), max_length=5_000, blank=True)
    responses_email = models.EmailField(_("email for responses"), blank=True)
    contact_email = models.EmailField(_("email for questions"), blank=True)
    postal_address = models.TextField(_("postal address"), max_length=500, blank=True)
    accepts_online = models.BooleanField(_("responses online"), default=False)
    opens_at = models.DateTimeField(_("opens at"))
    closes_at = models.DateTimeField(_("closes at"))
    published_at = models.DateTimeField(_("published at"), null=True, blank=True)
    response_summary = models.TextField(
        _("response summary"), max_length=20_000, blank=True
    )
    response_published_at = models.DateTimeField(
        _("response published at"), null=True, blank=True
    )
    # A yearly consultation is listed under the year it consults on, which
    # may not be the year it closes ("2021" closed in August 2020).
    listed_year = models.PositiveSmallIntegerField(
        _("year listed under"), null=True, blank=True
    )
    version = models.PositiveIntegerField(default=1)
    created_at = models.DateTimeField(default=timezone.now)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    objects = ConsultationQuerySet.as_manager()

    class Meta:
        ordering = ["-closes_at"]
        verbose_name = _("consultation")
        constraints = [
            models.CheckConstraint(
                condition=Q(closes_at__gt=F("opens_at")),
                name="consultation_closes_after_it_opens",
            )
        ]

    def __str__(self):
        return self.title

    def status_at(self, moment) -> str:
        if self.published_at is None:
            return Status.DRAFT
        if self.response_published_at is not None:
            return Status.RESPONSE_PUBLISHED
        if moment < self.opens_at:
            return Status.FORTHCOMING
        if moment < self.closes_at:
            return Status.OPEN
        return Status.CLOSED

    @property
    def status(self) -> str:
        return self.status_at(timezone.now())

    @property
    def status_label(self) -> str:
        return Status(self.status).label

    @property
    def is_open(self) -> bool:
        return self.status == Status.OPEN

    @property
    def takes_online_responses(self) -> bool:
        return self.accepts_online and self.is_open

    @property
    def response_due_on(self) -> date:
        """The UK date 12 weeks after the UK date it closed on."""
        return uk_date_of(self.closes_at) + RESPONSE_DUE_AFTER

    @property
    def response_expected_soon(self) -> bool:
        """Closed no more than 12 weeks ago: the response is still to come."""
        return uk_today() <= self.response_due_on

    @property
    def is_response_overdue(self) -> bool:
        return (
            self.published_at is not None
            and self.response_published_at is None
            and uk_today() > self.response_due_on
        )


class Audience(models.Model):
    """Who a consultation asks, such as probation or youth offending services."""

    consultation = models.ForeignKey(
        Consultation, on_delete=models.CASCADE, related_name="audiences"
    )
    name = models.CharField(_("name"), max_length=100)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["position", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["consultation", "name"], name="audience_unique_name"
            )
        ]

    def __str__(self):
        return self.name


class Document(models.Model):
    class Kind(models.TextChoices):
        CONSULTATION = "consultation", _("Consultation document")
        RESPONSE = "response", _("Our response")

    class ScanStatus(models.TextChoices):
        CLEAN = "clean", _("Scanned: no virus found")
        NOT_SCANNED = "not_scanned", _("Not scanned: no virus scanner configured")

    consultation = models.ForeignKey(
        Consultation, on_delete=models.CASCADE, related_name="documents"
    )
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    title = models.CharField(_("title"), max_length=300)
    storage_name = models.CharField(max_length=300)
    file_type = models.CharField(max_length=10)
    content_type = models.CharField(max_length=120)
    size = models.PositiveBigIntegerField()
    # The size of a published original that a stand-in file represents (demo
    # and migrated documents); what the page states, when set.
    stated_size = models.PositiveBigIntegerField(null=True, blank=True)
    sha256 = models.CharField(max_length=64)
    # Files are scanned before they are stored; an infected one never is.
    scan_status = models.CharField(
        max_length=12, choices=ScanStatus.choices, default=ScanStatus.NOT_SCANNED
    )
    original_name = models.CharField(max_length=300, blank=True)
    position = models.PositiveSmallIntegerField(default=0)
    uploaded_at = models.DateTimeField(default=timezone.now)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        ordering = ["position", "pk"]
        verbose_name = _("consultation document")

    def __str__(self):
        return self.title

    @property
    def size_label(self) -> str:
        """Type and size as GOV.UK shows them: "PDF, 261 KB"."""
        return file_description(self.file_type, self.stated_size or self.size)

    @property
    def download_name(self) -> str:
        return f"{self.consultation.slug}-{self.pk}.{self.file_type}"


class Question(models.Model):
    class Kind(models.TextChoices):
        TEXT = "text", _("Free text")
        SINGLE = "single", _("Choose one")
        MULTIPLE = "multiple", _("Choose all that apply")

    consultation = models.ForeignKey(
        Consultation, on_delete=models.CASCADE, related_name="questions"
    )
    position = models.PositiveSmallIntegerField(default=0)
    text = models.CharField(_("question"), max_length=500)
    hint = models.CharField(_("hint"), max_length=500, blank=True)
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    required = models.BooleanField(_("required"), default=False)
    options = models.JSONField(_("options"), default=list, blank=True)

    class Meta:
        ordering = ["position", "pk"]

    def __str__(self):
        return self.text

    @property
    def field_name(self) -> str:
        return f"q{self.pk}"


class Theme(models.Model):
    """A theme staff tag responses with, to analyse them."""

    consultation = models.ForeignKey(
        Consultation, on_delete=models.CASCADE, related_name="themes"
    )
    name = models.CharField(_("name"), max_length=100)
    # The shared theme (a ratings theme) by its slug, so the annual report
    # counts responses beside findings and panel learning. A plain field:
    # consultations stand below ratings and never import it.
    taxonomy_slug = models.SlugField(_("shared theme"), blank=True)

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(
                fields=["consultation", "name"], name="theme_unique_name"
            )
        ]

    def __str__(self):
        return self.name


class Response(models.Model):
    class Channel(models.TextChoices):
        ONLINE = "online", _("Online")
        EMAIL = "email", _("Email")
        POST = "post", _("Post")

    consultation = models.ForeignKey(
        Consultation, on_delete=models.PROTECT, related_name="responses"
    )
    audience = models.ForeignKey(
        Audience,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="responses",
    )
    reference = models.CharField(_("reference"), max_length=20, unique=True)
    channel = models.CharField(_("channel"), max_length=10, choices=Channel.choices)
    received_at = models.DateTimeField(_("received"), default=timezone.now)
    # Personal details: cleared by the retention task.
    name = models.CharField(_("name"), max_length=200, blank=True)
    email = models.EmailField(_("email address"), blank=True)
    organisation = models.CharField(_("organisation"), max_length=200, blank=True)
    # Online answers by question id: text, or a list of chosen options.
    answers = models.JSONField(default=dict, blank=True)
    # What an emailed or posted response said (or a summary of it).
    text = models.TextField(_("response"), max_length=50_000, blank=True)
    # Recorded from a letter or email that gave only a date: no time shown.
    date_only = models.BooleanField(default=False)
    # Why a recorded response dated outside the open period still counts.
    late_reason = models.TextField(
        _("reason for the date"), max_length=2000, blank=True
    )
    # Filled in the field people never see: kept for staff to check, and left
    # out of published counts until they accept it.
    held_for_review = models.BooleanField(_("held for review"), default=False)
    themes = models.ManyToManyField(Theme, blank=True, related_name="responses")
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    anonymised_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-received_at", "-pk"]
        indexes = [models.Index(fields=["consultation", "-received_at"])]

    def __str__(self):
        return self.reference

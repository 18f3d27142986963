"""
Benchmarking (calibration) sessions: participants rate the same reviews
blind with the live rating form, the facilitator reveals the session, and
the group agrees a consensus rating for each standard.
"""

import secrets

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ratings.models import Rating


def numbering_seed() -> int:
    return secrets.randbelow(2**31)


class BenchmarkSession(models.Model):
    class Status(models.TextChoices):
        OPEN = "open", _("Open for rating")
        REVEALED = "revealed", _("Revealed")

    title = models.CharField(_("title"), max_length=200)
    held_on = models.DateField(_("date of the session"))
    facilitator = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("facilitator"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.OPEN
    )
    # Chosen at reveal: show who rated what, or number the participants.
    anonymous = models.BooleanField(_("hide participants' names"), default=False)
    # Anonymised results number the participants in an order shuffled by
    # this seed, so the numbers do not follow the order they were added in.
    numbering_seed = models.PositiveIntegerField(default=numbering_seed, editable=False)
    created_at = models.DateTimeField(default=timezone.now)
    revealed_at = models.DateTimeField(null=True, blank=True)
    revealed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        ordering = ["-held_on", "-id"]

    def __str__(self):
        return self.title

    @property
    def is_revealed(self) -> bool:
        return self.status == self.Status.REVEALED


class SessionReview(models.Model):
    """
    A review the session rates: a received review (its latest document), or
    a document uploaded just for the session (often an anonymised one).
    """

    session = models.ForeignKey(
        BenchmarkSession, on_delete=models.CASCADE, related_name="reviews"
    )
    position = models.PositiveSmallIntegerField(default=1)
    title = models.CharField(_("name in the session"), max_length=200)
    review = models.ForeignKey(
        "reviews.Review",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    document = models.ForeignKey(
        "reviews.DocumentVersion",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    # An uploaded document, stored like review documents (generated name).
    storage_name = models.CharField(max_length=255, blank=True)
    display_name = models.CharField(_("file name"), max_length=200, blank=True)
    content_type = models.CharField(max_length=100, blank=True)
    size = models.PositiveBigIntegerField(null=True, blank=True)
    sha256 = models.CharField(max_length=64, blank=True)
    discussion_notes = models.TextField(_("discussion notes"), blank=True)

    class Meta:
        ordering = ["session", "position", "id"]

    def __str__(self):
        return self.title

    @property
    def file_name(self) -> str:
        return self.document.display_name if self.document else self.display_name


class Participant(models.Model):
    session = models.ForeignKey(
        BenchmarkSession, on_delete=models.CASCADE, related_name="participants"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="benchmark_participations",
    )
    added_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["session", "added_at", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["session", "user"], name="one_participation_per_session"
            )
        ]

    def __str__(self):
        return f"{self.session_id}: {self.user_id}"


class Declaration(models.Model):
    """A person's conflict-of-interest declaration for one session review,
    made before its document opens to them."""

    session_review = models.ForeignKey(
        SessionReview, on_delete=models.CASCADE, related_name="declarations"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    has_conflict = models.BooleanField(_("conflict of interest"))
    reason = models.TextField(_("the conflict of interest"), blank=True)
    declared_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["session_review", "user"],
                name="one_declaration_per_session_review",
            )
        ]

    def __str__(self):
        return f"{self.session_review_id}: {self.user_id}"


class Consensus(models.Model):
    """The rating the group agreed for one standard (or, with no standard,
    the overall rating) of a session review, with the reasoning."""

    session_review = models.ForeignKey(
        SessionReview, on_delete=models.CASCADE, related_name="consensus"
    )
    standard = models.ForeignKey(
        "ratings.Standard",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    rating = models.PositiveSmallIntegerField(_("consensus rating"), choices=Rating)
    reasoning = models.TextField(_("reasoning"))
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name_plural = _("consensus ratings")
        ordering = ["session_review", "standard__number"]
        constraints = [
            models.UniqueConstraint(
                fields=["session_review", "standard"],
                condition=Q(standard__isnull=False),
                name="one_consensus_per_standard",
            ),
            models.UniqueConstraint(
                fields=["session_review"],
                condition=Q(standard__isnull=True),
                name="one_overall_consensus",
            ),
        ]

    def __str__(self):
        return f"{self.session_review_id}: {self.standard_id or 'overall'}"

    @property
    def section(self) -> str:
        return f"standard-{self.standard.number}" if self.standard else "overall"

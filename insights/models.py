from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class AnnualReport(models.Model):
    """
    One version of the annual report for a reporting year. Its figures are
    stored as the tables the PDF was made from, so the page, the PDF and the
    data pack of a version always agree, whatever changes afterwards.
    """

    class Status(models.TextChoices):
        DRAFT = "draft", _("Waiting for approval")
        APPROVED = "approved", _("Approved")
        PUBLISHED = "published", _("Published")
        REPLACED = "replaced", _("Replaced by a later version")

    year = models.PositiveSmallIntegerField(_("reporting year"))
    version = models.PositiveSmallIntegerField(_("version"))
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.DRAFT
    )
    job = models.ForeignKey(
        "reports.ReportJob", on_delete=models.PROTECT, related_name="+"
    )
    # The figure tables as the report's PDF shows them; empty until made.
    tables = models.JSONField(default=list, blank=True)
    figures_at = models.DateTimeField(_("figures as at"), null=True, blank=True)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    requested_at = models.DateTimeField(default=timezone.now)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    approved_at = models.DateTimeField(null=True, blank=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    published_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-year", "-version"]
        constraints = [
            models.UniqueConstraint(
                fields=["year", "version"], name="unique_annual_report_version"
            ),
            models.UniqueConstraint(
                fields=["year"],
                condition=models.Q(status="published"),
                name="one_published_annual_report_a_year",
            ),
        ]

    def __str__(self):
        return f"Annual report {self.year} v{self.version} ({self.status})"

    @property
    def year_label(self) -> str:
        return f"{self.year} to {self.year + 1}"

    @property
    def is_made(self) -> bool:
        return bool(self.tables)

from celery import shared_task
from django.conf import settings
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.translation import gettext as _

from accounts.models import User
from accounts.notify import email_send
from accounts.roles import Role
from ratings.models import Assessment, Publication


@shared_task(
    name="ratings.notify_published", autoretry_for=(OSError,), retry_backoff=True
)
def notify_published(publication_id: int) -> int:
    """Tell the HMPPS SFO team of the review's organisation that its report is out."""
    publication = (
        Publication.objects.select_related("assessment__review")
        .filter(pk=publication_id)
        .first()
    )
    if publication is None:
        return 0
    review = publication.assessment.review
    recipients = list(
        User.objects.filter(
            is_active=True,
            organisation_id=review.organisation_id,
            groups__name=Role.HMPPS_SFO,
        ).values_list("pk", "email")
    )
    # The report itself: until it is made, the download shows its progress.
    url = settings.SITE_URL.rstrip("/") + reverse(
        "reports:job_download", kwargs={"pk": publication.report_job_id}
    )
    body = render_to_string(
        "ratings/email/published.txt",
        {"review": review, "publication": publication, "url": url},
    )
    subject = _("Quality assurance report published for %(ref)s") % {"ref": review}
    return sum(
        email_send(
            kind="report_published",
            to=email,
            subject=subject,
            body=body,
            recipient_id=pk,
            fields={"url": url},
        )
        for pk, email in recipients
    )


@shared_task(
    name="ratings.notify_returned", autoretry_for=(OSError,), retry_backoff=True
)
def notify_returned(assessment_id: int) -> int:
    """Tell the inspector that the moderator returned their assessment."""
    assessment = (
        Assessment.objects.select_related("review", "inspector")
        .filter(pk=assessment_id, status=Assessment.Status.RETURNED)
        .first()
    )
    if assessment is None or not assessment.inspector.is_active:
        return 0
    url = settings.SITE_URL.rstrip("/") + reverse(
        "ratings:task_list", kwargs={"pk": assessment.pk}
    )
    body = render_to_string(
        "ratings/email/returned.txt", {"assessment": assessment, "url": url}
    )
    subject = _("Assessment of %(ref)s returned with comments") % {
        "ref": assessment.review.hmpps_reference
    }
    return email_send(
        kind="assessment_returned",
        to=assessment.inspector.email,
        subject=subject,
        body=body,
        recipient_id=assessment.inspector_id,
        fields={"url": url},
    )

from celery import shared_task
from django.conf import settings
from django.core.mail import send_mass_mail
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.translation import gettext as _

from accounts.models import User
from accounts.roles import Role
from ratings.models import Publication


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
        ).values_list("email", flat=True)
    )
    url = settings.SITE_URL.rstrip("/") + reverse("ratings:published_list")
    body = render_to_string(
        "ratings/email/published.txt",
        {"review": review, "publication": publication, "url": url},
    )
    subject = _("Quality assurance report published for %(ref)s") % {"ref": review}
    return send_mass_mail([(subject, body, None, [email]) for email in recipients])

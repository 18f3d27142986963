from celery import shared_task
from django.core.mail import send_mail
from django.template.loader import render_to_string
from django.utils.translation import gettext as _

from consultations import services
from consultations.models import Response


@shared_task(
    name="consultations.send_receipt",
    autoretry_for=(OSError,),
    retry_backoff=True,
    max_retries=5,
)
def send_receipt(response_id: int) -> None:
    """Email someone who responded online their reference number."""
    response = (
        Response.objects.select_related("consultation")
        .filter(pk=response_id, anonymised_at__isnull=True)
        .exclude(email="")
        .first()
    )
    if response is None:
        return
    send_mail(
        subject=_("Your response to our consultation: %(reference)s")
        % {"reference": response.reference},
        message=render_to_string(
            "consultations/email/receipt.txt", {"response": response}
        ),
        from_email=None,
        recipient_list=[response.email],
    )


@shared_task(name="consultations.apply_retention")
def apply_retention() -> int:
    return services.responses_apply_retention()

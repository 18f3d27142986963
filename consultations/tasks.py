from celery import shared_task
from django.template.loader import render_to_string
from django.utils.translation import gettext as _

from accounts.notify import email_send
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
    email_send(
        kind="consultation_receipt",
        to=response.email,
        subject=_("Your response to our consultation: %(reference)s")
        % {"reference": response.reference},
        body=render_to_string(
            "consultations/email/receipt.txt", {"response": response}
        ),
        fields={"reference": response.reference},
    )


@shared_task(name="consultations.apply_retention")
def apply_retention() -> int:
    return services.responses_apply_retention()

"""
GOV.UK Notify, the service's email provider when NOTIFY_API_KEY is set.
This module knows no app: it sends one email through Notify's official
client and says whether a failure is worth trying again. What to send, and
what to record, is accounts.notify's.
"""

from django.conf import settings
from notifications_python_client.errors import APIError
from notifications_python_client.notifications import NotificationsAPIClient
from requests import RequestException

# Notify's answers that may succeed later: overloaded, rate-limited, down.
RETRY_STATUSES = frozenset({429})


class NotifyUnavailable(Exception):
    """Notify did not take the email this time (5xx, 429, no answer): retry."""


class NotifyRejected(Exception):
    """Notify refused the email (a 4xx other than 429): trying again won't help."""

    def __init__(self, status_code: int, message: str):
        super().__init__(f"{status_code} {message}")
        self.status_code = status_code
        self.message = message


def notify_configured() -> bool:
    return bool(settings.NOTIFY_API_KEY)


def notify_template_id(kind: str) -> str:
    """The Notify template for a kind of email (every kind needs one)."""
    return settings.NOTIFY_TEMPLATES.get(kind, "")


def _client() -> NotificationsAPIClient:
    return NotificationsAPIClient(
        settings.NOTIFY_API_KEY,
        base_url=settings.NOTIFY_BASE_URL,
        timeout=settings.NOTIFY_TIMEOUT_SECONDS,
    )


def _message(error: APIError) -> str:
    message = error.message
    if isinstance(message, list):
        # Notify's errors: [{"error": "BadRequestError", "message": "..."}]
        message = "; ".join(
            str(item.get("message", item)) if isinstance(item, dict) else str(item)
            for item in message
        )
    return str(message)[:300]


def notify_email_send(
    *, kind: str, email_address: str, personalisation: dict, reference: str
) -> str:
    """Send one email through Notify; the notification's id."""
    template_id = notify_template_id(kind)
    if not template_id:
        raise NotifyRejected(0, f"No Notify template is set for {kind} emails")
    try:
        response = _client().send_email_notification(
            email_address=email_address,
            template_id=template_id,
            personalisation=personalisation,
            reference=reference,
        )
    except APIError as error:
        status = error.status_code
        if status >= 500 or status in RETRY_STATUSES:
            raise NotifyUnavailable(f"{status} {_message(error)}") from error
        raise NotifyRejected(status, _message(error)) from error
    except RequestException as error:
        raise NotifyUnavailable(type(error).__name__) from error
    return str(response.get("id", ""))

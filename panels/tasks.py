from celery import shared_task

from panels import notifications, services
from panels.models import EvidenceFile, Paper


@shared_task(name="panels.scan_paper", autoretry_for=(OSError,), retry_backoff=True)
def scan_paper(paper_id: int) -> str | None:
    paper = Paper.objects.filter(pk=paper_id).first()
    return services.stored_file_scan(file=paper) if paper else None


@shared_task(
    name="panels.scan_evidence_file", autoretry_for=(OSError,), retry_backoff=True
)
def scan_evidence_file(file_id: int) -> str | None:
    file = EvidenceFile.objects.filter(pk=file_id).first()
    return services.stored_file_scan(file=file) if file else None


@shared_task(
    name="panels.send_meeting_invitations",
    autoretry_for=(OSError,),
    retry_backoff=True,
    max_retries=5,
)
def send_meeting_invitations(meeting_id: int) -> int:
    return notifications.meeting_invitations_send(meeting_id=meeting_id)


@shared_task(
    name="panels.notify_member_added", autoretry_for=(OSError,), retry_backoff=True
)
def notify_member_added(member_id: int) -> int:
    return notifications.member_added_notify(member_id=member_id)


@shared_task(
    name="panels.notify_disseminated", autoretry_for=(OSError,), retry_backoff=True
)
def notify_disseminated(item_id: int) -> int:
    return notifications.disseminated_notify(item_id=item_id)


@shared_task(name="panels.send_action_reminders")
def send_action_reminders() -> int:
    return notifications.action_reminders_send()


@shared_task(name="panels.send_learning_digests")
def send_learning_digests() -> int:
    return notifications.learning_digests_send()


@shared_task(name="panels.ask_impact_checks")
def ask_impact_checks() -> int:
    return notifications.impact_checks_ask()

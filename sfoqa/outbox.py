"""
Tasks sent after commit that survive the broker being down. Each send is a
`PendingTask` row written in the caller's transaction; after commit the task
goes to the broker and the row is deleted. A send that fails, for whatever
reason, is logged and leaves its row for `pending_tasks_resend`, which the
report sweeper runs every minute.
"""

import logging
from collections.abc import Iterable, Sequence
from datetime import timedelta

from django.db import transaction
from django.db.models import F
from django.utils import timezone

from sfoqa.models import PendingTask

logger = logging.getLogger(__name__)

# A row still there this long after its commit was not sent: the sweeper's.
RESEND_AFTER = timedelta(minutes=1)
# The sweeper's own failures wait longer each time, up to this.
LONGEST_WAIT = timedelta(hours=1)
# Failures in a row after which the sweeper stops: the broker is down.
GIVE_UP_AFTER = 3


def send_after_commit(task, *args) -> None:
    """Send `task(*args)` once the transaction commits; never lost, never raises."""
    send_each_after_commit(task, [args])


def send_each_after_commit(task, each_args: Iterable[Sequence]) -> None:
    """Send `task` once per argument tuple after commit, one durable row each."""
    due = timezone.now() + RESEND_AFTER
    rows = PendingTask.objects.bulk_create(
        PendingTask(task=task.name, args=list(args), due_at=due) for args in each_args
    )
    if rows:
        transaction.on_commit(lambda: _send_rows(task, rows), robust=True)


def _send(task, row: PendingTask) -> bool:
    """Hand the row's task to the broker (or run it, in-process); False if not."""
    try:
        task.apply_async(args=row.args)
    except Exception as error:
        # Any error at all: kombu's, redis's, Celery's own RuntimeError, a
        # timeout, or the task itself failing when tasks run in-process.
        logger.warning(
            "Task %s (pending task %s) not sent, left for the sweeper: %r",
            row.task,
            row.pk,
            error,
            exc_info=True,
        )
        row.error = type(error).__name__[:200]
        return False
    PendingTask.objects.filter(pk=row.pk).delete()
    return True


def _send_rows(task, rows: list[PendingTask]) -> None:
    for index, row in enumerate(rows):
        if not _send(task, row):
            # The broker is not answering: the rest need not wait for it too.
            unsent = [left.pk for left in rows[index:]]
            PendingTask.objects.filter(pk__in=unsent).update(
                due_at=timezone.now(), attempts=F("attempts") + 1, error=row.error
            )
            return


def _claim(row: PendingTask, now) -> bool:
    """Take the row for one send, so that no other sweep sends it meanwhile."""
    return bool(
        PendingTask.objects.filter(pk=row.pk, due_at=row.due_at).update(
            due_at=now + RESEND_AFTER, attempts=F("attempts") + 1
        )
    )


def _after_failure(row: PendingTask, now) -> None:
    wait = min(RESEND_AFTER * 2 ** min(row.attempts, 10), LONGEST_WAIT)
    PendingTask.objects.filter(pk=row.pk).update(due_at=now + wait, error=row.error)


def pending_tasks_resend(*, limit: int = 500) -> int:
    """Send the tasks whose send failed or never happened; how many went."""
    from sfoqa.celery import app

    now = timezone.now()
    sent = failures = 0
    for row in PendingTask.objects.filter(due_at__lte=now)[:limit]:
        if not _claim(row, now):
            continue
        row.attempts += 1
        task = app.tasks.get(row.task)
        if task is None:
            logger.error("Pending task %s names no known task %s", row.pk, row.task)
            row.error = "unknown task"
            _after_failure(row, now)
        elif _send(task, row):
            sent, failures = sent + 1, 0
            continue
        else:
            _after_failure(row, now)
        failures += 1
        if failures >= GIVE_UP_AFTER:
            break
    return sent

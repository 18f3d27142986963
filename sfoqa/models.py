from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class PendingTask(models.Model):
    """
    A task to send after its transaction commits. The row is written in that
    transaction and deleted once the broker has the task, so a task that
    could not be sent (the broker down, the process gone) is never lost: the
    sweeper sends what is left.
    """

    task = models.CharField(_("task"), max_length=200)
    args = models.JSONField(_("arguments"), default=list, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    # The sweeper sends the row from this time on; a send that failed makes
    # it due at once, and each of the sweeper's own failures waits longer.
    due_at = models.DateTimeField()
    attempts = models.PositiveIntegerField(_("attempts"), default=0)
    # The kind of the last failure (an exception's class), never its text.
    error = models.CharField(_("last error"), max_length=200, blank=True)

    class Meta:
        ordering = ["due_at", "id"]
        indexes = [models.Index(fields=["due_at"])]

    def __str__(self):
        return f"{self.task}{tuple(self.args)}"

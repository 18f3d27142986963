import logging
import os
import threading
import time

from celery import Celery, signals

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "sfoqa.settings")

app = Celery("sfoqa")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()

logger = logging.getLogger(__name__)

BEAT_LOCK = "sfoqa:beat"


def _keep(lock, every: float) -> None:
    """Renew the beat lock; if another beat holds it now, stop this one."""
    from redis.exceptions import LockNotOwnedError, RedisError

    while True:
        time.sleep(every)
        try:
            lock.reacquire()
        except LockNotOwnedError:
            logger.error("Another beat took the beat lock: this one stops")
            os._exit(1)
        except RedisError:
            logger.warning("Beat lock not renewed: Redis did not answer")


@signals.beat_init.connect
def hold_beat_lock(sender=None, **kwargs) -> None:
    """
    Only one beat sends the schedule, however many are started: each waits
    here for a Redis lock before its scheduler starts, so a second one is a
    standby that takes over within BEAT_LOCK_SECONDS of the first stopping.
    """
    from django.conf import settings

    if not settings.REDIS_URL:
        return
    import redis

    seconds = settings.BEAT_LOCK_SECONDS
    client = redis.Redis.from_url(settings.REDIS_URL, socket_timeout=5)
    lock = client.lock(BEAT_LOCK, timeout=seconds, thread_local=False)
    while True:
        try:
            if lock.acquire(blocking=True, blocking_timeout=seconds):
                break
        except redis.exceptions.RedisError:
            time.sleep(1)
        logger.info("Another beat holds the beat lock: waiting as a standby")
    logger.warning("Beat lock taken: this beat sends the schedule")
    threading.Thread(target=_keep, args=(lock, seconds / 3), daemon=True).start()

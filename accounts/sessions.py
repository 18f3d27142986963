"""
The database session store, with the read every signed-in request makes
done by a statement built once a process (sfoqa.statements).

It reads the same row of the same table by the same rule as Django's store
(its key, with an expiry still to come); saving, ending a deactivated
user's sessions and purging are Django's own.
"""

from django.contrib.sessions.backends.db import SessionStore as DatabaseSessionStore
from django.db import connections, router
from django.utils import timezone

from sfoqa.statements import fetch


class SessionStore(DatabaseSessionStore):
    def _live(self):
        # Chained, so that the built SQL takes the key, then the time.
        return (
            self.model.objects.filter(session_key="")
            .filter(expire_date__gt=timezone.now())
            .values_list("session_data")
        )

    def _get_session_from_db(self):
        connection = connections[router.db_for_read(self.model)]
        # As the ORM would pass it: SQLite compares text, in UTC.
        now = connection.ops.adapt_datetimefield_value(timezone.now())
        rows = fetch("live session", self.model, self._live, [self.session_key, now])
        if not rows:
            self._session_key = None
            return None
        return self.model(session_key=self.session_key, session_data=rows[0][0])

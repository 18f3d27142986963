"""
The database session store, with the read every signed-in request makes
done by a statement built once a process.

Django's store reads the session through the ORM, where building the query
costs more than running it. This store reads the same row of the same table
by the same rule (its key, with an expiry still to come); saving, ending a
deactivated user's sessions and purging are Django's own.
"""

from django.contrib.sessions.backends.db import SessionStore as DatabaseSessionStore
from django.db import connections, router
from django.utils import timezone

_statements: dict[str, str] = {}


def _statement(model, alias: str) -> str:
    """The SQL that reads a live session's data, built once per database."""
    if alias not in _statements:
        # Chained, so the parameters come in this order: key, then time.
        live = (
            model.objects.using(alias)
            .filter(session_key="")
            .filter(expire_date__gt=timezone.now())
        )
        _statements[alias] = live.values_list("session_data").query.sql_with_params()[0]
    return _statements[alias]


class SessionStore(DatabaseSessionStore):
    def _get_session_from_db(self):
        alias = router.db_for_read(self.model)
        connection = connections[alias]
        # As the ORM would pass it: SQLite compares text, in UTC.
        now = connection.ops.adapt_datetimefield_value(timezone.now())
        with connection.cursor() as cursor:
            cursor.execute(_statement(self.model, alias), [self.session_key, now])
            row = cursor.fetchone()
        if row is None:
            self._session_key = None
            return None
        return self.model(session_key=self.session_key, session_data=row[0])

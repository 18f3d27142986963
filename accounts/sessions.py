"""
The database session store, whose read brings the signed-in user with the
session: one statement a request where Django's store and backend make two.

It reads the same row of the same table by the same rule as Django's store
(its key, with an expiry still to come), and beside it the user the session
was signed in with (`UserSession`, written at sign-in), in one statement
built once a process and, on PostgreSQL, prepared (sfoqa.prepared).
`UserBackend.get_user` takes that user when it is the one the session names,
and reads the user itself otherwise (a session whose key has changed since
sign-in, say). Either way, Django's checks of the user follow: active, and
the session's hash of their password. Saving, ending a deactivated user's
sessions and purging are Django's own.
"""

from contextvars import ContextVar

from django.contrib.sessions.backends.db import SessionStore as DatabaseSessionStore
from django.contrib.sessions.models import Session
from django.db import connections, router
from django.utils import timezone

from accounts.models import User, UserSession
from sfoqa.prepared import generic_plans
from sfoqa.statements import instance

# The user read with this request's session, for the backend to take once.
_read_with_session: ContextVar[User | None] = ContextVar("read_with_session")
_built: dict[str, str] = {}


def _sql(alias: str) -> str:
    """The session's data and its user's every field, by the session's key
    and expiry. Table and column names from the models, never input."""
    if alias not in _built:
        quote = connections[alias].ops.quote_name
        user_columns = ", ".join(
            f"u.{quote(field.column)}" for field in User._meta.concrete_fields
        )
        _built[alias] = (
            f"SELECT s.{quote('session_data')}, {user_columns}"  # noqa: S608
            f" FROM {quote(Session._meta.db_table)} s"
            f" LEFT JOIN {quote(UserSession._meta.db_table)} us"
            f" ON us.{quote('session_key')} = s.{quote('session_key')}"
            f" LEFT JOIN {quote(User._meta.db_table)} u"
            f" ON u.{quote(User._meta.pk.column)} = us.{quote('user_id')}"
            f" WHERE s.{quote('session_key')} = %s"
            f" AND s.{quote('expire_date')} > %s"
        )
    return _built[alias]


def _user(alias: str, values) -> User | None:
    """The user from the row's values, as the ORM would make it; None where
    the session has no sign-in record."""
    if values[0] is None:
        return None
    table = User._meta.db_table
    columns = [field.get_col(table) for field in User._meta.concrete_fields]
    return instance(User, alias, columns, values)


def read_with_session(user_id) -> User | None:
    """The user read with this request's session, if it is `user_id`; taken
    once, so that it serves no later request."""
    user = _read_with_session.get(None)
    _read_with_session.set(None)
    return user if user is not None and user.pk == user_id else None


class SessionStore(DatabaseSessionStore):
    def _get_session_from_db(self):
        _read_with_session.set(None)
        alias = router.db_for_read(self.model)
        connection = connections[alias]
        # As the ORM would pass it: SQLite compares text, in UTC.
        now = connection.ops.adapt_datetimefield_value(timezone.now())
        with connection.cursor() as cursor, generic_plans():
            cursor.execute(_sql(alias), [self.session_key, now])
            row = cursor.fetchone()
        if row is None:
            self._session_key = None
            return None
        _read_with_session.set(_user(alias, row[1:]))
        return self.model(session_key=self.session_key, session_data=row[0])

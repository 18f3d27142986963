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

The same statement reads the second factor that verified the sign-in
(recorded on `UserSession` with it), for django-otp's middleware to take in
place of reading it again (`accounts.middleware.OTPMiddleware`) when it is
the device the session names; django-otp's own checks of it follow.
"""

from contextvars import ContextVar
from functools import cache

from django.contrib.sessions.backends.db import SessionStore as DatabaseSessionStore
from django.contrib.sessions.models import Session
from django.db import connections, router
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.models import IdentityProviderDevice, User, UserSession
from sfoqa.prepared import generic_plans
from sfoqa.statements import instance

# The user read with this request's session, for the backend to take once.
_read_with_session: ContextVar[User | None] = ContextVar("read_with_session")
_device_with_session: ContextVar[object | None] = ContextVar("device_with_session")
_built: dict[str, str] = {}
# Each model the statement reads a row of, after the session's data, with
# the UserSession column that leads to it: the user, then the devices.
_READ = (
    (User, "user_id"),
    (TOTPDevice, "totp_device_id"),
    (IdentityProviderDevice, "provider_device_id"),
)


def _sql(alias: str) -> str:
    """The session's data, its user's every field and those of the device
    that verified it, by the session's key and expiry. Table and column
    names from the models, never input."""
    if alias not in _built:
        quote = connections[alias].ops.quote_name
        columns, joins = [f"s.{quote('session_data')}"], []
        for index, (model, column) in enumerate(_READ):
            table = f"r{index}"
            columns += [
                f"{table}.{quote(field.column)}"
                for field in model._meta.concrete_fields
            ]
            joins.append(
                f" LEFT JOIN {quote(model._meta.db_table)} {table}"
                f" ON {table}.{quote(model._meta.pk.column)} = us.{quote(column)}"
            )
        _built[alias] = (
            f"SELECT {', '.join(columns)}"  # noqa: S608
            f" FROM {quote(Session._meta.db_table)} s"
            f" LEFT JOIN {quote(UserSession._meta.db_table)} us"
            f" ON us.{quote('session_key')} = s.{quote('session_key')}"
            f"{''.join(joins)}"
            f" WHERE s.{quote('session_key')} = %s"
            f" AND s.{quote('expire_date')} > %s"
        )
    return _built[alias]


def _instances(alias: str, values) -> list:
    """Each model's instance from its part of the row's values, as the ORM
    would make it; None where there is no row (no sign-in record, or no
    device of that kind)."""
    found, start = [], 0
    for model, columns in _columns():
        part = values[start : start + len(columns)]
        start += len(columns)
        found.append(None if part[0] is None else instance(model, alias, columns, part))
    return found


@cache
def _columns() -> list[tuple]:
    """Each model read, with its fields' column expressions."""
    return [
        (
            model,
            [
                field.get_col(model._meta.db_table)
                for field in model._meta.concrete_fields
            ],
        )
        for model, _column in _READ
    ]


def read_with_session(user_id) -> User | None:
    """The user read with this request's session, if it is `user_id`; taken
    once, so that it serves no later request."""
    user = _read_with_session.get(None)
    _read_with_session.set(None)
    return user if user is not None and user.pk == user_id else None


def device_read_with_session(persistent_id: str):
    """The device read with this request's session, if it is the one
    `persistent_id` names; taken once, so that it serves no later request."""
    device = _device_with_session.get(None)
    _device_with_session.set(None)
    if device is not None and device.persistent_id == persistent_id:
        return device
    return None


class SessionStore(DatabaseSessionStore):
    def _get_session_from_db(self):
        _read_with_session.set(None)
        _device_with_session.set(None)
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
        user, *devices = _instances(alias, row[1:])
        _read_with_session.set(user)
        _device_with_session.set(next(filter(None, devices), None))
        return self.model(session_key=self.session_key, session_data=row[0])

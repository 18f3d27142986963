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

Other parts of the service may ask for values of their own to be read in the
same statement on the pages that need them (`read_along`): the insights'
data version rides here on the pages of figures rather than costing them a
statement of its own, and costs the other pages nothing. The session
middleware (`accounts.middleware.SessionMiddleware`) tells the store which
page a read (GET or HEAD) asks for. The values are the request's: read when
its session is, dropped when it ends.

A session's data is decoded (its signature checked, then inflated) once a
process for each signed text it is stored as: the next request of the same
session, stored unchanged, parses the text that check gave. A change to the
session stores a new text; a text that fails the check is never kept.
"""

from collections.abc import Callable, Iterable
from contextvars import ContextVar
from functools import cache

from django.conf import settings
from django.contrib.sessions.backends.db import SessionStore as DatabaseSessionStore
from django.contrib.sessions.models import Session
from django.db import connections, router
from django.urls import reverse
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.models import IdentityProviderDevice, User, UserSession
from sfoqa.memo import Memo
from sfoqa.prepared import generic_plans
from sfoqa.statements import instance

# The user read with this request's session, for the backend to take once.
_read_with_session: ContextVar[User | None] = ContextVar("read_with_session")
_device_with_session: ContextVar[object | None] = ContextVar("device_with_session")
_built: dict[tuple, tuple[str, list[tuple[str, int]]]] = {}
# The values read along with the session, by name (`read_along`): the SQL of
# their columns given the connection, and the URL names of their pages.
_along: dict[str, tuple[Callable, tuple[str, ...]]] = {}
# Each of those pages' path, with the names of the values read on it.
_along_on: dict[str, tuple[str, ...]] = {}
_along_read: ContextVar[dict[str, tuple]] = ContextVar("along_read")
# Each model the statement reads a row of, after the session's data, with
# the UserSession column that leads to it: the user, then the devices.
_READ = (
    (User, "user_id"),
    (TOTPDevice, "totp_device_id"),
    (IdentityProviderDevice, "provider_device_id"),
)


def _sql(alias: str, names: tuple[str, ...]) -> tuple[str, list[tuple[str, int]]]:
    """The session's data, the values `names` read along with it, its user's
    every field and those of the device that verified it, by the session's
    key and expiry; with the name and column count of each value read along.
    Table and column names from the models, never input."""
    if (alias, names) not in _built:
        connection = connections[alias]
        quote = connection.ops.quote_name
        columns, joins, along = [f"s.{quote('session_data')}"], [], []
        for name in names:
            added = _along[name][0](connection)
            columns += added
            along.append((name, len(added)))
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
        _built[alias, names] = (
            f"SELECT {', '.join(columns)}"  # noqa: S608
            f" FROM {quote(Session._meta.db_table)} s"
            f" LEFT JOIN {quote(UserSession._meta.db_table)} us"
            f" ON us.{quote('session_key')} = s.{quote('session_key')}"
            f"{''.join(joins)}"
            f" WHERE s.{quote('session_key')} = %s"
            f" AND s.{quote('expire_date')} > %s",
            along,
        )
    return _built[alias, names]


def read_along(name: str, columns: Callable, *, pages: Iterable[str]) -> None:
    """Read `columns(connection)`, scalar SQL expressions built from the
    models (never from input), with the session of every read of the pages
    named (URL names): one statement where asking for them apart would be
    another."""
    _along[name] = (columns, tuple(pages))
    _along_on.clear()


def _along_for(path: str | None) -> tuple[str, ...]:
    """The names of the values read along on the page at `path`."""
    if path is None or not _along:
        return ()
    if not _along_on:
        on: dict[str, list[str]] = {}
        for name, (_columns, pages) in _along.items():
            for page in pages:
                on.setdefault(reverse(page), []).append(name)
        _along_on.update({page: tuple(names) for page, names in on.items()})
    return _along_on.get(path, ())


def read_along_values(name: str) -> tuple | None:
    """The values of `name` read with this request's session; None where no
    session was read in this request, none was found, or its page does not
    read them."""
    return _along_read.get({}).get(name)


def forget_read_along(**kwargs) -> None:
    """Drop what was read with the session: connected to the end of each
    request, so that no later work in the thread takes it as its own."""
    _along_read.set({})


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


# Each session's data serialized (JSON), by its signed text and the keys
# that checked it (so that a change of key checks it again): about 1 KB a
# session.
_decoded = Memo(size=2048)


class SessionStore(DatabaseSessionStore):
    # The path of the page a request reads (GET or HEAD), where the session
    # middleware tells it: what is read along depends on it.
    page: str | None = None

    def decode(self, session_data):
        """Django's decoding, done once for each signed text (see above)."""
        key = (
            session_data,
            self.key_salt,
            settings.SECRET_KEY,
            *settings.SECRET_KEY_FALLBACKS,
        )
        serialized = _decoded.get(key)
        if serialized is not None:
            # A new dict each time, safe to change.
            return self.serializer().loads(serialized)
        data = super().decode(session_data)
        if data:  # a text that failed the check decodes as {}
            _decoded.put(key, self.serializer().dumps(data))
        return data

    def _get_session_from_db(self):
        _read_with_session.set(None)
        _device_with_session.set(None)
        _along_read.set({})
        alias = router.db_for_read(self.model)
        connection = connections[alias]
        # As the ORM would pass it: SQLite compares text, in UTC.
        now = connection.ops.adapt_datetimefield_value(timezone.now())
        sql, along = _sql(alias, _along_for(self.page))
        with connection.cursor() as cursor, generic_plans():
            cursor.execute(sql, [self.session_key, now])
            row = cursor.fetchone()
        if row is None:
            self._session_key = None
            return None
        start, read = 1, {}
        for name, count in along:
            read[name] = tuple(row[start : start + count])
            start += count
        _along_read.set(read)
        user, *devices = _instances(alias, row[start:])
        _read_with_session.set(user)
        _device_with_session.set(next(filter(None, devices), None))
        return self.model(session_key=self.session_key, session_data=row[0])

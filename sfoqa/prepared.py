"""
PostgreSQL prepared statements for the hot queries that ask for them, as
psycopg 3 makes them (its `prepare_threshold`) and psycopg2 does not.

PostgreSQL parses and plans every statement it is sent. For the joined
queries of the lists, planning takes longer than running them, and every
request asks the same few queries with new values. Inside `generic_plans()`,
a connection that has run a statement `threshold` times prepares it
(`PREPARE`) and from then on only `EXECUTE`s it with the request's values.
After five runs PostgreSQL plans it once for all values (a generic plan),
where it expects that to cost no more than planning for each. The statement
is the same SQL text with the same values, so nothing it returns changes.

Only queries whose one plan suits every value ask for this: a row by its
key, a list read in index order. A range whose rows vary from a few to
thousands with its values (the review list's filters) is better planned
for its values each time: a generic plan there read a whole region's rows
to sort them, ten times slower than planning afresh.

- Each parameter is declared with the type psycopg2's literal would have had
  (an integer `int8`, a date `date`, a time zone-aware datetime `timestamptz`,
  text left `unknown` as a quoted literal is), so a value in a select list
  comes back as it did. A statement with any other kind of value (a list, a
  float, bytes, JSON) is not prepared.
- A statement PostgreSQL cannot prepare (a parameter whose type it cannot
  tell) costs one refusal, inside a savepoint where a transaction is open,
  and is then run as it was, for good.
- A connection keeps at most `LIMIT` statements (connections are closed after
  CONN_MAX_AGE), and forgets them with its connection.
- The debug cursor and `connection.queries` still show the statement's own
  SQL, not `EXECUTE`.

Prepared statements belong to a database session: a proxy that hands one
session's statements to another (PgBouncer in transaction mode) breaks them.
`DATABASE_PREPARE_THRESHOLD=0` turns them off.
"""

import datetime
import functools
import re
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from decimal import Decimal

import psycopg2
import psycopg2.errors
import psycopg2.extensions

LIMIT = 256
# Statements counted but not yet prepared: a connection forgets the counts
# when there are more (one-off queries, each with its own SQL).
COUNTED_LIMIT = 2048
_PLACEHOLDER = re.compile(r"%%|%s|%")
_NOT_PREPARED = None
IDLE = psycopg2.extensions.TRANSACTION_STATUS_IDLE
IN_TRANSACTION = psycopg2.extensions.TRANSACTION_STATUS_INTRANS
_asked: ContextVar[bool] = ContextVar("generic_plans", default=False)


@contextmanager
def generic_plans() -> Iterator[None]:
    """Prepare the statements run inside this block once they are hot."""
    token = _asked.set(True)
    try:
        yield
    finally:
        _asked.reset(token)


def _declared_type(value) -> str | None:
    """The parameter type matching psycopg2's literal for `value`, or None
    where the statement is better left unprepared."""
    if value is None or isinstance(value, str):
        return "unknown"
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, int):
        return "int8" if -(2**63) <= value < 2**63 else None
    if isinstance(value, Decimal):
        return "numeric"
    if isinstance(value, datetime.datetime):
        return "timestamp" if value.tzinfo is None else "timestamptz"
    if isinstance(value, datetime.date):
        return "date"
    if isinstance(value, datetime.time):
        return "time" if value.tzinfo is None else "timetz"
    if isinstance(value, uuid.UUID):
        return "uuid"
    return None


def numbered(sql: str) -> tuple[str, int] | None:
    """`sql` with psycopg2's `%s` placeholders as `$1`, `$2`... and `%%` as
    `%`, and the number of placeholders; None if it has any other `%`."""
    count = 0

    def replace(match):
        nonlocal count
        if match.group() == "%%":
            return "%"
        if match.group() == "%":
            raise ValueError
        count += 1
        return f"${count}"

    try:
        return _PLACEHOLDER.sub(replace, sql), count
    except ValueError:
        return None


class Connection(psycopg2.extensions.connection):
    """A connection that remembers the statements it has prepared."""

    def __init__(self, *args, threshold: int = 0, **kwargs):
        super().__init__(*args, **kwargs)
        self.threshold = threshold
        self.prepared: dict[tuple, str | None] = {}
        self.counted: dict[tuple, int] = {}


def options(threshold: int) -> dict:
    """The OPTIONS that give a PostgreSQL database's connections prepared
    statements, after `threshold` runs of one (none at 0)."""
    if threshold <= 0:
        return {}
    return {
        "connection_factory": functools.partial(Connection, threshold=threshold),
        "cursor_factory": Cursor,
    }


class Cursor(psycopg2.extensions.cursor):
    """Runs a statement its connection has prepared as `EXECUTE`, and
    prepares one once the connection has run it often enough."""

    _shown = None

    def execute(self, query, vars=None):
        connection = self.connection
        self._shown = None
        if (
            not connection.threshold
            or not _asked.get()
            or self.name is not None
            or not isinstance(vars, list | tuple)
        ):
            return super().execute(query, vars)
        types = tuple(_declared_type(value) for value in vars)
        key = (query, types)
        name = connection.prepared.get(key, False)
        if name is False:
            name = self._maybe_prepare(connection, key, len(vars))
        if name is None:
            return super().execute(query, vars)
        self._shown = (query, vars)
        run = (
            f"EXECUTE {name}({', '.join(['%s'] * len(vars))})"
            if vars
            else f"EXECUTE {name}"
        )
        try:
            return super().execute(run, vars)
        except psycopg2.errors.InvalidSqlStatementName:
            # The session lost its statements (DISCARD ALL, say): start again.
            connection.prepared.clear()
            if connection.get_transaction_status() != IDLE:
                raise
            self._shown = None
            return super().execute(query, vars)

    def _maybe_prepare(self, connection, key, count) -> str | None:
        """The statement's name once prepared; None if it will not be."""
        query, types = key
        runs = connection.counted.get(key, 0) + 1
        if runs < connection.threshold or len(connection.prepared) >= LIMIT:
            if len(connection.counted) >= COUNTED_LIMIT:
                connection.counted.clear()
            connection.counted[key] = runs
            return None
        status = connection.get_transaction_status()
        if status not in (IDLE, IN_TRANSACTION):
            return None  # a failed transaction: the statement fails as it is
        connection.counted.pop(key, None)
        found = numbered(query)
        if None in types or found is None or found[1] != count:
            connection.prepared[key] = _NOT_PREPARED
            return None
        name = f"sfoqa_{len(connection.prepared) + 1}"
        declared = f"({', '.join(types)})" if types else ""
        prepare = f"PREPARE {name}{declared} AS {found[0]}"
        if status == IN_TRANSACTION:
            # A refusal must not end the transaction; a prepared statement
            # outlives the transaction whatever becomes of it.
            prepare = (
                f"SAVEPOINT sfoqa_prepare; {prepare}; RELEASE SAVEPOINT sfoqa_prepare"
            )
        with connection.cursor() as cursor:
            try:
                psycopg2.extensions.cursor.execute(cursor, prepare)
            except psycopg2.Error:
                if status == IN_TRANSACTION:
                    psycopg2.extensions.cursor.execute(
                        cursor,
                        "ROLLBACK TO SAVEPOINT sfoqa_prepare; "
                        "RELEASE SAVEPOINT sfoqa_prepare",
                    )
                connection.prepared[key] = _NOT_PREPARED
                return None
        connection.prepared[key] = name
        return name

    @property
    def query(self):
        """The statement as run, with its values: its own SQL, not EXECUTE."""
        if self._shown is not None:
            return self.mogrify(*self._shown)
        return super().query

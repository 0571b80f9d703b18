"""A write HQ makes itself, run again when PostgreSQL stopped it for a conflict (issue 25).

Since the lanes (:mod:`hq.lanes`) there is no single sequence row every writer locks first,
so two writers that lock the same things in another order meet crosswise: an HQ erasure
(:mod:`hq.dsr`: the global lane, then the sales lock) against a sales import chunk
(:mod:`hq.sales.intake`: the sales lock, then the global lane); a fetch, a publish or a CRM
score write against a push holding the same rows. PostgreSQL then stops one of the two
(``40P01`` deadlock), or one fails a serialisation check (``40001``), or both insert one new
key and the second fails (``23505``). The stopped transaction was rolled back whole, so it
is run again from its start, after a short random pause (:func:`_pause`): nothing of the
first attempt survives to be written twice.

:func:`retryable` recognises those conflicts whether SQLAlchemy raised them (a
:class:`~sqlalchemy.exc.DBAPIError` whose ``orig`` carries the ``sqlstate``) or psycopg itself
(:mod:`hq.bulk`'s COPY and raw driver calls). :func:`run_retrying` runs a function that
opens and commits its own transaction; :func:`write_retrying` is that for the usual
``with _write(engine) as conn, conn.begin()``. Only a function that owns its transaction may
be retried: one handed the caller's connection is retried by the caller, whole. Anything
else (a refusal, a bad value, another database error) goes on up at once. SQLite writers
are serial (``BEGIN IMMEDIATE``) and raise no such conflict.
"""

from __future__ import annotations

import logging
import random
import time
from typing import Callable, TypeVar

from sqlalchemy import Connection, Engine
from sqlalchemy.exc import DBAPIError

from hq.common import _write

T = TypeVar("T")

TRIES = 5
DEADLOCK, SERIALIZATION, UNIQUE = "40P01", "40001", "23505"
CONFLICTS = frozenset({DEADLOCK, SERIALIZATION, UNIQUE})

log = logging.getLogger("orchard.hq")


def sqlstate(exc: BaseException) -> str | None:
    """The SQLSTATE of a database error, raised through SQLAlchemy or by psycopg; None otherwise."""
    orig = exc.orig if isinstance(exc, DBAPIError) else exc
    code = getattr(orig, "sqlstate", None)
    return code if isinstance(code, str) else None


def retryable(exc: BaseException) -> bool:
    """Whether PostgreSQL stopped the transaction for a conflict with another writer (see the
    module docstring): a deadlock, a serialisation failure, a new key inserted first."""
    return sqlstate(exc) in CONFLICTS


def run_retrying(fn: Callable[[], T], *, tries: int = TRIES, what: str = "HQ write") -> T:
    """``fn()``, run again from the start (at most ``tries`` times in all) while it fails with
    a conflict; the last conflict, or any other error, goes on up. ``fn`` must open and
    commit its own transaction. ``what`` names the write in the log (never a value)."""
    if tries < 1:
        raise ValueError("tries must be at least 1")
    attempt = 1
    while True:
        try:
            return fn()
        except Exception as exc:
            if attempt >= tries or not retryable(exc):
                raise
            attempt += 1
            log.info("%s stopped by a conflict (sqlstate %s); running it again (attempt %d of %d)",
                     what, sqlstate(exc), attempt, tries)
            _pause(attempt)


def _pause(attempt: int) -> None:
    """A short random wait before attempt ``attempt`` (2, 3, ...): up to 10, 20, 40, 80 ms.
    The transaction PostgreSQL let through was woken when this one stopped, but it takes the
    row it waited for only once it runs. Run again at once, this one can take that row first
    and meet it crosswise again: under load, an HQ erasure was stopped twice by one sales
    import so (tests/hq/test_writer_retry.py, about one run in ten)."""
    time.sleep(random.uniform(0, 0.01 * 2 ** (attempt - 2)))


def write_retrying(engine: Engine, fn: Callable[[Connection], T], *, tries: int = TRIES,
                   what: str = "HQ write") -> T:
    """``fn(conn)`` in a write transaction of its own (:func:`hq.common._write`), committed
    when it returns; a conflict rolls it back and runs it again in a new one
    (:func:`run_retrying`)."""
    def once() -> T:
        with _write(engine) as conn, conn.begin():
            return fn(conn)
    return run_retrying(once, tries=tries, what=what)


__all__ = ["CONFLICTS", "TRIES", "retryable", "run_retrying", "sqlstate", "write_retrying"]

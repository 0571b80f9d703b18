"""A push that meets another batch crosswise is merged again, whichever layer reports the
conflict: SQLAlchemy for the ORM-style statements, psycopg itself for hq.bulk's COPY and raw
driver calls (a batch sent again while its first copy is still being written hits that
copy's operation ids in the COPY of hq_op)."""

from __future__ import annotations

import psycopg.errors
from sqlalchemy.exc import DBAPIError, IntegrityError

from hq.push import _retryable


def test_a_conflict_is_retried_whichever_layer_raises_it():
    for conflict in (psycopg.errors.UniqueViolation(), psycopg.errors.DeadlockDetected(),
                     psycopg.errors.SerializationFailure()):
        assert _retryable(conflict)
        assert _retryable(IntegrityError("INSERT", {}, conflict))


def test_other_errors_are_not_retried():
    assert not _retryable(psycopg.errors.NotNullViolation())
    assert not _retryable(DBAPIError("INSERT", {}, psycopg.errors.NotNullViolation()))
    assert not _retryable(ValueError("bad body"))

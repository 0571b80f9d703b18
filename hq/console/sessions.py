"""Browser sessions. The cookie holds a random token; HQ keeps only its SHA-256, the
user, the session's CSRF token and two times. A sign-in always starts a new session (the
sign-in page's own session, which carried the form's CSRF token, is deleted: no fixation).
A session ends after 30 minutes without a request, 12 hours after it began, at sign-out,
and when the user is deactivated or their password is set."""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import Engine, and_, delete, insert, or_, select, update

from hq.common import _now, _sha, _write
from hq.console.accounts import aware
from hq.models import hq_session

IDLE = timedelta(minutes=30)
ABSOLUTE = timedelta(hours=12)
TOUCH_EVERY = timedelta(seconds=60)     # last_seen_at is written at most this often


@dataclass(frozen=True)
class Session:
    token_hash: str
    user_id: int | None          # None: a sign-in page's session
    csrf_token: str
    pending_totp: bool
    created_at: datetime


def start(engine: Engine, user_id: int | None = None, *, pending_totp: bool = False,
          replaces: str | None = None) -> tuple[str, Session]:
    """A new session (and its cookie token); ``replaces``: the old session's token, deleted
    in the same transaction. Expired sessions are swept here too."""
    token = secrets.token_urlsafe(32)
    now = _now()
    session = Session(_sha(token), user_id, secrets.token_urlsafe(32), pending_totp, now)
    with _write(engine) as conn, conn.begin():
        conn.execute(delete(hq_session).where(or_(hq_session.c.last_seen_at < now - IDLE,
                                                  hq_session.c.created_at < now - ABSOLUTE)))
        if replaces:
            conn.execute(delete(hq_session).where(hq_session.c.token_hash == _sha(replaces)))
        conn.execute(insert(hq_session).values(token_hash=session.token_hash, user_id=user_id,
                                               csrf_token=session.csrf_token, pending_totp=pending_totp,
                                               created_at=now, last_seen_at=now))
    return token, session


def load(engine: Engine, token: str | None) -> Session | None:
    """The live session for a cookie token (its idle time restarts), or None."""
    if not token or len(token) > 100:
        return None
    digest = _sha(token)
    now = _now()
    with engine.connect() as conn:
        row = conn.execute(select(hq_session).where(hq_session.c.token_hash == digest)).first()
    if row is None:
        return None
    seen, created = aware(row.last_seen_at), aware(row.created_at)
    assert seen is not None and created is not None
    if now - seen > IDLE or now - created > ABSOLUTE:
        end(engine, token)
        return None
    if now - seen > TOUCH_EVERY:
        with _write(engine) as conn, conn.begin():
            conn.execute(update(hq_session).where(hq_session.c.token_hash == digest).values(last_seen_at=now))
    return Session(digest, row.user_id, row.csrf_token, bool(row.pending_totp), created)


def end(engine: Engine, token: str | None) -> None:
    if not token:
        return
    with _write(engine) as conn, conn.begin():
        conn.execute(delete(hq_session).where(hq_session.c.token_hash == _sha(token)))


def end_user_sessions(conn, user_id: int, *, keep: str | None = None) -> None:
    """Every session of a user (but ``keep``, a token hash: the one changing its own password)."""
    cond = hq_session.c.user_id == user_id
    if keep:
        cond = and_(cond, hq_session.c.token_hash != keep)
    conn.execute(delete(hq_session).where(cond))

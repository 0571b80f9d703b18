"""One-time admin reset codes for an enrolled store (issue 24): ``orchard-hq admin-reset-code``.

When a store's only admin is locked out and its recovery key is not at hand, HQ prints a
code the store checks offline (``core.recovery.reset_admin``): signed with the key both
sides derive from the store's HQ credential (:mod:`core.recovery.hq_codes`), valid for a
few hours, good once (the store records it). HQ keeps nothing of the code; its own log
line names the store and the expiry only.
"""

from __future__ import annotations

import logging
from datetime import datetime, timedelta

from sqlalchemy import Engine, select

from core.recovery import hq_codes
from hq.common import BadRequest, _now
from hq.models import hq_store

log = logging.getLogger("orchard.hq.admin_reset")

DEFAULT_HOURS = 24
MAX_HOURS = 7 * 24


def issue(engine: Engine, store_code: str, *, hours: int = DEFAULT_HOURS,
          now: datetime | None = None) -> tuple[str, datetime]:
    """(code, expires_at) for the enrolled store ``store_code``; BadRequest for an unknown
    or not yet enrolled store, or a validity outside 1 hour to 7 days."""
    if not 1 <= int(hours) <= MAX_HOURS:
        raise BadRequest("a reset code is valid for 1 to {max} hours", max=str(MAX_HOURS))
    code = (store_code or "").strip().upper()
    with engine.connect() as conn:
        row = conn.execute(select(hq_store.c.credential_hash).where(hq_store.c.code == code)).first()
    if row is None:
        raise BadRequest("no store with this code")
    if not row.credential_hash:
        raise BadRequest("this store has not enrolled yet: it has no credential to sign a reset code with")
    expires_at = (now or _now()) + timedelta(hours=int(hours))
    text = hq_codes.make(hq_codes.key_from_credential_hash(row.credential_hash), expires_at=expires_at)
    log.info("admin reset code issued for store %s, valid until %s", code, expires_at.isoformat(timespec="minutes"))
    return text, expires_at.replace(second=0, microsecond=0)


__all__ = ["DEFAULT_HOURS", "MAX_HOURS", "issue"]

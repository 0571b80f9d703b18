"""Store-wide settings a manager sets (kept in the store row, so every counter follows)."""

from __future__ import annotations

from sqlalchemy.orm import Session

from core import audit
from core.errors import NotFound, ValidationError
from core.models import Store
from core.permissions import Actor, Perm, require

IDLE_DEFAULT = 15
IDLE_MIN, IDLE_MAX = 2, 60


def idle_minutes(session: Session, store_id) -> int:
    store = session.get(Store, store_id)
    return int((store.settings or {}).get("idle_minutes", IDLE_DEFAULT)) if store else IDLE_DEFAULT


def set_idle_minutes(session: Session, actor: Actor, minutes: int) -> int:
    require(actor, Perm.MANAGE_SETTINGS)
    if not isinstance(minutes, int) or not IDLE_MIN <= minutes <= IDLE_MAX:
        raise ValidationError("idle_minutes", "must be between {low} and {high} minutes",
                              low=IDLE_MIN, high=IDLE_MAX)
    store = session.get(Store, actor.store_id)
    if store is None:
        raise NotFound("store")
    store.settings = {**(store.settings or {}), "idle_minutes": minutes}
    audit.record(session, actor, "settings.idle_minutes", "store", store.id, detail=str(minutes))
    return minutes

"""Who works here and which store this is, as the sign-in screen shows them: plain values
with no SQLAlchemy behind them, so the sign-in page can show before the ORM has loaded
(core.quick_open). core.staff makes and re-exports them."""

from __future__ import annotations

import uuid
from dataclasses import dataclass

from core.permissions import Role

OWN_STORE_KEY = "store.id"      # sync_state: the id of the store this database belongs to


@dataclass(frozen=True)
class StaffInfo:
    id: uuid.UUID
    store_id: uuid.UUID
    staff_number: str
    display_name: str
    role: Role
    skills: tuple[str, ...]
    has_pin: bool
    active: bool
    language: str | None


@dataclass(frozen=True)
class StoreInfo:
    id: uuid.UUID
    code: str
    name: str
    timezone: str
    country: str
    currency: str

"""Who works here and which store this is, as the sign-in screen shows them: plain values
with no SQLAlchemy behind them, so the sign-in page can show before the ORM has loaded
(core.quick_open). core.staff makes and re-exports them."""

from __future__ import annotations

import json
import uuid
from dataclasses import dataclass
from typing import Any, Callable, Mapping, Sequence

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


# --- the rules, as SQL both readers run ------------------------------------------------
# core.staff runs them on the ORM's session (sqlalchemy.text), core.quick_open on a bare
# SQLCipher connection before SQLAlchemy has loaded: one definition, one answer. Named
# parameters (:name) read the same in both. Ids are stored as 32 hex digits.

_STORE_COLUMNS = "id, code, name, timezone, country, currency"
# After sync the database also holds other stores' rows, so the store is remembered by id
# from the first run (or enrolment); before that, the only store there is.
OWN_STORE_ID_SQL = "SELECT value FROM sync_state WHERE key = :key"
STORE_BY_ID_SQL = f"SELECT {_STORE_COLUMNS} FROM store WHERE id = :id"
FIRST_STORE_SQL = f"SELECT {_STORE_COLUMNS} FROM store ORDER BY created_at LIMIT 1"
# who is listed: the store's staff by name, the active ones only on the sign-in page; whether
# a PIN is set is answered in SQL (the hashes are never read to say so)
_STAFF_COLUMNS = ("id, store_id, staff_number, display_name, role, skills, "
                  "pin_hash IS NOT NULL AND pin_hash <> '', active, language")
STAFF_SQL = f"SELECT {_STAFF_COLUMNS} FROM staff WHERE store_id = :store_id ORDER BY display_name"
SIGN_IN_STAFF_SQL = (f"SELECT {_STAFF_COLUMNS} FROM staff WHERE store_id = :store_id AND active = 1 "
                     f"ORDER BY display_name")

# run one statement with named parameters; its first row, or all of them
FirstRow = Callable[[str, Mapping[str, object]], "Sequence[Any] | None"]
AllRows = Callable[[str, Mapping[str, object]], "Sequence[Sequence[Any]]"]


def as_uuid(value: object) -> uuid.UUID:
    return value if isinstance(value, uuid.UUID) else uuid.UUID(str(value))


def read_own_store(first: FirstRow) -> StoreInfo | None:
    """The store this database belongs to, or None before set-up."""
    own = first(OWN_STORE_ID_SQL, {"key": OWN_STORE_KEY})
    row = first(STORE_BY_ID_SQL, {"id": as_uuid(own[0]).hex}) if own else None
    if row is None:
        row = first(FIRST_STORE_SQL, {})
    if row is None:
        return None
    return StoreInfo(as_uuid(row[0]), row[1], row[2], row[3], row[4], row[5])


def read_staff(rows: AllRows, store_id: uuid.UUID, *, include_inactive: bool = False) -> list[StaffInfo]:
    """The store's staff by name: those who may sign in (active), or everyone."""
    found = rows(STAFF_SQL if include_inactive else SIGN_IN_STAFF_SQL, {"store_id": store_id.hex})
    return [StaffInfo(as_uuid(r[0]), as_uuid(r[1]), r[2], r[3], Role(r[4]), _skills(r[5]), bool(r[6]),
                      bool(r[7]), r[8]) for r in found]


def _skills(value: object) -> tuple[str, ...]:
    if not value:
        return ()
    return tuple(json.loads(value) if isinstance(value, (str, bytes)) else value)  # type: ignore[arg-type]

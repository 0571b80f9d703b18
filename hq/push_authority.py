"""Who may write what about a customer, checked by HQ as a batch is merged
(:mod:`hq.push_merge`).

Serving
    A store may change a customer's rows (the customer, their devices, consents, notes,
    loyalty account and entries, and its own rows that name the customer) only once it
    serves that customer: it created them (the insert of a customer HQ does not hold
    yet) or fetched them on demand (``hq_served``).  Anything else is refused with
    ``not_served``: a store's own credential does not reach another store's customers.
Erasure
    An erasure (``erased`` set on a customer) is taken only from a store that serves the
    customer and only when its author may erase.  The author is an :class:`Author`: today
    a store's staff member, as the store's synced ``staff`` row at HQ says (role, store,
    active); HQ's own users (the console) are the other kind: those whose console role has
    the ``customers.dsr`` permission (:data:`HQ_ERASE_PERMISSION`, in the console's one
    permission table :mod:`hq.console.roles`), writing at HQ (no store).  Refused with
    ``not_allowed``.
hq_transfer
    Whether a customer's current ``hq_transfer`` consent is withdrawn (the latest consent
    row for that purpose says ``granted: false``).  While it is, HQ holds no personal
    column of theirs: an incoming change arrives without them, and the withdrawal itself
    removes what HQ held (:meth:`hq.push_merge._Batch._withhold_customer`). A customer and
    their consent rows are never deleted through sync (``not_allowed``): erasure only.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime, timezone
from typing import Any, Iterable

from sqlalchemy import select

from core.permissions import MATRIX, Perm, Role
from hq.bulk import _raw, any_of
from hq.common import _in, _step, lane_of
from hq.console import roles as console_roles
from hq.models import hq_row, hq_served

HQ_TRANSFER = "hq_transfer"

AUTHOR_STAFF = "staff"          # a store's staff member, vouched for by the store's synced staff row
AUTHOR_HQ_USER = "hq_user"      # a person signed in to HQ (the console)

# the console permission an HQ user's role needs to erase a customer (hq.console.roles says which roles)
HQ_ERASE_PERMISSION = "customers.dsr"


@dataclass(frozen=True)
class Author:
    """Who wrote a change: ``kind`` is :data:`AUTHOR_STAFF` or :data:`AUTHOR_HQ_USER`;
    ``store_id`` is the staff member's store (``None`` for an HQ user)."""

    kind: str
    id: uuid.UUID
    role: str
    store_id: uuid.UUID | None
    active: bool


def staff_author(staff_id: uuid.UUID, data: dict[str, Any] | None) -> Author | None:
    """The author a synced staff row describes; ``None`` when HQ has no such row."""
    if not data:
        return None
    try:
        store = uuid.UUID(str(data.get("store_id")))
    except ValueError:
        return None
    return Author(AUTHOR_STAFF, staff_id, str(data.get("role") or ""), store, data.get("active") is True)


def may_erase(author: Author | None, *, via_store: uuid.UUID | None) -> bool:
    """May ``author`` erase a customer, writing through ``via_store`` (the store that pushed
    the change; ``None`` for a change made at HQ)?  A staff member needs a role holding
    :attr:`Perm.EXPORT_ERASE_CUSTOMERS`, to be active, and to belong to that store; an HQ
    user a console role holding :data:`HQ_ERASE_PERMISSION`, to be active, and to write at
    HQ (no store)."""
    if author is None or not author.active:
        return False
    if author.kind == AUTHOR_STAFF:
        if author.store_id is None or author.store_id != via_store:
            return False
        try:
            role = Role(author.role)
        except ValueError:
            return False
        return role in MATRIX[Perm.EXPORT_ERASE_CUSTOMERS]
    if author.kind == AUTHOR_HQ_USER:
        return via_store is None and console_roles.allowed(author.role, HQ_ERASE_PERMISSION)
    return False


def _consent_key(data: dict[str, Any]) -> tuple[datetime, str]:
    """The order of consent rows, as the store's ``privacy._consents`` orders them: by
    time, then id."""
    at = data.get("at")
    try:
        when = datetime.fromisoformat(at) if isinstance(at, str) else datetime.min
    except ValueError:
        when = datetime.min
    if when.tzinfo is None:
        when = when.replace(tzinfo=timezone.utc)
    return when, str(data.get("id") or "")


class Guard:
    """What one store may do to which customers, for one batch: which of them it serves,
    and whose ``hq_transfer`` consent is withdrawn. Reads lazily, in bulk where it can."""

    def __init__(self, conn: Any, store_id: uuid.UUID):
        self.conn = conn
        self.store_id = store_id
        self.served: set[uuid.UUID] = set()
        self.stored: set[uuid.UUID] = set()        # served as hq_served held it (no link to insert)
        self.asked: set[uuid.UUID] = set()
        self.hq_transfer: dict[uuid.UUID, tuple[tuple[datetime, str], bool]] = {}
        self.consents_read: set[uuid.UUID] = set()

    def preload(self, customers: Iterable[uuid.UUID]) -> None:
        ids = [c for c in set(customers) if c not in self.asked]
        step = _step(self.conn)
        for i in range(0, len(ids), step):
            chunk = ids[i:i + step]
            # the store's links are in its lane (one partition, its primary key); the consent
            # rows through hq0015's index of them
            if self.conn.dialect.name == "postgresql":
                # the ids as one binary array (hq.bulk): psycopg quoted each one in text
                found = {c for c, in _raw(self.conn, "SELECT customer_id FROM hq_served WHERE lane = %s::smallint "
                                                     "AND store_id = %s AND customer_id = ANY(%b::uuid[])",
                                          [lane_of(self.store_id), self.store_id, chunk], fetch=True)}
                # in every lane: the ids through hq.bulk.any_of (planned without weighing each)
                consents: Any = _raw(self.conn, "SELECT customer_id, data FROM hq_row WHERE entity = 'consent' "
                                                f"AND deleted IS false AND customer_id = {any_of('uuid')}",
                                     [chunk], fetch=True)
            else:
                found = set(self.conn.scalars(select(hq_served.c.customer_id).where(
                    hq_served.c.lane == lane_of(self.store_id), hq_served.c.store_id == self.store_id,
                    _in(self.conn, hq_served.c.customer_id, chunk))))
                consents = self.conn.execute(select(hq_row.c.customer_id, hq_row.c.data).where(
                    hq_row.c.entity == "consent", hq_row.c.deleted.is_(False),
                    _in(self.conn, hq_row.c.customer_id, chunk)))
            self.served.update(found)
            self.stored.update(found)
            for customer, data in consents:
                self._consider(customer, data or {})
        self.asked.update(ids)
        self.consents_read.update(ids)

    def serves(self, customer: uuid.UUID) -> bool:
        if customer not in self.asked:
            self.preload([customer])
        return customer in self.served

    def now_serves(self, customer: uuid.UUID) -> None:
        self.served.add(customer)

    def withdrawn(self, customer: uuid.UUID) -> bool:
        """Is the customer's current ``hq_transfer`` consent a withdrawal?"""
        if customer not in self.consents_read:
            self.preload([customer])
        state = self.hq_transfer.get(customer)
        return state is not None and not state[1]

    def _consider(self, customer: uuid.UUID, data: dict[str, Any]) -> bool:
        if data.get("purpose") != HQ_TRANSFER:
            return False
        key = _consent_key(data)
        current = self.hq_transfer.get(customer)
        if current is not None and key < current[0]:
            return False                       # an older decision arriving late
        self.hq_transfer[customer] = (key, data.get("granted") is True)
        return True

    def note_consent(self, customer: uuid.UUID, data: dict[str, Any]) -> bool:
        """A consent row of the customer was written; ``True`` when it makes their current
        ``hq_transfer`` decision a withdrawal."""
        if customer not in self.consents_read:
            self.preload([customer])
        return self._consider(customer, data) and not self.hq_transfer[customer][1]

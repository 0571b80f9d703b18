"""Merging a batch's operations into HQ's rows: each checked against its entity's
policy (:mod:`core.sync.merge`) and merged per field by stamp; erasure, customer
merges, which stores serve whom and loyalty balances follow from what changed."""

from __future__ import annotations

import operator
import uuid
from dataclasses import dataclass, field
from typing import Any, Iterable

from sqlalchemy import delete, select

from core.sync import merge
from hq import lanes, push_lookups
from hq.bulk import _bulk_insert_ignore, _raw, locked_rows
from hq.lanes import _compact  # noqa: F401 - where it lived before
from hq.common import (
    GLOBAL_LANE, StoreAuth, _in, _now, _step, _upsert_ignore, _uuid_or_none, lane_of,
    sales_lock,
)
from hq.models import hq_customer_score, hq_erased, hq_row, hq_served
from hq.push_authority import Guard, may_erase, staff_author
from hq.push_erase import HQ_DERIVED, _Erasure, _withheld  # noqa: F401 - where they lived before
from hq.push_ops import _Op
from hq.sales.retention import ErasedKeys, forget_erased

# rows sync never deletes: a person leaves only by erasure (which keeps both, blanked)
UNDELETABLE = frozenset({"customer", "consent"})

# UUIDs in their own order, compared as the integers they hold (UUID's own comparisons are
# Python methods: sorting a batch's customers and links with them cost 2 us per change)
_INT = operator.attrgetter("int")


def _link_order(link: tuple[uuid.UUID, uuid.UUID]) -> tuple[int, int]:
    return link[0].int, link[1].int


@dataclass
class RowState:
    entity: str
    entity_id: str
    exists: bool
    seq: int = 0
    bucket: str = ""
    owner: uuid.UUID | None = None
    customer: uuid.UUID | None = None
    deleted: bool = False
    data: dict[str, Any] = field(default_factory=dict)
    stamps: dict[str, str] = field(default_factory=dict)
    dirty: bool = False
    lane: int | None = None                 # fixed when first written (hq.lanes)
    pos: int = 0                            # the order the batch loaded it in


class _Batch(_Erasure):
    """Merges one batch of operations into rows loaded from HQ, then writes them."""

    def __init__(self, conn, auth: StoreAuth, now_ms: int, max_ahead_ms: int):
        self.conn = conn
        self.auth = auth
        self.now_ms = now_ms
        self.max_ahead_ms = max_ahead_ms
        self.rows: dict[tuple[str, str], RowState] = {}
        self.order: list[RowState] = []         # dirty rows in the order they changed
        self.erased: set[uuid.UUID] = set()
        self.newly_erased: list[tuple[uuid.UUID, str]] = []
        self.merged: list[tuple[uuid.UUID, uuid.UUID]] = []     # (merged away, survivor)
        self.moved: list[tuple[str, str, uuid.UUID]] = []         # rows now about another customer
        self.links: set[tuple[uuid.UUID, uuid.UUID]] = set()
        self.balance: dict[uuid.UUID, int] = {}
        self.max_stamp = ""
        self.guard = Guard(conn, auth.store_id)      # serving, erasure authority, hq_transfer
        self.lane = lane_of(auth.store_id)
        self.erased_by: dict[uuid.UUID, dict[str, uuid.UUID | None]] = {}
        self.erased_keys = ErasedKeys()      # the erased people's keys, for hq_sale (hq.sales.retention)
        self.related: dict[uuid.UUID, list[tuple[str, str]]] = {}     # rows about whom this batch erases
        self.merged_from: dict[uuid.UUID, list[str]] = {}     # and the profiles merged into them
        # the loaded rows by the customer they were loaded or placed with (push_erase._about)
        self.by_customer: dict[uuid.UUID, list[RowState]] = {}

    # loading ---------------------------------------------------------------------------------

    def load(self, keys: Iterable[tuple[str, str]]) -> None:
        by_entity: dict[str, dict[str, None]] = {}      # each id once, in the order asked
        for entity, entity_id in keys:
            if (entity, entity_id) not in self.rows:
                by_entity.setdefault(entity, {})[entity_id] = None
        for entity, wanted in by_entity.items():
            ids = list(wanted)
            step = _step(self.conn)
            pol = merge.policy(entity)
            # most rows of a store's batch are in its own lane (its customers', its own), global
            # ones in lane 0: asked there first (one partition), the rest in every lane
            guess = GLOBAL_LANE if pol is not None and pol.bucket == merge.BUCKET_GLOBAL else self.lane
            for i in range(0, len(ids), step):
                chunk = ids[i:i + step]
                found = self._fetch(entity, chunk, guess)
                rest = [x for x in chunk if x not in found]
                if rest:
                    self._fetch(entity, rest, None)
        for entity, wanted in by_entity.items():
            for entity_id in wanted:
                if (entity, entity_id) not in self.rows:
                    self.rows[(entity, entity_id)] = RowState(entity, entity_id, False, pos=len(self.rows))

    def _fetch(self, entity: str, ids: list[str], lane: int | None) -> set[str]:
        """Load these rows (in ``lane`` only, when given), locked: a batch about the same rows
        waits for this one (hq.lanes). Returns the ids found."""
        if self.conn.dialect.name == "postgresql":
            got = locked_rows(self.conn, entity, ids, lane)     # the ids as one binary array (hq.bulk)
        else:
            q = select(hq_row).where(hq_row.c.entity == entity, _in(self.conn, hq_row.c.entity_id, ids))
            got = self.conn.execute(q if lane is None else q.where(hq_row.c.lane == lane)).all()
        found = set()
        rows = self.rows        # all at once, plain tuples (hq_row's columns in table order)
        about = self.by_customer
        for lane_, _, entity_id, seq, bucket, owner, customer, deleted, data, stamps in got:
            found.add(entity_id)
            rows[(entity, entity_id)] = row = RowState(entity, entity_id, True, seq, bucket, owner, customer,
                                                       deleted, dict(data), dict(stamps), lane=lane_, pos=len(rows))
            if customer is not None:
                about.setdefault(customer, []).append(row)
        return found

    def preload(self, ops: list[_Op]) -> None:
        keys = {(o.entity, o.entity_id) for o in ops if merge.policy(o.entity) is not None}
        self.load(keys)
        parents = set()
        customers = set()
        for o in ops:
            pol = merge.policy(o.entity)
            if pol is None:
                continue
            row = self.rows[(o.entity, o.entity_id)]
            if pol.parent:
                col, parent_entity = pol.parent
                pid = o.fields.get(col) or row.data.get(col)
                if isinstance(pid, str):
                    parents.add((parent_entity, pid))
            if pol.customer_col:
                cid = o.entity_id if pol.customer_col == "id" else (o.fields.get(pol.customer_col)
                                                                     or row.data.get(pol.customer_col))
                cu = _uuid_or_none(cid)
                if cu:
                    customers.add(cu)
            if row.customer:
                customers.add(row.customer)
        self.load(parents)
        for o in ops:
            if o.entity == "customer":
                customers.update(c for c in (_uuid_or_none(o.entity_id),
                                             _uuid_or_none(o.fields.get("merged_into_id"))) if c)
        for key in parents:
            r = self.rows[key]
            if r.customer:
                customers.add(r.customer)
        # the profiles, locked: batches about one customer run one after the other, and a
        # new row about them goes to their home store's lane
        self.load(("customer", str(c)) for c in sorted(customers, key=_INT))
        if customers:
            ids = list(customers)
            step = _step(self.conn)
            for i in range(0, len(ids), step):
                if self.conn.dialect.name == "postgresql":       # the ids as one binary array (hq.bulk)
                    self.erased.update(c for c, in _raw(self.conn, "SELECT customer_id FROM hq_erased WHERE "
                                                        "customer_id = ANY(%b::uuid[])", [ids[i:i + step]], fetch=True))
                else:
                    self.erased.update(self.conn.scalars(select(hq_erased.c.customer_id).where(
                        _in(self.conn, hq_erased.c.customer_id, ids[i:i + step]))))
        self.guard.preload(customers)
        # the rows about each customer the batch erases, in one query (push_lookups.related_rows)
        self.related = push_lookups.related_rows(self.conn, ops)
        self.load(k for keys in self.related.values() for k in keys)
        self.merged_from = push_lookups.merged_into(self.conn, self.related) if self.related else {}

    # merging ---------------------------------------------------------------------------------

    def _mark(self, row: RowState) -> None:
        if not row.dirty:
            row.dirty = True
            self.order.append(row)

    def _owner_and_customer(self, pol: merge.Policy, row: RowState, entity_id: str,
                            fields: dict[str, Any]) -> tuple[uuid.UUID | None, uuid.UUID | None, bool]:
        """(owner store, customer, parent known) for the row after this operation."""
        def value(col):
            if col == "id" and len(merge.pk_columns(pol.entity)) == 1:
                return entity_id
            if col in fields:
                return fields[col]
            return row.data.get(col)
        owner = customer = None
        parent_known = True
        if pol.parent:
            col, parent_entity = pol.parent
            pid = value(col)
            parent = self.rows.get((parent_entity, pid)) if isinstance(pid, str) else None
            if parent is not None and (parent.exists or parent.dirty):
                owner, customer = parent.owner, parent.customer
            else:
                parent_known = False
        if pol.owner_col:
            owner = _uuid_or_none(value(pol.owner_col))
        if pol.customer_col:
            customer = _uuid_or_none(value(pol.customer_col))
        return owner, customer, parent_known

    def apply(self, o: _Op) -> None:
        """Merge one operation that passed :func:`_validate`."""
        pol = merge.policy(o.entity)
        hlc = o.hlc
        row = self.rows[(o.entity, o.entity_id)]
        live = (row.exists or row.dirty) and not row.deleted
        me = self.auth.store_id

        if pol.writer == merge.WRITER_HQ and not self.auth.publisher:
            raise merge.Rejected(merge.R_REFERENCE, o.entity)
        moving = False
        if pol.writer == merge.WRITER_INSERT_ONLY:
            if o.op == "insert":
                if live or row.deleted:
                    return                  # the same entry again: already kept
            elif o.op == "update" and live and pol.movable and o.fields.keys() <= set(pol.movable):
                moving = True               # a merge re-pointing the entry: merged like any field
            else:
                raise merge.Rejected(merge.R_INSERT_ONLY, o.entity)
        moved_from = row.data.get("account_id") if moving else None
        owner, customer, parent_known = self._owner_and_customer(pol, row, o.entity_id, o.fields)
        if pol.writer == merge.WRITER_OWNER:
            if live and row.owner is not None and row.owner != me:
                raise merge.Rejected(merge.R_NOT_OWNER, o.entity)
            if o.op != "delete" and owner is not None and owner != me:
                raise merge.Rejected(merge.R_NOT_OWNER, o.entity)
            if owner is None:
                owner = me                  # a child whose parent HQ has not seen yet
        elif pol.bucket == merge.BUCKET_STORE and owner is None:
            owner = me
        if pol.bucket == merge.BUCKET_CUSTOMER and customer is None and not parent_known:
            owner = me                      # not placeable yet: keep it with its writer

        erased = customer is not None and customer in self.erased
        fields = self._authorise(o, row, live, customer)
        if erased and o.op != "delete":
            fields = self._guard_erased(o, fields)
        if row.deleted:
            return                          # deleted stays deleted; a late edit is moot
        if o.op == "delete":
            row.deleted = True
            row.data = {}
            row.stamps = {"*": max(hlc, merge.max_stamp(row.stamps))}
            self._place(row, pol, owner, customer)
            self._mark(row)
            self._seen(hlc)
            return

        becomes_erased = (o.entity == "customer" and fields.get("erased") is True
                          and customer is not None and customer not in self.erased)
        if becomes_erased:
            self.erased_keys.note_customer(row.data)      # as HQ held them, before the erasure's blanks
        changed = False
        if not live and not row.stamps:
            row.data = dict(fields)
            row.stamps = {"*": hlc}
            changed = True
        else:
            for name, value in fields.items():
                if hlc > merge.field_stamp(row.stamps, name):
                    row.data[name] = value
                    row.stamps[name] = hlc
                    changed = True
        if becomes_erased:
            self._erase(row, customer, hlc)
            changed = True
        elif erased and o.entity != "customer" and self._blank_row(row, hlc):
            changed = True              # a row moved to an erased person keeps nothing about them
        if changed:
            before = row.customer
            self._place(row, pol, owner, customer)
            self._mark(row)
            if live and before is not None and before != row.customer:
                self.moved.append((o.entity, o.entity_id, before))
        if o.entity == "consent" and changed and customer is not None \
                and self.guard.note_consent(customer, row.data):
            self._withhold_customer(customer, hlc)
        if o.entity == "loyalty_entry" and not live:
            acct = _uuid_or_none(fields.get("account_id"))
            pts = fields.get("points")
            if acct and isinstance(pts, int):
                self.balance[acct] = self.balance.get(acct, 0) + pts
        elif moving and row.data.get("account_id") != moved_from:
            pts = row.data.get("points")
            old, new = _uuid_or_none(moved_from), _uuid_or_none(row.data.get("account_id"))
            if isinstance(pts, int) and old and new:
                self.balance[old] = self.balance.get(old, 0) - pts
                self.balance[new] = self.balance.get(new, 0) + pts
        if o.entity == "customer" and changed and fields.get("merged_into_id") and customer is not None:
            winner = _uuid_or_none(row.data.get("merged_into_id"))
            if winner is not None:
                self.merged.append((customer, winner))
                self._merged_with_erased(customer, winner, hlc)
        if customer is not None:
            self.links.add((me, customer))
            if o.entity == "customer":
                home = _uuid_or_none(row.data.get("home_store_id"))
                if home is not None:
                    self.links.add((home, customer))
        self._seen(hlc)

    def _authorise(self, o: _Op, row: RowState, live: bool, customer: uuid.UUID | None) -> dict[str, Any]:
        """The checks of :mod:`hq.push_authority`: the store serves every customer the
        operation touches (or creates the customer); an erasure's author may erase. Returns
        the fields to merge: without personal columns while the customer's ``hq_transfer``
        consent is withdrawn.

        A customer or a consent row is never deleted through sync: no store path deletes
        them (erasure is the only way to remove a person, and it keeps both), so a pushed
        delete would remove the person at every serving store with no erasure right checked
        and nothing in ``hq_erased``. Refused with ``not_allowed``."""
        me = self.auth.store_id
        if o.op == "delete" and o.entity in UNDELETABLE:
            raise merge.Rejected(merge.R_NOT_ALLOWED, o.entity)
        creating = o.entity == "customer" and o.op == "insert" and not row.exists and not row.dirty
        touched = {customer, row.customer if live else None}
        if o.entity == "customer":
            touched.add(_uuid_or_none(o.fields.get("merged_into_id")))    # a merge reaches the survivor too
        for c in touched:
            if c is None or (creating and c == customer) or (me, c) in self.links or self.guard.serves(c):
                continue
            raise merge.Rejected(merge.R_NOT_SERVED, o.entity)
        if creating and customer is not None:
            self.guard.now_serves(customer)
        if (o.entity == "customer" and o.fields.get("erased") is True and customer is not None
                and customer not in self.erased):
            staff = _uuid_or_none(o.fields.get("erased_by_id") or row.data.get("erased_by_id"))
            author = None
            if staff is not None:
                self.load([("staff", str(staff))])
                srow = self.rows[("staff", str(staff))]
                live_staff = (srow.exists or srow.dirty) and not srow.deleted
                author = staff_author(staff, srow.data if live_staff else None)
            if author is None or not may_erase(author, via_store=me):
                raise merge.Rejected(merge.R_NOT_ALLOWED, o.entity)
            self.erased_by[customer] = {"store_id": me, "staff_id": author.id}
        fields = o.fields
        if customer is not None and o.op != "delete" and self.guard.withdrawn(customer):
            # personal columns and JSON columns with personal keys (core.erasure's
            # declarations) are left out, even the blanks (or the key-less JSON) a new row
            # arrives with: a store's pull then leaves its own copy as it is (a blank would
            # overwrite it)
            held = _withheld(o.entity)
            fields = {k: v for k, v in fields.items() if k not in held}
        return fields

    def _seen(self, hlc: str) -> None:
        if hlc > self.max_stamp:
            self.max_stamp = hlc

    def _place(self, row: RowState, pol: merge.Policy, owner, customer) -> None:
        row.bucket = pol.bucket
        row.owner = owner if pol.bucket != merge.BUCKET_CUSTOMER or customer is None else None
        if pol.bucket == merge.BUCKET_GLOBAL and pol.writer == merge.WRITER_HQ:
            row.owner = None
        if pol.bucket == merge.BUCKET_CUSTOMER and customer is None:
            row.bucket = merge.BUCKET_STORE          # held with its writer until placeable
            row.owner = owner or self.auth.store_id
        if customer is not None and customer != row.customer:
            self.by_customer.setdefault(customer, []).append(row)
        row.customer = customer

    # writing ---------------------------------------------------------------------------------

    def finish(self, stamp: str | None = None) -> int:
        """Write the rows under their lanes' locks (:func:`hq.lanes.write`) and what follows
        from them; ``stamp``: the stamp HQ made (publish, DSR), which its clock keeps, else
        the clock moves past the batch's newest stamp. Returns how many sequence numbers
        were handed out."""
        conn = self.conn
        # every store that served a merged-away profile now serves the survivor, and gets it
        # (with what moved to it) on its next pull: one query for the batch's merges
        push_lookups.merged_links(conn, self.merged, self.links)
        self._follow_moves()
        new_links = self._insert_links()
        if self.newly_erased:
            sales_lock(conn, shared=True)       # no sales import beside the erasure (hq.sales.intake)
        # a store that newly serves a customer (not the one pushing: it has them) gets the
        # whole customer with its next pull (hq.serving's rule, as a fetch's)
        count = lanes.write(conn, self.order, self._lane_for,
                            {c for store, c in new_links if store != self.auth.store_id},
                            (lambda last: stamp) if stamp is not None else self._clock)
        if self.newly_erased:
            conn.execute(_upsert_ignore(conn, hq_erased),
                         [dict(customer_id=c, erased_at=_now(),
                               **self.erased_by.get(c, {"store_id": None, "staff_id": None}))
                          for c, _ in self.newly_erased])
            conn.execute(delete(hq_customer_score).where(
                _in(conn, hq_customer_score.c.customer_id, [c for c, _ in self.newly_erased])))
            forget_erased(conn, [c for c, _ in self.newly_erased], self.erased_keys)
        self._balances()
        return count

    def _lane_for(self, row: RowState) -> int:
        """A new row's lane: HQ's for global rows, the owner's for a store's, the customer's
        home store's for a customer's (the writer's while HQ has no home store for them)."""
        if row.bucket == merge.BUCKET_GLOBAL:
            return GLOBAL_LANE
        if row.bucket == merge.BUCKET_STORE or row.customer is None:
            return lane_of(row.owner or self.auth.store_id)
        profile = self.rows.get(("customer", str(row.customer)))
        home = _uuid_or_none(profile.data.get("home_store_id")) if profile is not None else None
        return lane_of(home or self.auth.store_id)

    def _clock(self, last: str) -> str | None:
        return lanes.clock_past(last, self.max_stamp, self.now_ms, self.max_ahead_ms)

    def _follow_moves(self) -> None:
        """A row that now belongs to another customer (a merge handing the loser's loyalty
        account to the winner) takes the rows that inherit their customer from it (its
        ledger entries) along: they are placed by their parent, and would otherwise stay
        with the old customer, out of sight of the stores that serve the new one."""
        while self.moved:
            entity, entity_id, old_customer = self.moved.pop()
            parent = self.rows[(entity, entity_id)]
            children = {p.entity: p for p in merge.policies().values() if p.parent and p.parent[1] == entity}
            if not children:
                continue
            keys = self.conn.execute(select(hq_row.c.entity, hq_row.c.entity_id).where(
                hq_row.c.customer_id == old_customer, hq_row.c.entity.in_(list(children)))).all()
            self.load((e, i) for e, i in keys)
            for key in [(e, i) for e, i in keys] + [k for k in self.rows if k[0] in children]:
                child = self.rows[key]
                pol = children[key[0]]
                if child.deleted or child.customer != old_customer or child.data.get(pol.parent[0]) != entity_id:
                    continue
                self._place(child, pol, parent.owner, parent.customer)
                self._mark(child)
                self.moved.append((key[0], key[1], old_customer))

    def _insert_links(self) -> list[tuple[uuid.UUID, uuid.UUID]]:
        """Record which stores serve which customers; returns the links that are new."""
        # the pusher's links HQ held at the start stay (hq_served rows are never deleted)
        me, stored = self.auth.store_id, self.guard.stored
        links = sorted((link for link in self.links if link[0] != me or link[1] not in stored), key=_link_order)
        if not links:
            return []
        if self.conn.dialect.name == "postgresql":
            return [(s, c) for _, s, c in _bulk_insert_ignore(
                self.conn, hq_served, [dict(lane=lane_of(s), store_id=s, customer_id=c)
                                       for s, c in links], returning=True)]
        new = self._new_links()
        _bulk_insert_ignore(self.conn, hq_served, [dict(lane=lane_of(s), store_id=s, customer_id=c) for s, c in new])
        return new

    def _new_links(self) -> list[tuple[uuid.UUID, uuid.UUID]]:
        if not self.links:
            return []
        links = list(self.links)
        have: set[tuple[uuid.UUID, uuid.UUID]] = set()
        customers = list({c for _, c in links})
        step = _step(self.conn)
        for i in range(0, len(customers), step):
            have.update(tuple(r) for r in self.conn.execute(
                select(hq_served.c.store_id, hq_served.c.customer_id)
                .where(_in(self.conn, hq_served.c.customer_id, customers[i:i + step]))))
        return [link for link in links if link not in have]

    def _balances(self) -> None:
        push_lookups.write_balances(self.conn, self.balance)

"""Erasure and withdrawn ``hq_transfer`` consent in a push's merge (:class:`hq.push_merge._Batch`
inherits these): the rows about an erased person blanked or deleted, the profiles merges join
to them erased with them, and a withdrawn consent's personal columns removed. Split from
:mod:`hq.push_merge` (its module size); the rows about a customer are found through the batch's
index by customer (:meth:`_Erasure._about`)."""

from __future__ import annotations

import operator
import uuid
from typing import TYPE_CHECKING, Any, Iterable

from sqlalchemy import select

from core import erasure
from core.sync import merge
from hq.common import _uuid_or_none
from hq.models import hq_erased, hq_row
from hq.push_ops import _Op

if TYPE_CHECKING:
    from hq.push_merge import RowState

# rows derived about the person (issue 23): hq.crm's scores (HQ's own copy in
# hq_customer_score goes too) and what staff did with a suggestion made to them (a store's
# action_outcome rows, every store's): deleted on erasure, and on arrival for an erased
# person, as core.erasure.DERIVED_ROWS has a store delete them, so HQ keeps none a store
# no longer has
HQ_DERIVED = frozenset(erasure.DERIVED_ROWS)

_POS = operator.attrgetter("pos")


class _Erasure:
    """The erasure half of :class:`hq.push_merge._Batch` (its state: rows, order, erased,
    related, merged_from, erased_by, by_customer...)."""

    # set by _Batch.__init__ (declared for readers; the batch owns them)
    conn: Any
    rows: dict[tuple[str, str], Any]
    order: list[Any]
    erased: set[uuid.UUID]
    newly_erased: list[tuple[uuid.UUID, str]]
    erased_by: dict[uuid.UUID, dict[str, uuid.UUID | None]]
    erased_keys: Any
    related: dict[uuid.UUID, list[tuple[str, str]]]
    merged_from: dict[uuid.UUID, list[str]]
    by_customer: dict[uuid.UUID, list[Any]]

    if TYPE_CHECKING:
        def load(self, keys: Iterable[tuple[str, str]]) -> None: ...
        def _mark(self, row: RowState) -> None: ...

    def _about(self, customer: uuid.UUID) -> list[Any]:
        """The loaded rows about ``customer`` now, in the order they were loaded (the order
        every loaded row was walked in before, so rows change, and are numbered, as then):
        through the index :meth:`_Batch._fetch` and :meth:`_Batch._place` keep, not a walk
        over every row the batch loaded (once per erasure: 5 us per pushed change)."""
        found = {id(r): r for r in self.by_customer.get(customer, ()) if r.customer == customer}
        return sorted(found.values(), key=_POS)

    def _withhold_customer(self, customer: uuid.UUID, hlc: str) -> None:
        """``hq_transfer`` withdrawn: remove the person's personal columns from every row HQ
        holds about them (keys, amounts and dates stay, so sales, tickets and the ledger
        still attach to the pseudonymous id). The columns are removed, not blanked, so a
        store's pull leaves its own copy as it is; so is a JSON column holding a personal
        key (``repair_ticket.intake_condition.notes``), as core.erasure declares them."""
        related = self.conn.execute(select(hq_row.c.entity, hq_row.c.entity_id)
                                    .where(hq_row.c.customer_id == customer)).all()
        self.load((e, i) for e, i in related)
        for r in self._about(customer):
            if r.deleted or not (r.exists or r.dirty):
                continue
            held = [c for c in _withheld(r.entity) if c in r.data]
            for col in held:
                del r.data[col]
                r.stamps[col] = max(hlc, merge.field_stamp(r.stamps, col))
            if held:
                self._mark(r)

    def _guard_erased(self, o: _Op, fields: dict[str, Any]) -> dict[str, Any]:
        """After erasure: the customer row refuses personal data and un-erasing; notes are
        refused; other rows about the person arrive with their personal columns blank."""
        cols = erasure.personal_columns(o.entity)
        if o.entity == "customer":
            if fields.get("erased") is False or any(not merge.is_blank(fields.get(c)) for c in cols if c in fields):
                raise merge.Rejected(merge.R_ERASED)
            return fields
        if o.entity in merge.PERSONAL_ROWS:
            raise merge.Rejected(merge.R_ERASED)
        # the personal columns and JSON keys the models declare (core.erasure)
        if any(c in fields for c in cols) or erasure.has_personal(o.entity, fields):
            return erasure.scrub_fields(o.entity, fields)
        return fields

    def _erase(self, row: RowState, customer: uuid.UUID, hlc: str) -> None:
        """The tombstone: blank the person everywhere HQ holds them, now and later. A merge
        says two profiles are one person, so every profile the merges join to this one is
        erased with it (core.erasure, "Who is erased"): its row marked erased like this
        one, so every store that pulls it blanks it too."""
        self._erase_profile(row, customer, hlc)
        for other in sorted(self._person(customer) - self.erased, key=str):
            self._erase_profile(self.rows[("customer", str(other))], other, hlc, like=row.data)
            self.erased_by.setdefault(other, self._author(customer))

    def _erase_profile(self, row: RowState, customer: uuid.UUID, hlc: str,
                       like: dict[str, Any] | None = None) -> None:
        """Blank one profile and every row about it; ``like``: the erased row whose marker
        (erased, when, by whom) this one takes."""
        self.erased_keys.note_customer(row.data)
        for col in erasure.personal_columns("customer"):
            row.data[col] = erasure.blank_value("customer", col)
            row.stamps[col] = max(hlc, merge.field_stamp(row.stamps, col))
        for col in ("erased", "erased_at", "erased_by_id") if like is not None else ():
            row.data[col] = like.get(col, True if col == "erased" else None)
            row.stamps[col] = max(hlc, merge.field_stamp(row.stamps, col))
        if like is not None:
            self._mark(row)
        self.erased.add(customer)
        self.newly_erased.append((customer, hlc))
        related = self.related.pop(customer, None)
        if related is None:
            related = [(e, i) for e, i in self.conn.execute(select(hq_row.c.entity, hq_row.c.entity_id)
                                                            .where(hq_row.c.customer_id == customer))]
        self.load(related)
        for r in self._about(customer):
            if r is row or r.entity == "customer" or r.deleted or not (r.exists or r.dirty):
                continue
            if r.entity == "loyalty_account":
                self.erased_keys.note_account(r.data)
            self._blank_row(r, hlc)

    def _blank_row(self, r: RowState, hlc: str) -> bool:
        """A row about an erased person: deleted when it exists only to describe them, else
        every personal column and JSON key the models declare (core.erasure) blanked, in
        insert-only rows too (a ledger entry's reason): HQ's own copy forgets them."""
        if r.entity in merge.PERSONAL_ROWS or r.entity in HQ_DERIVED:
            r.deleted = True
            r.data = {}
            r.stamps = {"*": max(hlc, merge.max_stamp(r.stamps))}
            self._mark(r)
            return True
        clean = erasure.scrub_fields(r.entity, r.data)
        changed = [c for c in r.data if clean[c] != r.data[c]]
        for col in changed:
            r.data[col] = clean[col]
            r.stamps[col] = max(hlc, merge.field_stamp(r.stamps, col))
        if changed:
            self._mark(r)
        return bool(changed)

    def _person(self, customer: uuid.UUID) -> set[uuid.UUID]:
        """Every profile the merges join to ``customer`` (it included): the one it was merged
        into and every one merged into any of them, as HQ holds them with this batch's
        changes so far. Only the (rare) erasure asks, with the profile locked: the customer
        rows naming a profile are found through migration hq0010's index, whose expression
        :func:`hq.fetch._field` writes."""
        from hq.fetch import _field         # hq.fetch imports hq.push, which imports this module
        merged_into = _field(self.conn, "merged_into_id")
        seen = {customer}
        todo = [customer]
        while todo:
            c = todo.pop()
            self.load([("customer", str(c))])
            r = self.rows[("customer", str(c))]
            near = {_uuid_or_none(r.data.get("merged_into_id"))} if r.exists or r.dirty else set()
            merged_from = self.merged_from.get(c)
            if merged_from is None:
                merged_from = list(self.conn.scalars(select(hq_row.c.entity_id).where(
                    hq_row.c.entity == "customer", merged_into == str(c))))
            near.update(_uuid_or_none(i) for i in merged_from)
            text = str(c)       # this batch's merges into it (the changed rows: self.order)
            near.update(_uuid_or_none(o.entity_id) for o in self.order
                        if o.entity == "customer" and o.data.get("merged_into_id") == text)
            for n in near - seen - {None}:
                self.load([("customer", str(n))])
                o = self.rows[("customer", str(n))]
                if (o.exists or o.dirty) and not o.deleted:
                    seen.add(n)
                    todo.append(n)
        return seen

    def _author(self, customer: uuid.UUID) -> dict[str, uuid.UUID | None]:
        """Who erased ``customer`` (this batch's erasure, or the one HQ recorded)."""
        if customer in self.erased_by:
            return self.erased_by[customer]
        r = self.conn.execute(select(hq_erased.c.store_id, hq_erased.c.staff_id)
                              .where(hq_erased.c.customer_id == customer)).first()
        return {"store_id": r.store_id, "staff_id": r.staff_id} if r else {"store_id": None, "staff_id": None}

    def _merged_with_erased(self, loser: uuid.UUID, winner: uuid.UUID, hlc: str) -> None:
        """A merge arriving after an erasure of either profile (a store that did not know of
        it): the merge says they are one person, so the erasure takes the other profile and
        what the merge moved, as if the erasure had come second (:meth:`_erase`)."""
        erased = loser if loser in self.erased else winner if winner in self.erased else None
        if erased is None:
            return
        self.load([("customer", str(erased))])
        like = self.rows[("customer", str(erased))].data
        for other in sorted(self._person(erased) - self.erased, key=str):
            self._erase_profile(self.rows[("customer", str(other))], other, hlc, like=like)
            self.erased_by.setdefault(other, self._author(erased))


def _withheld(entity: str) -> tuple[str, ...]:
    """The columns HQ does not hold while a customer's ``hq_transfer`` is withdrawn: the
    personal ones and the JSON ones with personal keys, as core.erasure declares them."""
    return (*erasure.personal_columns(entity), *erasure.personal_json(entity))

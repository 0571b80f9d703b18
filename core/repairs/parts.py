"""Parts and stock: reserved once the customer accepted a quote (or it is within their
approval limit), consumed when the repair is done, released when the ticket is
cancelled. Stock never goes below zero (CHECK constraints back the code); a part that
is not in stock moves the ticket to awaiting parts."""

from __future__ import annotations

import uuid
from dataclasses import dataclass

from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session

from core import audit
from core.errors import Conflict, ValidationError
from core.lookup import get_or_not_found
from core.models import Part, PartStock, RepairPart, RepairTicket
from core.permissions import Actor, Perm, require
from core.repairs.workflow import TicketView, _move, _ticket, _view


def _stock(session: Session, store_id: uuid.UUID, part_id: uuid.UUID) -> PartStock | None:
    return session.get(PartStock, (store_id, part_id))


def _held_stock(session: Session, store_id: uuid.UUID, part_id: uuid.UUID) -> PartStock:
    """The stock a reserved line was taken from: reserving needs the row, so it is there."""
    return get_or_not_found(session, PartStock, (store_id, part_id), "part stock")


def _reserve(session: Session, t: RepairTicket) -> list[str]:
    """Reserve every quoted line that stock allows; the SKUs that had to wait."""
    missing = []
    for rp in session.scalars(select(RepairPart).where(RepairPart.ticket_id == t.id, RepairPart.state == "quoted")
                              .order_by(RepairPart.id)):
        stock = _stock(session, t.store_id, rp.part_id)
        if stock is not None and stock.on_hand - stock.reserved >= rp.quantity:
            stock.reserved += rp.quantity
            rp.state = "reserved"
        else:
            missing.append(get_or_not_found(session, Part, rp.part_id, "part").sku)
    session.flush()
    return missing


def _release(session: Session, t: RepairTicket) -> None:
    for rp in session.scalars(select(RepairPart).where(RepairPart.ticket_id == t.id,
                                                       RepairPart.state.in_(("quoted", "reserved")))):
        if rp.state == "reserved":
            stock = _held_stock(session, t.store_id, rp.part_id)
            stock.reserved -= rp.quantity
        rp.state = "released"
    session.flush()


@dataclass(frozen=True)
class PartRow:
    id: uuid.UUID
    sku: str
    name: str
    price_cents: int
    fits: str
    on_hand: int
    reserved: int

    @property
    def available(self) -> int:
        return self.on_hand - self.reserved


def list_parts(session: Session, actor: Actor, text: str = "", *, fits: str | None = None,
               limit: int = 50) -> list[PartRow]:
    """The parts list with prices and this store's stock; parts that fit ``fits`` (a
    device model) first."""
    require(actor, Perm.WORK_TICKETS)
    q = (select(Part, PartStock.on_hand, PartStock.reserved)
         .outerjoin(PartStock, (PartStock.part_id == Part.id) & (PartStock.store_id == actor.store_id)))
    text = (text or "").strip().lower()
    if text:
        like = f"%{text}%"
        q = q.where(or_(func.lower(Part.sku).like(like), func.lower(Part.name).like(like),
                        func.lower(Part.fits).like(like)))
    order = [Part.fits != fits] if fits else []
    q = q.order_by(*order, Part.name).limit(limit)
    return [PartRow(p.id, p.sku, p.name, p.price_cents, p.fits, on_hand or 0, reserved or 0)
            for p, on_hand, reserved in session.execute(q)]


def receive_stock(session: Session, actor: Actor, part_id: uuid.UUID, quantity: int) -> PartRow:
    """Parts delivered to this store. Tickets waiting for them go on with ``resume_repair``."""
    require(actor, Perm.WORK_TICKETS)
    if not isinstance(quantity, int) or isinstance(quantity, bool) or not 1 <= quantity <= 999:
        raise ValidationError("quantity", "must be between 1 and {n}", n=999)
    part = get_or_not_found(session, Part, part_id, "part")
    stock = _stock(session, actor.store_id, part_id)
    if stock is None:
        stock = PartStock(store_id=actor.store_id, part_id=part_id, on_hand=0, reserved=0)
        session.add(stock)
    stock.on_hand += quantity
    session.flush()
    audit.record(session, actor, "stock.receive", "part", part.id, detail=str(quantity))
    return PartRow(part.id, part.sku, part.name, part.price_cents, part.fits, stock.on_hand, stock.reserved)


def resume_repair(session: Session, actor: Actor, ticket_id: uuid.UUID) -> TicketView:
    """The parts arrived: reserve them and start the repair. Nothing changes while any is
    still missing."""
    require(actor, Perm.WORK_TICKETS)
    t = _ticket(session, actor, ticket_id)
    if t.status != "awaiting_parts":
        raise Conflict("the ticket is not waiting for parts")
    missing = _reserve(session, t)
    if missing:
        raise Conflict("parts for this ticket are still out of stock")
    _move(session, actor, t, "in_repair", code="parts_arrived")
    return _view(t)

"""Figures for managers. The foundation gives the store at a glance; the reports issue
adds the day, period, technician, loyalty and satisfaction reports."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import Select, func, select

from sqlalchemy.orm import Session

from core.appointments import store_day_bounds
from core.models import Appointment, Customer, LoyaltyAccount, RepairTicket, TradeInQuote
from core.permissions import Actor, Perm, require
from core.repairs import OPEN_STATUSES


@dataclass(frozen=True)
class Glance:
    customers: int
    appointments_today: int
    checked_in_today: int
    open_tickets: int
    ready_for_pickup: int
    open_quotes: int
    members: int


def at_a_glance(session: Session, actor: Actor, today: date) -> Glance:
    require(actor, Perm.VIEW_REPORTS)
    start, end = store_day_bounds(session, actor, today)

    def count(q: Select[int]) -> int:
        return int(session.scalar(q) or 0)
    appts = select(func.count()).select_from(Appointment).where(
        Appointment.store_id == actor.store_id, Appointment.starts_at >= start, Appointment.starts_at < end)
    return Glance(
        customers=count(select(func.count()).select_from(Customer).where(Customer.erased.is_(False))),
        appointments_today=count(appts.where(Appointment.status != "cancelled")),
        checked_in_today=count(appts.where(Appointment.status.in_(("checked_in", "in_service", "completed")))),
        open_tickets=count(select(func.count()).select_from(RepairTicket).where(
            RepairTicket.store_id == actor.store_id, RepairTicket.status.in_(OPEN_STATUSES))),
        ready_for_pickup=count(select(func.count()).select_from(RepairTicket).where(
            RepairTicket.store_id == actor.store_id, RepairTicket.status == "ready")),
        open_quotes=count(select(func.count()).select_from(TradeInQuote).where(
            TradeInQuote.store_id == actor.store_id, TradeInQuote.status == "quoted")),
        members=count(select(func.count()).select_from(LoyaltyAccount)),
    )

"""Loyalty. The foundation gives the member list with balances derived from the ledger;
enrolment and the rules engine come with the loyalty issue."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from core.models import Customer, LoyaltyAccount, LoyaltyEntry
from core.permissions import Actor, Perm, require


@dataclass(frozen=True)
class MemberRow:
    id: uuid.UUID
    member_number: str
    customer: str
    tier: str
    balance: int
    enrolled_at: datetime


def balance(session: Session, account_id: uuid.UUID) -> int:
    """The balance is the sum of the ledger; nothing stores it."""
    return int(session.scalar(select(func.coalesce(func.sum(LoyaltyEntry.points), 0))
                              .where(LoyaltyEntry.account_id == account_id)))


def list_members(session: Session, actor: Actor, limit: int = 500) -> list[MemberRow]:
    require(actor, Perm.MANAGE_LOYALTY)
    sums = (select(LoyaltyEntry.account_id, func.sum(LoyaltyEntry.points).label("pts"))
            .group_by(LoyaltyEntry.account_id).subquery())
    q = (select(LoyaltyAccount, Customer, func.coalesce(sums.c.pts, 0))
         .join(Customer, Customer.id == LoyaltyAccount.customer_id)
         .outerjoin(sums, sums.c.account_id == LoyaltyAccount.id)
         .where(Customer.erased.is_(False))
         .order_by(LoyaltyAccount.enrolled_at.desc()).limit(limit))
    return [MemberRow(a.id, a.member_number, c.display_name, a.tier, int(pts), a.enrolled_at)
            for a, c, pts in session.execute(q)]

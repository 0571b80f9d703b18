"""How long HQ keeps the keys a sale came with (issue 23): the phone, e-mail and member
number given with a sale (``hq_sale.phone``, ``email``, ``member_no``).

- A matched sale never keeps them: it keeps the customer's id (:mod:`hq.sales.intake`).
- An unmatched or ambiguous sale keeps them so that ``orchard-hq unmatched-sales`` can list
  it (masked) while someone finds the customer, for :data:`UNMATCHED_DAYS` days after its
  import; then :func:`forget_unmatched` blanks them (``orchard-hq unmatched-sales
  --forget-older-than 90``, run daily like ``orchard-hq prune``). The sale itself stays: its
  store, time, amounts and lines are no one's personal data.
- When a customer is erased (at a store or at HQ, :mod:`hq.push_merge`), every sale of theirs
  and every unmatched sale given one of their keys (their phone, e-mail or a member number of
  their loyalty accounts, normalised as a sale's are) forgets its keys at once, in the same
  transaction: :func:`forget_erased`.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any, Iterable

from sqlalchemy import Engine, and_, or_, update

from core.crm.sales import normalise_member
from core.errors import ValidationError
from hq.common import _in, _step, _write
from hq.models import hq_sale

UNMATCHED_DAYS = 90
UNMATCHED = ("none", "ambiguous")          # hq.sales.match.NONE, AMBIGUOUS
_NO_KEYS = dict(member_no=None, phone=None, email=None)


@dataclass
class ErasedKeys:
    """The keys an erased customer's sales could have been given, normalised as
    :func:`core.crm.sales.parse_sale` keeps them (E.164 phone, lower-case e-mail, the member
    number as stored)."""

    phones: set[str] = field(default_factory=set)
    emails: set[str] = field(default_factory=set)
    members: set[str] = field(default_factory=set)

    def note_customer(self, data: dict[str, Any]) -> None:
        phone, email = data.get("phone_e164"), data.get("email")
        if isinstance(phone, str) and phone:
            self.phones.add(phone)
        if isinstance(email, str) and email:
            self.emails.add(email.strip().lower())

    def note_account(self, data: dict[str, Any]) -> None:
        try:
            number = normalise_member(data.get("member_number"))
        except ValidationError:
            return
        if number:
            self.members.add(number)


def forget_erased(conn: Any, customers: Iterable[uuid.UUID], keys: ErasedKeys) -> int:
    """On ``conn`` (the erasure's transaction): blank the keys of the erased ``customers``'
    sales and of the unmatched sales given one of ``keys``; returns the rows changed."""
    ids = sorted(set(customers), key=str)
    step = _step(conn)
    n = 0
    for i in range(0, len(ids), step):
        n += conn.execute(update(hq_sale).where(_in(conn, hq_sale.c.customer_id, ids[i:i + step]), or_(
            hq_sale.c.member_no.is_not(None), hq_sale.c.phone.is_not(None), hq_sale.c.email.is_not(None)))
                          .values(**_NO_KEYS)).rowcount or 0
    for col, values in ((hq_sale.c.phone, keys.phones), (hq_sale.c.email, keys.emails),
                        (hq_sale.c.member_no, keys.members)):
        found = sorted(values)
        for i in range(0, len(found), step):
            done = conn.execute(update(hq_sale).where(hq_sale.c.match.in_(UNMATCHED), _in(conn, col, found[i:i + step]))
                                .values(**_NO_KEYS))
            n += done.rowcount or 0
    return n


def forget_unmatched(engine: Engine, *, now: datetime, older_than_days: int = UNMATCHED_DAYS) -> int:
    """Blank the keys of the unmatched and ambiguous sales imported more than
    ``older_than_days`` days before ``now``; returns how many sales forgot them."""
    if older_than_days < 0:
        raise ValueError("older_than_days must not be negative")
    cutoff = now - timedelta(days=older_than_days)
    with _write(engine) as conn, conn.begin():
        done = conn.execute(update(hq_sale).where(and_(
            hq_sale.c.match.in_(UNMATCHED), hq_sale.c.imported_at < cutoff,
            or_(hq_sale.c.member_no.is_not(None), hq_sale.c.phone.is_not(None), hq_sale.c.email.is_not(None))))
            .values(**_NO_KEYS))
        return int(done.rowcount or 0)


__all__ = ["UNMATCHED", "UNMATCHED_DAYS", "ErasedKeys", "forget_erased", "forget_unmatched"]

"""The customer and the device before any answer: who is trading (name, birth date for the
age gate, membership for the payout), the IMEI as typed, and the IMEI blocklist (a hit is
audited with its reason, never the IMEI)."""

from __future__ import annotations

import re
import uuid
from dataclasses import dataclass
from datetime import date

from sqlalchemy.orm import Session

from core import audit, clock
from core.errors import ValidationError
from core.models import Customer, ImeiBlock
from core.permissions import Actor, Perm, require
from core.tradein._common import _live_customer, _member, _tz
from core.tradein.valuation import Checks, Gate, find_gates
from core.validation import is_luhn_valid, normalize_imei


@dataclass(frozen=True)
class CustomerFacts:
    id: uuid.UUID
    display_name: str
    birth_date: date | None
    member_number: str | None


def customer_facts(session: Session, actor: Actor, customer_id: uuid.UUID) -> CustomerFacts:
    """The trading customer: name, birth date (the age gate) and loyalty membership (the payout)."""
    require(actor, Perm.TAKE_TRADE_INS)
    c = _live_customer(session, customer_id)
    account = _member(session, c.id)
    audit.record(session, actor, "customer.view", "customer", c.id, detail="tradein")
    return CustomerFacts(c.id, c.display_name, c.birth_date, account.member_number if account else None)


_SEPARATORS = re.compile(r"[\s\-/]+")


def _imei(value: str | None) -> str | None:
    """15 digits, or None when not given; a wrong check digit is kept for the gate to refuse."""
    if value is None or not str(value).strip():
        return None
    try:
        return normalize_imei(value)
    except ValidationError as exc:
        if exc.template == "check digit does not match":
            return _SEPARATORS.sub("", value.strip())
        raise


def _checks(session: Session, actor: Actor, imei: str | None, customer: Customer | None,
            customer_id_for_audit: uuid.UUID | None = None) -> Checks:
    """Look the IMEI up on the blocklist; a hit is audited (the reason, never the IMEI)."""
    reason = None
    if imei and is_luhn_valid(imei):
        block = session.get(ImeiBlock, imei)
        if block is not None:
            reason = block.reason
            audit.record(session, actor, "tradein.blocklist_hit", "customer" if customer else None,
                         customer.id if customer else None, detail=f"reason={block.reason}")
    return Checks(imei=imei, blocklist_reason=reason, birth_date=customer.birth_date if customer else None)


def check_device(session: Session, actor: Actor, *, imei: str | None, customer_id: uuid.UUID | None = None
                 ) -> tuple[Gate, ...]:
    """The gates that do not depend on the answers: IMEI check digit, blocklist, age."""
    require(actor, Perm.TAKE_TRADE_INS)
    customer = _live_customer(session, customer_id) if customer_id else None
    checks = _checks(session, actor, _imei(imei), customer)
    return find_gates({"questions": []}, {}, checks, clock.today(_tz(session, actor)))

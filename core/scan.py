"""What a scanned (or typed) code names: the counter's one search box takes every code
Orchard prints, and a scan opens the thing it names.

- a repair ticket: the device label's barcode (the bare ticket number, ``SH01-004213``),
  its QR code (``ORCHARD:T:<number>``) or the number on the intake receipt  -> the ticket
- a trade-in voucher code (``TI-ABCD-EFGH``, given at acceptance)            -> its quote
- a trade-in quote reference (the 12 characters on the trade-in receipt)      -> the quote
- a member card: QR (``ORCHARD:M:<number>``), barcode or the typed number    -> the member's
                                                                                customer profile
- anything else (IMEI, serial, phone, name, email...)                         -> customer search

Each is one exact lookup on an index (the ticket number per store, the voucher code, the
member number); the quote reference, a suffix of the quote's id, is looked for among this
store's quotes only (the store index).  A code that names something the actor's role may
not open is refused with ``ScanNotAllowed`` (the role, the permission and what the code
named, never the thing itself); a code that names nothing falls back to customer search.
"""

from __future__ import annotations

import re
import uuid
from dataclasses import dataclass

from sqlalchemy import String, cast, select
from sqlalchemy.orm import Session

from core.errors import PermissionDenied, ValidationError
from core.loyalty.rules import parse_card_code
from core.models import Customer, LoyaltyAccount, RepairTicket, TradeInQuote
from core.permissions import Actor, Perm, require
from core.repairs import SCAN_PREFIX as TICKET_PREFIX

TICKET = "ticket"
TRADEIN_QUOTE = "tradein_quote"
MEMBER = "member"
SEARCH = "search"
KINDS = (TICKET, TRADEIN_QUOTE, MEMBER, SEARCH)

# what the role needs to open each kind (the screen that shows it checks the same)
OPENS_WITH: dict[str, Perm] = {TICKET: Perm.WORK_TICKETS, TRADEIN_QUOTE: Perm.TAKE_TRADE_INS,
                               MEMBER: Perm.VIEW_CUSTOMERS, SEARCH: Perm.VIEW_CUSTOMERS}

MAX_CODE = 200
_TICKET_NUMBER = re.compile(r"^[A-Z0-9]{2,8}-\d{1,12}$")          # store code, its own counter
_VOUCHER = re.compile(r"^TI-?([A-HJ-NP-Z2-9]{4})-?([A-HJ-NP-Z2-9]{4})$")
_QUOTE_REFERENCE = re.compile(r"^[0-9A-F]{12}$")                 # str(quote id)[-12:].upper()


@dataclass(frozen=True)
class ScanTarget:
    """``kind``: ticket, tradein_quote, member or search. ``id``: the ticket's, the quote's
    or (for a member card) the member's customer id; None for a search. ``text``: what to
    search for (the code as scanned; for a member card the member number)."""

    kind: str
    id: uuid.UUID | None
    text: str


class ScanNotAllowed(PermissionDenied):
    """The code names a ``kind`` of thing the actor's role may not open."""

    def __init__(self, kind: str, permission: str, role: str):
        super().__init__(permission, role)
        self.kind = kind


def _ticket(session: Session, actor: Actor, code: str) -> uuid.UUID | None:
    text = code.upper()
    if text.startswith(TICKET_PREFIX):
        text = text[len(TICKET_PREFIX):].strip()
    if not _TICKET_NUMBER.match(text):
        return None
    return session.scalars(select(RepairTicket.id).where(RepairTicket.store_id == actor.store_id,
                                                         RepairTicket.number == text)).first()


def _voucher(session: Session, actor: Actor, code: str) -> uuid.UUID | None:
    m = _VOUCHER.match(code.upper().replace(" ", ""))
    if m is None:
        return None
    return session.scalars(select(TradeInQuote.id).where(TradeInQuote.voucher_code == f"TI-{m[1]}-{m[2]}",
                                                         TradeInQuote.store_id == actor.store_id)).first()


def _quote_reference(session: Session, actor: Actor, code: str) -> uuid.UUID | None:
    ref = code.replace(" ", "").upper()
    if not _QUOTE_REFERENCE.match(ref):
        return None
    # the id's last 12 hex digits (uuid7's random tail): the same in the stored hex and in
    # a dashed rendering of it
    found = session.scalars(select(TradeInQuote.id).where(
        TradeInQuote.store_id == actor.store_id,
        cast(TradeInQuote.id, String).like(f"%{ref.lower()}")).limit(2)).all()
    return found[0] if len(found) == 1 else None


def _member(session: Session, actor: Actor, code: str) -> uuid.UUID | None:
    number = parse_card_code(code)
    if number is None:
        return None
    customer_id = session.scalars(select(LoyaltyAccount.customer_id)
                                  .where(LoyaltyAccount.member_number == number)).first()
    if customer_id is None:
        return None
    c = session.get(Customer, customer_id)
    if c is None or c.erased or c.merged_into_id is not None:
        return None
    return c.id


def resolve_scan(session: Session, actor: Actor, text: str) -> ScanTarget:
    """What ``text`` (a scan or what was typed into the search box) names; see the module."""
    require(actor, Perm.VIEW_CUSTOMERS)
    code = " ".join((text or "").split())
    if not code:
        raise ValidationError("code", "is required")
    if len(code) > MAX_CODE:
        return ScanTarget(SEARCH, None, code)
    for kind, find in ((TICKET, _ticket), (TRADEIN_QUOTE, _voucher), (TRADEIN_QUOTE, _quote_reference),
                       (MEMBER, _member)):
        found = find(session, actor, code)
        if found is None:
            continue
        perm = OPENS_WITH[kind]
        if not actor.can(perm):
            raise ScanNotAllowed(kind, perm.value, actor.role.value)
        return ScanTarget(kind, found, parse_card_code(code) or code if kind == MEMBER else code)
    return ScanTarget(SEARCH, None, code)

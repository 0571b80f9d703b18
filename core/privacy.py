"""The whole relationship with a customer, and the rights they have over it: the 360
profile, consent per purpose, duplicate warnings, merge of two profiles, access
export and erasure. Every read and change is audited by record id, never by content.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from sqlalchemy import Select, Table, func, select
from sqlalchemy.orm import Session



from core import audit, clock, erasure
from core.customers import CustomerView, _clean, _live, view_for
from core.errors import NotFound, ValidationError
from core.models import (
    Appointment, Base, Consent, Customer, CustomerNote, Device, Feedback, FeedbackNote, LoyaltyAccount, LoyaltyEntry,
    Purchase, RepairTicket, ServiceType, Store, Survey, TradeInModel, TradeInQuote,
)
from core.permissions import Actor, Perm, require

PURPOSES = ("marketing_sms", "marketing_email", "hq_transfer", "loyalty")
MARKETING = {"sms": "marketing_sms", "email": "marketing_email"}
CHANNELS = ("in_store", "phone", "online", "paper")
NOTICE_VERSION = "2026-01"



def _related() -> tuple[tuple[type[Base], str], ...]:
    classes = {m.local_table.name: m.class_ for m in Base.registry.mappers if isinstance(m.local_table, Table)}
    return tuple((classes[name], path.column) for name, path in erasure.customer_tables().items()
                 if path.parent is None and name != "loyalty_account")


# Every table that points at a customer, and the column that does (derived from the models'
# foreign keys); merge moves them all. The loyalty account (one per customer) is merged apart.
RELATED: tuple[tuple[type[Base], str], ...] = _related()
# ...except HQ's scores (only HQ writes them): the tombstone keeps its row; HQ scores the winner
# again from the activity that moved to it (issue 23)
NOT_MOVED = frozenset({"customer_score"})


# --- the profile ---------------------------------------------------------------------------

@dataclass(frozen=True)
class ConsentState:
    purpose: str
    granted: bool
    notice_version: str
    channel: str
    at: datetime
    staff_id: uuid.UUID | None


@dataclass(frozen=True)
class DeviceView:
    id: uuid.UUID
    kind: str
    model: str
    serial: str | None
    imei: str | None
    purchase_date: date | None
    warranty_end: date | None
    coverage_end: date | None
    status: str              # in_warranty, covered, expired, unknown


@dataclass(frozen=True)
class TimelineItem:
    at: datetime
    kind: str                # appointment, repair, tradein, loyalty, purchase, survey, feedback, note
    title: str
    detail: str
    ref_id: uuid.UUID | None


@dataclass(frozen=True)
class LoyaltySummary:
    account_id: uuid.UUID
    member_number: str
    tier: str
    balance: int


@dataclass(frozen=True)
class Profile:
    customer: CustomerView
    consents: tuple[ConsentState, ...]
    devices: tuple[DeviceView, ...]
    timeline: tuple[TimelineItem, ...]
    loyalty: LoyaltySummary | None
    may_see_contact: bool


def device_status(d: Device, today: date) -> str:
    if d.warranty_end and d.warranty_end >= today:
        return "in_warranty"
    if d.coverage_end and d.coverage_end >= today:
        return "covered"
    if d.warranty_end or d.coverage_end:
        return "expired"
    return "unknown"


def current_consents(session: Session, actor: Actor, customer_id: uuid.UUID) -> dict[str, ConsentState]:
    """The latest decision per purpose (later rows supersede earlier ones)."""
    require(actor, Perm.VIEW_CUSTOMERS)
    return _consents(session, customer_id)


def _consents(session: Session, customer_id: uuid.UUID) -> dict[str, ConsentState]:
    rows = session.scalars(select(Consent).where(Consent.customer_id == customer_id)
                           .order_by(Consent.at, Consent.id))
    state: dict[str, ConsentState] = {}
    for c in rows:
        state[c.purpose] = ConsentState(c.purpose, c.granted, c.notice_version, c.channel, c.at, c.staff_id)
    return state


def profile(session: Session, actor: Actor, customer_id: uuid.UUID, today: date | None = None) -> Profile:
    require(actor, Perm.VIEW_CUSTOMERS)
    store = session.get(Store, actor.store_id)
    today = today or clock.today(store.timezone if store else "UTC")
    c = _live(session, customer_id)
    devices = tuple(DeviceView(d.id, d.kind, d.model, d.serial, d.imei, d.purchase_date, d.warranty_end,
                               d.coverage_end, device_status(d, today))
                    for d in session.scalars(select(Device).where(Device.customer_id == c.id)
                                             .order_by(Device.purchase_date.desc())))
    timeline: list[TimelineItem] = []
    for a, st in session.execute(select(Appointment, ServiceType.name)
                                 .join(ServiceType, ServiceType.id == Appointment.service_type_id)
                                 .where(Appointment.customer_id == c.id)):
        timeline.append(TimelineItem(a.starts_at, "appointment", st, a.status, a.id))
    for t, model in session.execute(select(RepairTicket, Device.model)
                                    .outerjoin(Device, Device.id == RepairTicket.device_id)
                                    .where(RepairTicket.customer_id == c.id)):
        timeline.append(TimelineItem(t.created_at, "repair", f"{t.number} · {model or ''}".strip(" ·"),
                                     t.status, t.id))
    for q, m in session.execute(select(TradeInQuote, TradeInModel)
                                .join(TradeInModel, TradeInModel.id == TradeInQuote.model_id)
                                .where(TradeInQuote.customer_id == c.id)):
        timeline.append(TimelineItem(q.created_at, "tradein", f"{m.name} {m.configuration}", q.status, q.id))
    account = session.scalars(select(LoyaltyAccount).where(LoyaltyAccount.customer_id == c.id)).first()
    loyalty = None
    if account is not None:
        entries = list(session.scalars(select(LoyaltyEntry).where(LoyaltyEntry.account_id == account.id)))
        for e in entries:
            timeline.append(TimelineItem(e.at, "loyalty", e.kind, f"{e.points:+d}", e.id))
        loyalty = LoyaltySummary(account.id, account.member_number, account.tier, sum(e.points for e in entries))
    for p in session.scalars(select(Purchase).where(Purchase.customer_id == c.id)):
        timeline.append(TimelineItem(p.at, "purchase", p.description, str(p.total_cents), p.id))
    for s in session.scalars(select(Survey).where(Survey.customer_id == c.id)):
        score = f"NPS {s.nps}" if s.nps is not None else f"CSAT {s.csat}" if s.csat is not None else ""
        timeline.append(TimelineItem(s.at, "survey", score, s.comment[:80], s.id))
    for f in session.scalars(select(Feedback).where(Feedback.customer_id == c.id)):
        timeline.append(TimelineItem(f.created_at, "feedback", f.category, f.status, f.id))
    for n in session.scalars(select(CustomerNote).where(CustomerNote.customer_id == c.id)):
        timeline.append(TimelineItem(n.at, "note", n.text[:60], n.text, n.id))
    timeline.sort(key=lambda i: i.at, reverse=True)
    audit.record(session, actor, "customer.view", "customer", c.id)
    # contact details masked in core for roles that may not see them (customers.view_for)
    # what to offer the customer (the next best actions) is core.crm.actions.suggestions: one rule
    return Profile(view_for(actor, c), tuple(_consents(session, c.id).values()), devices, tuple(timeline), loyalty,
                   actor.can(Perm.SEE_CONTACT_DETAILS))


def add_note(session: Session, actor: Actor, customer_id: uuid.UUID, text: str) -> None:
    require(actor, Perm.EDIT_CUSTOMERS)
    from core.validation import normalize_free_text
    text = normalize_free_text(text, field="note", max_len=2000, multiline=True, required=True)
    c = _live(session, customer_id)
    session.add(CustomerNote(customer_id=c.id, staff_id=actor.staff_id, text=text))
    session.flush()
    audit.record(session, actor, "customer.note", "customer", c.id)


# --- consent ---------------------------------------------------------------------------------

def set_consent(session: Session, actor: Actor, customer_id: uuid.UUID, purpose: str, granted: bool, *,
                channel: str = "in_store", notice_version: str = NOTICE_VERSION) -> ConsentState:
    """Grant or withdraw one purpose; both are one call, and both are kept as history."""
    require(actor, Perm.EDIT_CUSTOMERS)
    if purpose not in PURPOSES:
        raise ValidationError("purpose", "is not a known consent purpose")
    if channel not in CHANNELS:
        raise ValidationError("channel", "is not a known channel")
    if not notice_version:
        raise ValidationError("notice_version", "is required")
    c = _live(session, customer_id)
    row = Consent(customer_id=c.id, purpose=purpose, granted=bool(granted), notice_version=notice_version,
                  channel=channel, staff_id=actor.staff_id, store_id=actor.store_id,
                  at=clock.now())
    session.add(row)
    session.flush()
    audit.record(session, actor, "consent.grant" if granted else "consent.withdraw", "customer", c.id,
                 detail=purpose)
    return ConsentState(purpose, row.granted, notice_version, channel, row.at, actor.staff_id)


@dataclass(frozen=True)
class MarketingContact:
    customer_id: uuid.UUID
    display_name: str
    address: str            # phone (E.164) or email, per channel
    language: str | None


def granted_now(purpose: str) -> Select[tuple[uuid.UUID]]:
    """The customers whose latest decision for ``purpose`` is a grant: the one rule of
    :func:`current_consents` (a later row supersedes an earlier one; rows at the same moment
    in id order), as a query for marketing lists (here and ``core.crm.lists``). A withdrawal
    after a grant removes the person from every list made after it."""
    latest = (select(Consent.customer_id, Consent.granted,
                     func.row_number().over(partition_by=Consent.customer_id,
                                            order_by=(Consent.at.desc(), Consent.id.desc())).label("n"))
              .where(Consent.purpose == purpose).subquery())
    return select(latest.c.customer_id).where(latest.c.n == 1, latest.c.granted.is_(True))


def marketing_purpose(channel: str) -> str:
    """The consent purpose of a marketing channel (sms, email)."""
    purpose = MARKETING.get(channel)
    if purpose is None:
        raise ValidationError("channel", "must be sms or email")
    return purpose


def marketing_list(session: Session, actor: Actor, channel: str) -> list[MarketingContact]:
    """Who may be contacted for marketing on this channel: only those whose latest decision
    for that purpose is a grant (:func:`granted_now`); never erased or merged profiles."""
    require(actor, Perm.EXPORT_ERASE_CUSTOMERS)
    purpose = marketing_purpose(channel)
    q = select(Customer).where(Customer.id.in_(granted_now(purpose)), Customer.erased.is_(False),
                               Customer.merged_into_id.is_(None))
    out = {}
    for c in session.scalars(q):
        address = c.phone_e164 if channel == "sms" else c.email
        if address:
            out[c.id] = MarketingContact(c.id, c.display_name, address, c.language)
    audit.record(session, actor, "marketing.list", None, None, detail=f"{channel}:{len(out)}")
    return sorted(out.values(), key=lambda m: m.display_name)


# --- duplicates --------------------------------------------------------------------------------

@dataclass(frozen=True)
class PossibleDuplicate:
    id: uuid.UUID
    display_name: str
    reason: str              # same_phone, same_email, similar_name_same_birthday


def find_duplicates(session: Session, actor: Actor, **values: Any) -> list[PossibleDuplicate]:
    """Warn before creating a second profile for the same person."""
    require(actor, Perm.VIEW_CUSTOMERS)
    clean = _clean(session, actor, {k: v for k, v in values.items() if v not in (None, "")}, creating=False)
    found: dict[uuid.UUID, PossibleDuplicate] = {}
    live = (Customer.erased.is_(False), Customer.merged_into_id.is_(None))
    if clean.get("phone_e164"):
        for c in session.scalars(select(Customer).where(Customer.phone_e164 == clean["phone_e164"], *live)):
            found.setdefault(c.id, PossibleDuplicate(c.id, c.display_name, "same_phone"))
    if clean.get("email"):
        for c in session.scalars(select(Customer).where(func.lower(Customer.email) == clean["email"].lower(),
                                                        *live)):
            found.setdefault(c.id, PossibleDuplicate(c.id, c.display_name, "same_email"))
    if clean.get("birth_date") and (clean.get("family_name") or clean.get("given_name")):
        family = (clean.get("family_name") or "").lower()
        given = (clean.get("given_name") or "").lower()
        for c in session.scalars(select(Customer).where(Customer.birth_date == clean["birth_date"], *live)):
            if _similar(family, c.family_name.lower()) and _similar(given, c.given_name.lower()):
                found.setdefault(c.id, PossibleDuplicate(c.id, c.display_name, "similar_name_same_birthday"))
    return list(found.values())


def _similar(a: str, b: str) -> bool:
    """Names that differ by at most one edit, or where one starts the other (Bob/Bobby)."""
    if not a or not b:
        return True
    if a == b or a.startswith(b) or b.startswith(a):
        return True
    if abs(len(a) - len(b)) > 1:
        return False
    prev = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        cur = [i]
        for j, cb in enumerate(b, 1):
            cur.append(min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (ca != cb)))
        prev = cur
    return prev[-1] <= 1


# --- merge ---------------------------------------------------------------------------------------

@dataclass(frozen=True)
class MergeResult:
    winner_id: uuid.UUID
    loser_id: uuid.UUID
    moved: dict[str, int] = field(default_factory=dict)


def merge_customers(session: Session, actor: Actor, winner_id: uuid.UUID, loser_id: uuid.UUID) -> MergeResult:
    """Move everything of ``loser`` to ``winner``; the loser stays as a tombstone pointing at
    the winner (so stores that still hold its id find the right profile after sync).
    Contact fields the winner lacks are taken from the loser."""
    require(actor, Perm.MERGE_CUSTOMERS)
    if winner_id == loser_id:
        raise ValidationError("loser_id", "choose two different customers")
    winner, loser = _live(session, winner_id), _live(session, loser_id)
    moved: dict[str, int] = {}
    for model, column in RELATED:
        if model.__tablename__ in NOT_MOVED:
            continue
        rows = list(session.scalars(select(model).where(getattr(model, column) == loser.id)))
        for row in rows:
            setattr(row, column, winner.id)
        moved[model.__tablename__] = len(rows)
    # loyalty: one account per customer; the loser's ledger joins the winner's account
    lacc = session.scalars(select(LoyaltyAccount).where(LoyaltyAccount.customer_id == loser.id)).first()
    if lacc is not None:
        wacc = session.scalars(select(LoyaltyAccount).where(LoyaltyAccount.customer_id == winner.id)).first()
        if wacc is None:
            lacc.customer_id = winner.id
            moved["loyalty_account"] = 1
        else:
            entries = list(session.scalars(select(LoyaltyEntry).where(LoyaltyEntry.account_id == lacc.id)))
            for e in entries:
                e.account_id = wacc.id
            lacc.active = False
            # the account row keeps pointing at the tombstone; its member number stays unique
            moved["loyalty_entry"] = len(entries)
    for attr in ("phone_e164", "email", "birth_date", "address", "language"):
        if not getattr(winner, attr) and getattr(loser, attr):
            setattr(winner, attr, getattr(loser, attr))
    loser.merged_into_id = winner.id
    session.flush()
    audit.record(session, actor, "customer.merge", "customer", winner.id, detail=f"absorbed={loser.id}")
    audit.record(session, actor, "customer.merged_away", "customer", loser.id, detail=f"into={winner.id}")
    return MergeResult(winner.id, loser.id, moved)


def resolve(session: Session, actor: Actor, customer_id: uuid.UUID) -> uuid.UUID:
    """Follow merge tombstones to the profile in use."""
    require(actor, Perm.VIEW_CUSTOMERS)
    seen = set()
    c = session.get(Customer, customer_id)
    while c is not None and c.merged_into_id is not None and c.id not in seen:
        seen.add(c.id)
        c = session.get(Customer, c.merged_into_id)
    if c is None:
        raise NotFound("customer")
    return c.id


# --- access request and erasure ------------------------------------------------------------------

def _row(obj: Base) -> dict[str, Any]:
    from core.sync.outbox import jsonable
    out = {}
    for col in obj.__table__.columns:
        if col.key in ("passcode_sealed", "pickup_signature"):
            continue   # secrets and images are not part of the readable export
        out[col.key] = jsonable(getattr(obj, col.key))
    return out


def export_customer(session: Session, actor: Actor, customer_id: uuid.UUID) -> dict[str, Any]:
    """Everything Orchard holds about a customer (an access request), as plain JSON data."""
    require(actor, Perm.EXPORT_ERASE_CUSTOMERS)
    c = _live(session, customer_id)
    data: dict[str, Any] = {"customer": _row(c), "exported_at": clock.now().isoformat(),
                            "store_id": str(actor.store_id)}
    for model, column in RELATED:
        data[model.__tablename__] = [_row(r) for r in session.scalars(
            select(model).where(getattr(model, column) == c.id))]
    accounts = list(session.scalars(select(LoyaltyAccount).where(LoyaltyAccount.customer_id == c.id)))
    data["loyalty_account"] = [_row(a) for a in accounts]
    data["loyalty_entry"] = [_row(e) for a in accounts for e in session.scalars(
        select(LoyaltyEntry).where(LoyaltyEntry.account_id == a.id))]
    # notes on their complaints reach the person through the complaint (no customer column)
    data["feedback_note"] = [_row(n) for n in session.scalars(
        select(FeedbackNote).join(Feedback, Feedback.id == FeedbackNote.feedback_id)
        .where(Feedback.customer_id == c.id).order_by(FeedbackNote.at))]
    audit.record(session, actor, "customer.export", "customer", c.id)
    return data


# Derived from the models (core.erasure): the customer's own personal columns, and per table
# the columns whose whole value describes the person. Amounts, dates and statuses are not
# there: they stay for the accounts.
PERSONAL_CUSTOMER_FIELDS = erasure.PERSONAL_CUSTOMER_FIELDS
PERSONAL_COLUMNS: dict[str, tuple[str, ...]] = erasure.PERSONAL_COLUMNS


def erase_customer(session: Session, actor: Actor, customer_id: uuid.UUID) -> None:
    """Remove the person, keep the accounts: names, contact details, notes, free text and
    device identifiers go; amounts, dates and statuses stay (sales, repairs and points
    must still add up). The erasure is an ordinary change, so it syncs like any other."""
    require(actor, Perm.EXPORT_ERASE_CUSTOMERS)
    c = _live(session, customer_id)
    session.flush()
    # every row about the person, reached through the models' foreign keys (repair events
    # through their ticket, ledger entries through the account), and what the outbox holds
    refs = erasure.references(session.connection(), [str(c.id)])
    for attr in PERSONAL_CUSTOMER_FIELDS:
        setattr(c, attr, erasure.blank_value("customer", attr))
    c.erased = True
    c.erased_at = clock.now()
    c.erased_by_id = actor.staff_id        # HQ checks this staff member may erase (hq.push_authority)
    erasure.erase_related(session, refs)
    session.flush()
    erasure.scrub_outbox(session.connection(), refs)
    erasure.forget_after_commit(session)
    session.flush()
    audit.record(session, actor, "customer.erase", "customer", c.id)

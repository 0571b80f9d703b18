"""Every text column says whether it is personal, and erasure forgets what they say.

The erasure lists come from the models (core.erasure): a column that does not declare itself
fails here, by name; a store's erasure then blanks every declared column and JSON key of
every row about the person (through the foreign keys: repair events through their ticket,
ledger entries through the account, walk-ins), in the tables and in the outbox.

``fill_customer`` is shared with tests/hq/test_erasure_marker.py: it writes a marker into
EVERY personal column the models declare, driven by the same derived lists.
"""

from __future__ import annotations

import secrets
import uuid
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta, timezone
from typing import Any

from sqlalchemy import JSON, Column, Date, ForeignKey, Integer, LargeBinary, MetaData, String, Table, Text, select, text
from sqlalchemy.orm import Session

from core import erasure, privacy, staff
from core.models import (
    Appointment, Base, CareTask, Consent, Customer, CustomerNote, Device, Feedback, FeedbackNote, LoyaltyAccount, LoyaltyEntry, PriceBook,
    Purchase, RepairEvent, RepairTicket, ServiceType, Survey, TradeInModel, TradeInQuote, WalkIn,
)
from core.models import OutboxEntry

TEXT_TYPES = (String, Text, JSON, LargeBinary)
MARK_DATE = date(1911, 11, 11)       # the birth date written; no other date in the data is this one
T0 = datetime(2026, 3, 2, 2, 0, tzinfo=timezone.utc)

# what the attack review found surviving an erasure and a sync
FOUND = {("repair_ticket", "intake_condition", "notes"), ("repair_event", "note", None),
         ("walk_in", "note", None), ("loyalty_entry", "reason", None)}


def undeclared(metadata: MetaData) -> list[str]:
    """``table.column`` of every String/Text/JSON/LargeBinary column that does not say
    whether it is personal (or says it in a form erasure does not understand)."""
    out = []
    for tbl in metadata.sorted_tables:
        for col in tbl.columns:
            if not isinstance(col.type, TEXT_TYPES):
                continue
            value = col.info.get("personal")
            ok = isinstance(value, bool) or (
                isinstance(value, tuple) and value and all(isinstance(k, str) for k in value)
                and isinstance(col.type, JSON))
            if not ok:
                out.append(f"{tbl.name}.{col.name}")
    return out


def declared() -> set[tuple[str, str, str | None]]:
    """(table, column, JSON key or None) of everything the models declare personal."""
    out: set[tuple[str, str, str | None]] = set()
    for name in erasure.personal_tables():
        out.update((name, c, None) for c in erasure.personal_columns(name))
        out.update((name, c, k) for c, keys in erasure.personal_json(name).items() for k in keys)
    return out


# --- the declarations ----------------------------------------------------------------------------

def test_every_text_column_of_every_model_says_whether_it_is_personal():
    missing = undeclared(Base.metadata)
    assert missing == [], f"declare personal() or not_personal() for: {', '.join(missing)}"


def test_the_walker_names_an_undeclared_column():
    md = MetaData()
    Table("visit", md, Column("id", Integer, primary_key=True), Column("said", String(50)),
          Column("code", String(5), info={"personal": False}), Column("extra", JSON, info={"personal": ("notes",)}),
          Column("blob", LargeBinary), Column("bad", String(5), info={"personal": ("x",)}),
          Column("n", Integer))
    assert undeclared(md) == ["visit.said", "visit.blob", "visit.bad"]


def test_every_personal_column_is_reachable_from_a_customer():
    tables = erasure.customer_tables()
    unreachable = [t for t in erasure.personal_tables() if t != "customer" and t not in tables]
    assert unreachable == [], "erasure could never find these rows"
    # reached through a parent, not only through a customer_id column
    assert tables["repair_event"] == erasure.CustomerPath("repair_event", "ticket_id", "repair_ticket")
    assert tables["loyalty_entry"] == erasure.CustomerPath("loyalty_entry", "account_id", "loyalty_account")
    assert tables["walk_in"].column == "customer_id"


def test_the_columns_the_review_found_are_declared_and_the_old_names_still_work():
    assert FOUND <= declared()
    assert erasure.personal_json_fields("repair_ticket", "intake_condition") == ("notes",)
    assert "note" in privacy.PERSONAL_COLUMNS["walk_in"] and "reason" in privacy.PERSONAL_COLUMNS["loyalty_entry"]
    assert set(privacy.PERSONAL_CUSTOMER_FIELDS) == {
        "given_name", "family_name", "name_pinyin", "name_initials", "phone_e164", "email", "address",
        "birth_date", "language"}
    # staff names, ids, codes and statuses are not the customer's personal data
    assert erasure.personal_columns("staff") == () and "number" not in erasure.personal_columns("repair_ticket")
    assert WalkIn in {m for m, _ in privacy.RELATED}, "merge and export reach walk-ins too"


# --- a customer with a marker in every personal column ---------------------------------------------

@dataclass
class Filled:
    customer_id: uuid.UUID
    token: str
    email: str
    ticket_number: str
    written: set[tuple[str, str, str | None]] = field(default_factory=set)
    ids: dict[str, list[uuid.UUID]] = field(default_factory=dict)

    @property
    def needles(self) -> list[bytes]:
        return [self.token.encode(), MARK_DATE.isoformat().encode()]


def _mark(obj: Any, token: str, written: set[tuple[str, str, str | None]]) -> None:
    """Every personal column and JSON key of ``obj`` (as the models declare them) gets the marker."""
    tbl = obj.__table__
    name = tbl.name
    for col in erasure.personal_columns(name):
        ctype = tbl.c[col].type
        if isinstance(ctype, LargeBinary):
            value: Any = b"\x89PNG\r\n\x1a\n" + f"{token}{name}.{col}".encode()
        elif isinstance(ctype, Date):
            value = MARK_DATE
        elif isinstance(ctype, String):
            value = f"{token}{name}.{col}"[:ctype.length or 1000]
        else:
            raise AssertionError(f"no marker for {name}.{col} of type {ctype}")
        setattr(obj, col, value)
        written.add((name, col, None))
    for col, keys in erasure.personal_json(name).items():
        value = dict(getattr(obj, col) or {})
        for k in keys:
            value[k] = f"{token}{name}.{col}.{k}"
            written.add((name, col, k))
        setattr(obj, col, value)


def fill_customer(s: Session, store_id: uuid.UUID, staff_id: uuid.UUID | None) -> Filled:
    """A customer with a device, a ticket with events and intake notes, an appointment, a
    walk-in, a trade-in quote, a loyalty account with entries, a note, a survey, feedback, a
    purchase and ``hq_transfer`` consent: every personal column holds the marker."""
    token = "mk" + secrets.token_hex(4)           # 10 characters: fits even customer.language
    email = f"{token}@example.com"
    written: set[tuple[str, str, str | None]] = set()

    c = Customer(home_store_id=store_id)
    _mark(c, token, written)
    c.email = email                                  # a real address, so another store can fetch by it
    s.add(c)
    s.flush()
    other = uuid.uuid4().hex[:8]                 # codes and numbers: not the marker
    st = ServiceType(code=f"s{other}", name="Screen repair", duration_min=30)
    model = TradeInModel(family="iPhone", kind="phone", name="iPhone 12", configuration="128 GB",
                         release_date=date(2020, 10, 23))
    book = PriceBook(version=f"pb-{other}", valid_from=date(2026, 1, 1))
    s.add_all([st, model, book])
    s.flush()
    device = Device(customer_id=c.id, model="iPhone 12", purchase_date=date(2021, 1, 5))
    _mark(device, token, written)
    s.add(device)
    s.flush()
    number = f"M{other[:4]}-000001"
    ticket = RepairTicket(store_id=store_id, number=number, customer_id=c.id, device_id=device.id,
                          technician_id=staff_id, intake_condition={"screen": "cracked"},
                          quality_check={"passed": True}, quote_cents=18900, created_at=T0, updated_at=T0)
    appt = Appointment(store_id=store_id, customer_id=c.id, service_type_id=st.id, starts_at=T0,
                       ends_at=T0 + timedelta(minutes=30), technician_id=staff_id)
    walk = WalkIn(store_id=store_id, customer_id=c.id, service_type_id=st.id, arrived_at=T0)
    quote = TradeInQuote(store_id=store_id, customer_id=c.id, staff_id=staff_id, model_id=model.id,
                         price_book_id=book.id, grade="good", value_cents=21000, expires_at=T0 + timedelta(days=7))
    account = LoyaltyAccount(customer_id=c.id, member_number=f"M{other}", store_id=store_id,
                             terms_version="2026-01", enrolled_at=T0)
    note = CustomerNote(customer_id=c.id, staff_id=staff_id, at=T0, text="")
    survey = Survey(customer_id=c.id, store_id=store_id, nps=9, at=T0)
    fb = Feedback(customer_id=c.id, store_id=store_id, category="wait", text="", created_at=T0, updated_at=T0)
    purchase = Purchase(customer_id=c.id, store_id=store_id, at=T0, description="Case", total_cents=424242)
    consent = Consent(customer_id=c.id, purpose="hq_transfer", granted=True, notice_version="2026-01",
                      channel="in_store", staff_id=staff_id, store_id=store_id, at=T0)
    for obj in (ticket, appt, walk, quote, account, note, survey, fb):
        _mark(obj, token, written)                   # written as they are inserted (the ledger is insert-only)
    s.add_all([ticket, appt, walk, quote, account, note, survey, fb, purchase, consent])
    s.flush()
    fb_note = FeedbackNote(feedback_id=fb.id, at=T0, text="")
    task = CareTask(store_id=store_id, customer_id=c.id, kind="follow_up_call", feedback_id=fb.id, due_at=T0,
                    created_at=T0, updated_at=T0)
    for obj in (fb_note, task):
        _mark(obj, token, written)
    s.add_all([fb_note, task])
    events = [RepairEvent(ticket_id=ticket.id, at=T0 + timedelta(minutes=i), staff_id=staff_id,
                          from_status=None if i == 0 else "new", to_status="new" if i == 0 else "diagnosing")
              for i in range(2)]
    entries = [LoyaltyEntry(account_id=account.id, kind="earn", points=p, store_id=store_id, staff_id=staff_id,
                            at=T0 + timedelta(minutes=p)) for p in (120, 35)]
    for obj in events + entries:
        _mark(obj, token, written)
    s.add_all(events + entries)
    s.flush()
    ids = {"repair_event": [e.id for e in events], "loyalty_entry": [e.id for e in entries],
           "purchase": [purchase.id], "repair_ticket": [ticket.id], "walk_in": [walk.id]}
    return Filled(c.id, token, email, number, written, ids)


def store_rows_text(s: Session) -> dict[str, str]:
    """Every row of every table in a store database, as text, by table."""
    out = {}
    names = [r[0] for r in s.execute(text("SELECT name FROM sqlite_master WHERE type = 'table'"))]
    for name in names:
        out[name] = "\n".join(repr(tuple(r)) for r in s.execute(text(f'SELECT * FROM "{name}"')))
    return out


def test_a_store_erasure_blanks_every_declared_column_of_every_row_about_the_person(store_setup):
    db, store_id, admin = store_setup
    with db.session(write=True) as s:
        mgr = staff.actor_for(staff.create_staff(s, admin, display_name="Mia Manager", role="manager",
                                                 password="manager-pass-1", pin="2468"))
        filled = fill_customer(s, store_id, admin.staff_id)
    assert filled.written == declared(), "the fill covers every personal column the models declare"
    with db.session() as s:
        before = "\n".join(store_rows_text(s).values())
    assert filled.token in before and MARK_DATE.isoformat() in before

    with db.session(write=True) as s:
        privacy.erase_customer(s, mgr, filled.customer_id)

    with db.session() as s:
        rows = store_rows_text(s)
        left = {t for t, body in rows.items() if filled.token in body or MARK_DATE.isoformat() in body}
        assert left == set(), f"the marker survived the erasure in {sorted(left)}"
        # what the person left in the outbox before the erasure is blanked too
        assert not [f for f in s.scalars(select(OutboxEntry.fields)) if filled.token in repr(f)]
        # ids, amounts and dates stay
        t = s.get(RepairTicket, filled.ids["repair_ticket"][0])
        assert t.number == filled.ticket_number and t.quote_cents == 18900 and t.created_at == T0
        assert t.intake_condition == {"screen": "cracked"} and t.quality_check == {"passed": True}
        assert sorted(e.points for e in s.scalars(select(LoyaltyEntry))) == [35, 120]
        assert s.get(Purchase, filled.ids["purchase"][0]).total_cents == 424242
        assert len(list(s.scalars(select(RepairEvent.id).where(RepairEvent.id.in_(filled.ids["repair_event"]))))) == 2
        w = s.get(WalkIn, filled.ids["walk_in"][0])
        assert (w.name, w.note, w.arrived_at) == (None, "", T0)
        assert s.get(Customer, filled.customer_id).erased is True

"""Issue 17 follow-ups in core: the standard trade-in questions read as yes/no questions,
the demo's accepted trade-ins carry voucher codes that print and scan, a repair waiting for
parts is promised within opening hours, and appointment notes refuse control characters."""

from __future__ import annotations

import re
from datetime import date, datetime, timedelta, timezone
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import select

from core import appointments as ap, clock, demo, repairs, staff, tradein
from core import report_data as rd
from core.errors import ValidationError, ValidationErrors
from core.models import RepairTicket, Store, TradeInQuote
from core.permissions import Role
from core.repairs import QuoteLine
from core.repairs.estimate import within_opening_hours
from core.scan import TRADEIN_QUOTE, resolve_scan
from reports import i18n, tradein_receipt
from tests.core.test_appointments import Store as Shop, at as shop_at
from tests.core.test_repairs import intake, make_bench, read, write
from tests.reports.conftest import compact, follows, lines

# --- 1. the standard questions ---------------------------------------------------------------


def test_the_standard_yes_no_questions_are_whole_questions_and_saved_answers_still_read():
    by_key = {q["key"]: q for q in tradein.STANDARD_QUESTIONS}
    assert by_key["paid_off"]["label"]["en"] == "Is it paid off and not under contract?"
    assert by_key["liquid_damage"]["label"]["en"] == "Is there any sign of liquid damage?"
    for q in tradein.STANDARD_QUESTIONS:
        if tradein.yes_no(q) is None:
            continue
        en, zh = q["label"]["en"], q["label"]["zh_CN"]
        assert en.endswith("?") and en.split()[0] in ("Is", "Does", "Are", "Has"), en
        assert zh.endswith("？") and ("是否" in zh or "能否" in zh), zh
    # the codes a saved quote holds are the ones they were: "yes" paid off, "no" liquid damage
    assert by_key["paid_off"]["options"] == {"yes": None, "no": tradein.REFUSE}
    assert by_key["liquid_damage"]["options"] == {"no": None, "yes": "unusable"}
    rules = {"grades": ["like_new", "good", "fair", "damaged", "unusable"],
             "questions": list(tradein.STANDARD_QUESTIONS)}
    good = {q["key"]: next(o for o, cap in q["options"].items() if cap is None) for q in rules["questions"]}
    assert tradein.grade_for(rules, good) == "like_new"
    assert tradein.grade_for(rules, dict(good, paid_off="no")) is None            # No: refused
    assert tradein.grade_for(rules, dict(good, liquid_damage="yes")) == "unusable"  # Yes: damaged


# --- 2. the demo's accepted trade-ins have voucher codes ---------------------------------------

@pytest.fixture
def built(db, still_clock):
    return db, demo.build_demo(db, customers=120)


def test_the_demo_s_accepted_trade_ins_print_a_voucher_whose_code_opens_the_quote(built):
    db, info = built
    with db.session() as s:
        accepted = s.scalars(select(TradeInQuote).where(TradeInQuote.status.in_(("accepted", "received")))).all()
        open_ones = s.scalars(select(TradeInQuote).where(TradeInQuote.status == "quoted")).all()
        manager = staff.actor_for(staff.get_staff(s, info.staff_with_role(Role.ASSOCIATE)[0].staff_id))
        assert accepted and all(q.payout for q in accepted)
        codes = [q.voucher_code for q in accepted]
        assert all(c and re.fullmatch(r"TI-[A-HJ-NP-Z2-9]{4}-[A-HJ-NP-Z2-9]{4}", c) for c in codes), codes
        assert len(set(codes)) == len(codes)
        assert all(q.voucher_code is None for q in open_ones)
        for q in accepted:
            assert (resolve_scan(s, manager, q.voucher_code).kind, resolve_scan(s, manager, q.voucher_code).id) \
                == (TRADEIN_QUOTE, q.id)
        data = rd.tradein_receipt(s, manager, accepted[0].id)
    assert data.voucher_code == codes[0]
    pdf = tradein_receipt.render(data, lang="en")
    assert follows(lines(pdf), i18n.t("en", "voucher_code"), codes[0]) and codes[0] in compact(pdf)


def test_the_same_seed_gives_the_same_demo_voucher_codes(tmp_path, still_clock):
    from core.db import StoreDatabase
    from tests.conftest import FAST_KDF
    got = []
    for name in ("a", "b"):
        db = StoreDatabase.create(tmp_path / f"{name}.db", passphrase="demo-seed", kdf=FAST_KDF)
        demo.build_demo(db, customers=60, seed=11)
        with db.session() as s:
            got.append(sorted(c for c in s.scalars(select(TradeInQuote.voucher_code)) if c))
        db.close()
    assert got[0] and got[0] == got[1]


# --- 3. parts delay within opening hours -------------------------------------------------------

@pytest.mark.parametrize("quoted_local, due_local", [
    # Friday noon: two days on is Sunday, closed all day -> Monday's opening
    (datetime(2026, 12, 4, 12, 0), datetime(2026, 12, 7, 9, 0)),
    # Wednesday 19:30, after closing: two days on is Friday 19:30 -> Saturday's opening
    (datetime(2026, 12, 2, 19, 30), datetime(2026, 12, 5, 9, 0)),
    # Tuesday 11:00: Thursday 11:00 is open and stays as it is
    (datetime(2026, 12, 1, 11, 0), datetime(2026, 12, 3, 11, 0)),
])
def test_a_ticket_waiting_for_parts_is_promised_within_opening_hours(store_setup, quoted_local, due_local):
    db, store_id, admin = store_setup
    b = make_bench(db, admin, store_id)
    with db.session() as s:
        store = s.get(Store, store_id)
        tz, hours = store.timezone, dict(store.opening_hours)
    zone = ZoneInfo(tz)
    quoted = quoted_local.replace(tzinfo=zone)
    with clock.pinned((quoted - timedelta(days=1)).astimezone(timezone.utc)):
        # promised for the hour of the quote: the wait for parts is what moves it
        t = intake(b, approval_limit_cents=500000, due_at=quoted)
        write(b.db, lambda s: repairs.start_diagnosis(s, b.tech, t.id))
    two = [QuoteLine(b.parts["BAT-IP15"], quantity=2)]       # one battery in stock
    with clock.pinned(quoted.astimezone(timezone.utc)):
        r = write(b.db, lambda s: repairs.quote(s, b.tech, t.id, diagnosis="Battery swollen", lines=two))
    assert r.ticket.status == "awaiting_parts"
    due = read(b.db, lambda s: s.get(RepairTicket, t.id).due_at)
    assert due.astimezone(zone) == due_local.replace(tzinfo=zone)
    assert within_opening_hours(due, tz, hours)
    assert due >= quoted + timedelta(hours=repairs.PARTS_DELAY_HOURS)


# --- 4. control characters in appointment notes ------------------------------------------------

@pytest.mark.parametrize("bad", ("Call first\x07", "bring\x00 charger", "late \u202eevif"))
def test_booking_and_walk_in_notes_refuse_control_characters(store_setup, bad):
    shop = Shop(*store_setup)
    with pytest.raises(ValidationErrors) as e:
        shop.book("setup_help", shop_at(10), notes=bad)
    assert e.value.by_field["notes"] == "must not contain control characters"
    with pytest.raises(ValidationErrors) as e:
        with shop.db.session(write=True) as s:
            ap.add_walk_in(s, shop.assoc, service_type_id=shop.services["setup_help"], name="Ms Setup",
                           note=bad, now=shop_at(10))
    assert e.value.by_field["note"] == "must not contain control characters"
    assert shop.count_live() == 0
    # ordinary text, in Chinese, on two lines in a booking, is kept as typed
    booked = shop.book("setup_help", shop_at(10), notes="请先打电话\nBring the charger")
    assert booked.notes == "请先打电话\nBring the charger"
    with shop.db.session(write=True) as s:
        w = ap.add_walk_in(s, shop.assoc, service_type_id=shop.services["setup_help"], name="Ms Setup",
                           note="  带充电器 ", now=shop_at(10))
    assert w.note == "带充电器"
    with pytest.raises(ValidationError) as one:
        with shop.db.session(write=True) as s:
            ap.cancel(s, shop.assoc, booked.id, reason="no\x1bshow")
    assert one.value.field == "reason"


def test_a_booking_note_still_has_its_length_limit(store_setup):
    shop = Shop(*store_setup)
    with pytest.raises(ValidationErrors) as e:
        shop.book("setup_help", shop_at(10), notes="x" * 501)
    assert "notes" in e.value.by_field
    assert date(2030, 6, 3).weekday() == 0

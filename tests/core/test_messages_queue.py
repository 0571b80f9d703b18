"""Messages to customers queued with their events (issue 22), on a real store database with a
pinned clock: each event queues exactly one request (kind, params, channel, moment), a second
run of the event queues no second one, the channel rule follows the customer's and the
ticket's preference, and what no longer holds is cancelled."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest
from hypothesis import HealthCheck, given, settings, strategies as st
from sqlalchemy import select

from core import appointments as ap, clock, customers, privacy, repairs
from core.errors import ValidationError, ValidationErrors
from core.messages import events
from core.messages.queue import channel_for, queue_message
from core.messages.timeline import messages_for
from core.models import Consent, Customer, MessageRequest, RepairTicket, Store, SurveyInvitation
from core.repairs import QuoteLine
from tests.core.test_appointments import DAY, NOW as BOOK_NOW, Store as Shop, at
from tests.core.test_repairs import ALL_PASS, intake, make_bench, read, write

UTC = timezone.utc
T0 = datetime(2030, 6, 3, 2, 0, tzinfo=UTC)         # 10:00 in the store's time zone


@pytest.fixture
def bench(store_setup):
    db, store_id, admin = store_setup
    return make_bench(db, admin, store_id)


def requests(db, **where) -> list[MessageRequest]:
    def q(s):
        stmt = select(MessageRequest).order_by(MessageRequest.created_at, MessageRequest.id)
        for k, v in where.items():
            stmt = stmt.where(getattr(MessageRequest, k) == v)
        rows = list(s.scalars(stmt))
        s.expunge_all()
        return rows
    return read(db, q)


def live(db, **where) -> dict[str, MessageRequest]:
    """The requests not cancelled, by kind (each kind at most once)."""
    rows = [r for r in requests(db, **where) if not r.cancelled]
    kinds = [r.kind for r in rows]
    assert len(kinds) == len(set(kinds)), kinds
    return {r.kind: r for r in rows}


def to_ready(b, t, at_time):
    with clock.pinned(at_time):
        write(b.db, lambda s: repairs.start_diagnosis(s, b.tech, t.id))
        write(b.db, lambda s: repairs.quote(s, b.tech, t.id, diagnosis="Cracked display",
                                            lines=[QuoteLine(b.parts["SCR-IP15"])], labour_cents=10000))
        write(b.db, lambda s: repairs.record_approval(s, b.associate, t.id, approved=True, channel="phone"))
        write(b.db, lambda s: repairs.finish_repair(s, b.tech, t.id))
        write(b.db, lambda s: repairs.quality_check(s, b.tech, t.id, ALL_PASS))


# --- repairs ---------------------------------------------------------------------------------

def test_intake_queues_repair_received_by_text_in_the_customer_s_language_once(bench):
    b = bench
    with clock.pinned(T0):
        t = intake(b)
    sent = requests(b.db, ticket_id=t.id)
    assert [(r.kind, r.channel, r.send_after, r.event_key) for r in sent] == [
        ("repair_received", "sms", T0, f"ticket:{t.id}:received")]
    assert sent[0].params == {"ticket_number": t.number, "device": "iPhone 15"}
    assert sent[0].language == "zh_CN"           # no language on file: the store's (a store in China)
    # nothing personal travels in the request
    assert "13800138000" not in str(sent[0].params) and "伟" not in str(sent[0].params)
    # the same event again queues nothing more
    with clock.pinned(T0):
        write(b.db, lambda s: events.repair_received(s, s.get(RepairTicket, t.id), T0))
    assert len(requests(b.db, ticket_id=t.id)) == 1


def test_a_quote_above_the_limit_asks_for_approval_with_amount_and_what_it_covers(bench):
    b = bench
    with clock.pinned(T0):
        t = intake(b)
        write(b.db, lambda s: repairs.start_diagnosis(s, b.tech, t.id))
        q = write(b.db, lambda s: repairs.quote(s, b.tech, t.id, diagnosis="Cracked display",
                                                lines=[QuoteLine(b.parts["SCR-IP15"])], labour_cents=10000))
    assert q.needs_approval
    ask = live(b.db, ticket_id=t.id)["approval_needed"]
    currency = read(b.db, lambda s: s.get(Store, b.store_id).currency)
    assert ask.params == {"ticket_number": t.number, "amount_cents": q.total_cents, "currency": currency,
                          "covers": ["iPhone 15 display assembly", "labour"]}
    assert ask.send_after == T0 and ask.channel == "sms"
    # revised: the first request is withdrawn, the new quote asks again (a new event)
    with clock.pinned(T0 + timedelta(hours=1)):
        write(b.db, lambda s: repairs.reopen_diagnosis(s, b.tech, t.id))
        write(b.db, lambda s: repairs.quote(s, b.tech, t.id, diagnosis="Display and battery",
                                            lines=[QuoteLine(b.parts["SCR-IP15"]), QuoteLine(b.parts["BAT-IP15"])],
                                            labour_cents=10000))
    asks = requests(b.db, ticket_id=t.id, kind="approval_needed")
    assert [r.cancelled for r in asks] == [True, False]
    assert asks[1].params["covers"] == ["iPhone 15 display assembly", "iPhone 15 battery", "labour"]


def test_ready_tells_the_customer_and_schedules_still_waiting_which_pickup_cancels(bench):
    b = bench
    with clock.pinned(T0):
        t = intake(b)
    to_ready(b, t, T0 + timedelta(hours=2))
    got = live(b.db, ticket_id=t.id)
    assert got["ready_for_pickup"].params["amount_cents"] > 0
    assert got["ready_for_pickup"].send_after == T0 + timedelta(hours=2)
    assert got["still_waiting"].send_after == T0 + timedelta(hours=2, days=7)
    assert got["still_waiting"].params == {"ticket_number": t.number, "days": 7}
    with clock.pinned(T0 + timedelta(hours=5)):
        write(b.db, lambda s: repairs.pickup(s, b.associate, t.id, collected_by="张伟", signature_name="张伟",
                                             payment_status="paid", identity=t.number))
    waiting = requests(b.db, ticket_id=t.id, kind="still_waiting")
    assert len(waiting) == 1 and waiting[0].cancelled
    assert waiting[0].cancelled_at == T0 + timedelta(hours=5)


def test_the_store_setting_sets_the_days_before_still_waiting(bench):
    b = bench
    with b.db.session(write=True) as s:
        store = s.get(Store, b.store_id)
        store.settings = {**(store.settings or {}), "still_waiting_days": 3}
    with clock.pinned(T0):
        t = intake(b)
    to_ready(b, t, T0)
    assert live(b.db, ticket_id=t.id)["still_waiting"].send_after == T0 + timedelta(days=3)


def test_pickup_invites_to_the_survey_once_per_interval_with_the_invitation_s_id(bench):
    b = bench
    tickets = []
    for day in (0, 10):
        with clock.pinned(T0 + timedelta(days=day)):
            t = intake(b)
        to_ready(b, t, T0 + timedelta(days=day, hours=1))
        with clock.pinned(T0 + timedelta(days=day, hours=2)):
            write(b.db, lambda s, t=t: repairs.pickup(s, b.associate, t.id, collected_by="张伟", signature_name="张伟",
                                                      payment_status="paid", identity=t.number))
        tickets.append(t)
    invitations = read(b.db, lambda s: [(i.id, i.ticket_id) for i in s.scalars(select(SurveyInvitation))])
    assert [tid for _, tid in invitations] == [tickets[0].id]       # the second is within 30 days
    ask = live(b.db, ticket_id=tickets[0].id)["survey_invitation"]
    assert ask.params == {"ticket_number": tickets[0].number, "invitation_id": str(invitations[0][0]),
                          "visit_kind": "ticket", "visit_id": str(tickets[0].id)}
    assert "survey_invitation" not in live(b.db, ticket_id=tickets[1].id)


def test_no_contact_and_phone_calls_queue_nothing(bench):
    b = bench
    with clock.pinned(T0):
        by_phone = intake(b, contact_preference="phone")
    assert requests(b.db, ticket_id=by_phone.id) == []
    write(b.db, lambda s: customers.update_customer(s, b.admin, b.customer_id, contact_preference="none"))
    with clock.pinned(T0):
        t = intake(b, contact_preference="sms")
    to_ready(b, t, T0)
    assert requests(b.db, ticket_id=t.id) == []          # the customer's "no contact" stops ticket messages too


def test_an_erased_customer_gets_nothing(bench):
    b = bench
    write(b.db, lambda s: privacy.erase_customer(s, b.admin, b.customer_id))
    with clock.pinned(T0):
        msg = write(b.db, lambda s: queue_message(s, store_id=b.store_id, kind="repair_received",
                                                  event_key="x:1", customer_id=b.customer_id, now=T0))
    assert msg is None and requests(b.db) == []


def test_a_promotional_message_needs_the_channel_s_marketing_consent(bench):
    b = bench

    def points(s, key):
        return queue_message(s, store_id=b.store_id, kind="points_expiring", event_key=key,
                             customer_id=b.customer_id, now=T0, params={"points": 120, "expires_on": "2030-07-01"})
    assert write(b.db, lambda s: points(s, "loyalty:a")) is None
    write(b.db, lambda s: s.add(Consent(customer_id=b.customer_id, purpose="marketing_sms", granted=True,
                                        notice_version="1", channel="in_store", at=T0)))
    assert write(b.db, lambda s: points(s, "loyalty:b")) is not None
    write(b.db, lambda s: s.add(Consent(customer_id=b.customer_id, purpose="marketing_sms", granted=False,
                                        notice_version="1", channel="sms_reply", at=T0 + timedelta(hours=1))))
    assert write(b.db, lambda s: points(s, "loyalty:c")) is None
    assert [r.event_key for r in requests(b.db)] == ["loyalty:b"]


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(own=st.sampled_from(["", "sms", "email", "phone", "none"]), ticket=st.sampled_from([None, "sms", "email",
                                                                                           "phone", "none"]),
       phone=st.booleans(), email=st.booleans())
def test_the_channel_rule(db, own, ticket, phone, email):
    c = Customer(given_name="A", contact_preference=own, phone_e164="+8613800138000" if phone else None,
                 email="a@example.com" if email else None, erased=False)
    with db.session() as s:
        got = channel_for(s, c, "repair_received", ticket_preference=ticket)
    wanted = ticket or own or ("sms" if phone else "email" if email else "none")
    if own == "none":
        wanted = "none"
    expected = {"sms": "sms" if phone else None, "email": "email" if email else None}.get(wanted)
    assert got == expected


def test_how_to_contact_is_checked_at_the_core_boundary(bench):
    b = bench
    with pytest.raises(ValidationErrors) as refused:
        write(b.db, lambda s: customers.update_customer(s, b.admin, b.customer_id, contact_preference="fax"))
    assert [e.field for e in refused.value.errors] == ["contact_preference"]
    with pytest.raises(ValidationError) as e:
        write(b.db, lambda s: customers.update_customer(s, b.admin, b.customer_id, contact_preference="email"))
    assert e.value.field == "contact_preference"        # no e-mail address on file
    view = write(b.db, lambda s: customers.update_customer(s, b.admin, b.customer_id, contact_preference="phone"))
    assert view.contact_preference == "phone"


# --- appointments ----------------------------------------------------------------------------

@pytest.fixture
def shop(store_setup):
    shop = Shop(*store_setup)
    with shop.db.session(write=True) as s:
        shop.reachable = customers.create_customer(s, shop.admin, given_name="Mei", family_name="Lin",
                                                   email="mei@example.com", language="en").id
    return shop


def test_booking_confirms_and_reminds_24_hours_before_and_a_move_replaces_the_reminder(shop):
    day_after = DAY + timedelta(days=1)
    booked = shop.book("screen_repair", at(10, day=day_after), customer_id=shop.reachable, name=None)
    got = live(shop.db, appointment_id=booked.id)
    assert set(got) == {"appointment_confirmed", "appointment_reminder"}
    assert got["appointment_confirmed"].channel == "email" and got["appointment_confirmed"].language == "en"
    assert got["appointment_confirmed"].send_after == BOOK_NOW
    assert got["appointment_reminder"].send_after == at(10, day=day_after) - timedelta(hours=24)
    assert got["appointment_reminder"].params == {"starts_at": at(10, day=day_after).isoformat(timespec="minutes"),
                                                  "service": "screen_repair", "store_tz": got["appointment_reminder"]
                                                  .params["store_tz"]}
    with shop.db.session(write=True) as s:
        ap.reschedule(s, shop.assoc, booked.id, at(14, day=day_after), now=BOOK_NOW)
    got = live(shop.db, appointment_id=booked.id)
    assert set(got) == {"appointment_changed", "appointment_reminder"}     # the old confirmation had not gone yet
    assert got["appointment_reminder"].send_after == at(14, day=day_after) - timedelta(hours=24)
    old = [r for r in requests(shop.db, appointment_id=booked.id, kind="appointment_reminder") if r.cancelled]
    assert len(old) == 1 and old[0].send_after == at(10, day=day_after) - timedelta(hours=24)
    with clock.pinned(BOOK_NOW), shop.db.session(write=True) as s:
        ap.cancel(s, shop.assoc, booked.id)
    assert set(live(shop.db, appointment_id=booked.id)) == {"appointment_cancelled"}


def test_a_reminder_whose_moment_has_passed_at_booking_is_not_queued(shop):
    booked = shop.book("screen_repair", at(15), customer_id=shop.reachable, name=None)    # today, in 7 hours
    assert set(live(shop.db, appointment_id=booked.id)) == {"appointment_confirmed"}


def test_a_walk_up_name_and_a_customer_without_address_get_nothing(shop):
    a = shop.book("screen_repair", at(10))
    b = shop.book("screen_repair", at(14), customer_id=shop.customer, name=None)
    assert requests(shop.db, appointment_id=a.id) == [] and requests(shop.db, appointment_id=b.id) == []


def test_the_timeline_shows_each_message_and_a_withdrawn_one_as_cancelled(shop):
    booked = shop.book("screen_repair", at(10, day=DAY + timedelta(days=1)), customer_id=shop.reachable, name=None)
    with clock.pinned(BOOK_NOW), shop.db.session(write=True) as s:
        ap.cancel(s, shop.assoc, booked.id)
    with shop.db.session() as s:
        rows = messages_for(s, shop.assoc, appointment_id=booked.id)
        by_customer = messages_for(s, shop.assoc, customer_id=shop.reachable)
    assert [(m.kind, m.status, m.status_reason) for m in rows] == [
        ("appointment_confirmed", "cancelled", "appointment_moved"),
        ("appointment_reminder", "cancelled", "appointment_moved"),
        ("appointment_cancelled", "queued", "")]
    assert [m.id for m in by_customer] == [m.id for m in rows]

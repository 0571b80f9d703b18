"""The messages a store asked HQ to send (issue 22) on the store's timelines, with the
delivery status HQ wrote back: a ticket's History tab lists a sent, a failed (its reason in
words) and a scheduled message in English and Chinese, the status in words with its colour
only repeating them, and fits at 1024x768; the appointment's details say its reminder was
not sent because the appointment was cancelled; the customer's profile has the messages in
its timeline. Real widgets offscreen, a real SQLCipher demo store, the clock pinned."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone
from types import SimpleNamespace

import pytest
from sqlalchemy import delete, select

from core import clock, demo
from core.db import StoreDatabase
from core.models import Appointment, Customer, MessageRequest, RepairTicket
from core.permissions import Role
from desktop import fmt
from desktop.qt import QApplication, Qt
from desktop.views.message_timeline import STATE_TONES
from tests.desktop.conftest import sign_in
from tests.desktop.fitcheck import problems
from tests.desktop.test_bench_gui import _bench_in_the_shell  # noqa: F401  (fixture)

# Tuesday 10 March 2026, 15:00 in Shanghai (the demo store's zone), the store open
T0 = datetime(2026, 3, 10, 7, 0, tzinfo=timezone.utc)
SENT_AT = T0 - timedelta(days=2, hours=3)
FAILED_AT = T0 - timedelta(hours=4)
SEND_AFTER = T0 + timedelta(days=5)


@pytest.fixture
def pinned():
    with clock.pinned(T0) as fixed:
        yield fixed


def _request(store_id, customer_id, kind, key, *, created_at, **fields):
    return MessageRequest(store_id=store_id, customer_id=customer_id, kind=kind, event_key=key, channel="sms",
                          language="en", params={}, created_at=created_at,
                          send_after=fields.pop("send_after", created_at), **fields)


@pytest.fixture
def store(pinned, tmp_path, memory_keyring):
    """The demo store; one ready ticket whose messages are exactly a sent, a failed and a
    scheduled one, and a cancelled appointment whose reminder the store cancelled."""
    path = tmp_path / "store.db"
    db = StoreDatabase.create(path)
    info = demo.build_demo(db, customers=40, seed=3, now=T0)
    with db.session(write=True) as s:
        ticket = s.scalars(select(RepairTicket).where(RepairTicket.status == "ready",
                                                      RepairTicket.customer_id.is_not(None))
                           .order_by(RepairTicket.number)).first()
        customer = s.get(Customer, ticket.customer_id)
        s.execute(delete(MessageRequest).where(MessageRequest.customer_id == customer.id))
        sid, cid, tid = info.store_id, customer.id, ticket.id
        s.add_all([
            _request(sid, cid, "repair_received", f"ticket:{tid}:received", created_at=SENT_AT, ticket_id=tid,
                     status="sent", status_at=SENT_AT + timedelta(seconds=30), attempts=1),
            _request(sid, cid, "ready_for_pickup", f"ticket:{tid}:ready", created_at=FAILED_AT, ticket_id=tid,
                     status="failed", status_reason="gateway_error", status_at=FAILED_AT + timedelta(hours=2),
                     attempts=5),
            _request(sid, cid, "still_waiting", f"ticket:{tid}:still_waiting",
                     created_at=FAILED_AT - timedelta(minutes=1), ticket_id=tid, send_after=SEND_AFTER),
        ])
        # an appointment moved to a later day: the old reminder cancelled, the new one scheduled
        appt = s.scalars(select(Appointment).where(Appointment.status == "booked",
                                                   Appointment.customer_id.is_not(None),
                                                   Appointment.customer_id != cid,
                                                   Appointment.starts_at > T0 + timedelta(days=2))
                         .order_by(Appointment.starts_at)).first()
        s.execute(delete(MessageRequest).where(MessageRequest.appointment_id == appt.id))
        old_start = appt.starts_at - timedelta(days=1)
        s.add_all([
            _request(sid, appt.customer_id, "appointment_reminder",
                     f"appointment:{appt.id}:reminder:{old_start.isoformat()}", created_at=T0 - timedelta(days=3),
                     appointment_id=appt.id, send_after=old_start - timedelta(hours=24), cancelled=True,
                     cancelled_at=T0 - timedelta(hours=1)),
            _request(sid, appt.customer_id, "appointment_reminder",
                     f"appointment:{appt.id}:reminder:{appt.starts_at.isoformat()}",
                     created_at=T0 - timedelta(hours=1), appointment_id=appt.id,
                     send_after=appt.starts_at - timedelta(hours=24)),
        ])
        name = customer.display_name
    db.close()
    people = {Role(m.role): SimpleNamespace(id=m.staff_id, pin=m.pin) for m in reversed(info.staff)}
    return SimpleNamespace(path=path, people=people, ticket_id=tid, customer_id=cid, customer=name,
                           appointment=appt)


def _window(qtbot, make_window, store, role, language):
    w = make_window(store.path, language=language)
    sign_in(qtbot, w, store.people[role], store.people[role].pin)
    qtbot.waitUntil(lambda: w.pages.currentWidget() is w.shell, timeout=10000)
    w.resize(1024, 768)
    return w


def settle(w):
    w.ctx.runner.wait(10000)
    QApplication.processEvents()


def _cells(model, row):
    return [model.data(model.index(row, c)) for c in range(model.columnCount())]


def _colour(model, row, column):
    return model.data(model.index(row, column), Qt.ItemDataRole.ForegroundRole).name()


WORDS = {
    "en": {"kinds": ["Ready for pickup", "Still waiting for pickup", "Repair received"], "channel": "Text message",
           "reason": "the SMS gateway refused it", "sent": "Sent"},
    "zh_CN": {"kinds": ["可以取机", "待取机提醒", "已收到维修设备"], "channel": "短信",
              "reason": "短信网关未能发送", "sent": "已发送"},
}


@pytest.mark.parametrize("language", ["en", "zh_CN"])
def test_the_tickets_history_shows_sent_failed_and_scheduled_messages(qtbot, make_window, store, language):
    w = _window(qtbot, make_window, store, Role.MANAGER, language)
    w.shell.go("bench")
    bench = w.shell.screens["bench"]
    bench.open_ticket(store.ticket_id, fresh=True)
    panel = bench.panel
    qtbot.waitUntil(lambda: panel.detail is not None and panel.detail.id == store.ticket_id, timeout=10000)
    panel.tabs.setCurrentWidget(panel.history)
    box = panel.history.messages
    qtbot.waitUntil(lambda: box.model.rowCount() == 3, timeout=10000)
    words = WORDS[language]
    rows = [_cells(box.model, r) for r in range(3)]
    # newest first; kind and channel in the staff member's language
    assert [r[1] for r in rows] == words["kinds"]
    assert {r[2] for r in rows} == {words["channel"]}
    failed, scheduled, sent = (r[3] for r in rows)
    # the failure's reason in words, not its code
    assert words["reason"] in failed and "gateway_error" not in failed
    assert fmt.date_time(SEND_AFTER) in scheduled
    assert sent == f"{words['sent']} {fmt.date_time(SENT_AT + timedelta(seconds=30))}"
    other = WORDS["zh_CN" if language == "en" else "en"]
    assert not any(word in " ".join(rows[i][1] + rows[i][3] for i in range(3))
                   for word in (other["reason"], *other["kinds"]))
    if language == "en":
        assert failed == "Not delivered: the SMS gateway refused it"
        assert scheduled == f"Will be sent {fmt.date_time(SEND_AFTER)}"
    # the colour repeats the words: red for the failure, green for the sent one, blue for the one waiting
    colours = [_colour(box.model, r, 3) for r in range(3)]
    assert colours == [STATE_TONES["failed"][0], STATE_TONES["scheduled"][0], STATE_TONES["sent"][0]]
    settle(w)
    assert box.isVisible()
    assert problems(w, f"ticket history with messages ({language})") == []


def test_a_moved_appointment_shows_the_old_reminder_not_sent_and_the_new_one_scheduled(qtbot, make_window, store):
    w = _window(qtbot, make_window, store, Role.MANAGER, "en")
    w.shell.go("appointments")
    screen = w.shell.screens["appointments"]
    appt = store.appointment
    screen.set_day(fmt.local(appt.starts_at).date())
    qtbot.waitUntil(lambda: screen.plan is not None and screen.plan.day == fmt.local(appt.starts_at).date(),
                    timeout=10000)
    screen.calendar.selected_id = appt.id
    screen._selected(None)
    qtbot.waitUntil(lambda: screen.messages.isVisible(), timeout=10000)
    lines = screen.messages.text().split("<br>")
    assert len(lines) == 2
    assert "Appointment reminder · Text message · " in lines[0]
    assert f"Will be sent {fmt.date_time(appt.starts_at - timedelta(hours=24))}" in lines[0]
    assert "Not sent: the appointment was moved or cancelled" in lines[1]
    settle(w)
    assert problems(w, "appointment with its messages (en)") == []
    # nothing selected: nothing of that appointment stays on screen
    screen.calendar.selected_id = None
    screen._selected(None)
    assert not screen.messages.isVisible()


def test_the_customers_timeline_has_the_messages(qtbot, make_window, store):
    w = _window(qtbot, make_window, store, Role.ASSOCIATE, "en")
    w.shell.go("customers")
    customers = w.shell.screens["customers"]
    customers.show_customer(store.customer_id, store.customer)
    qtbot.waitUntil(lambda: customers.detail.profile is not None
                    and customers.detail.profile.customer.id == store.customer_id, timeout=10000)
    model = customers.detail.timeline
    qtbot.waitUntil(lambda: any(model.row_at(i).kind == "message" for i in range(model.rowCount())),
                    timeout=10000)
    rows = [_cells(model, i) for i in range(model.rowCount()) if model.row_at(i).kind == "message"]
    assert {r[1] for r in rows} == {"Message"}
    assert [r[2] for r in rows] == ["Ready for pickup · Text message", "Still waiting for pickup · Text message",
                                    "Repair received · Text message"]
    assert rows[0][3] == "Not delivered: the SMS gateway refused it"
    # among the rest of the timeline, newest first
    ats = [model.row_at(i).at for i in range(model.rowCount())]
    assert ats == sorted(ats, reverse=True)

"""The appointments screen driven as the counter uses it: book from a customer's profile,
move a block by dragging and with the keyboard, check in (a repair asks for intake), mark
a no-show after the grace period, and call the next walk-in."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone
from zoneinfo import ZoneInfo

import pytest
from PySide6.QtCore import QEvent, QPoint, QPointF
from PySide6.QtGui import QMouseEvent
from sqlalchemy import select

import desktop.shell as shell
from core import appointments as ap, clock
from core import staff
from core.db import StoreDatabase
from core.models import Appointment, Customer, Store
from core.models.service import WalkIn
from core.permissions import Role
from desktop.qt import QApplication, QPushButton, Qt
from desktop.views.appointments import AppointmentsScreen
from desktop.views.booking import BookingDialog, index_of
from tests.desktop.conftest import PINS, sign_in

TZ = ZoneInfo("Asia/Shanghai")
UTC = timezone.utc
# A Wednesday mid-morning in the store's zone: "today", "tomorrow" and "an hour from now"
# are the same days and times whenever the suite runs (the wall clock near midnight left
# no slot an hour ahead on the day being searched).
NOW = datetime(2026, 12, 9, 10, 0, tzinfo=TZ).astimezone(UTC)


@pytest.fixture(autouse=True)
def pinned_clock():
    """Every test here, and the screen it drives, sees ``NOW`` and it stands still."""
    with clock.pinned(NOW) as fixed:
        yield fixed


@pytest.fixture(autouse=True)
def appointments_screen(monkeypatch):
    """The shell shows this screen under the key it replaces ("appointments")."""
    monkeypatch.setattr(shell, "SCREENS", [AppointmentsScreen if c.key == "appointments" else c
                                           for c in shell.SCREENS])


@pytest.fixture
def shop(gui_store):
    """The GUI test store, open around the clock, with two technicians on a 24-hour rota
    (so the tests do not depend on the hour they run at) and two services."""
    path, people = gui_store
    db = StoreDatabase.open(path)
    with db.session(write=True) as s:
        admin = staff.actor_for(people[Role.ADMIN])
        store = s.get(Store, admin.store_id)
        store.opening_hours = {d: ["00:00", "24:00"] for d in ap.WEEKDAYS}
        zoe = staff.create_staff(s, admin, display_name="Zoe Tech", role=Role.TECHNICIAN, password="password-1",
                                 skills=["screen", "setup"])
        services = {}
        for code, name, dur, buf, skill, repair in (("screen_repair", "Screen repair", 45, 15, "screen", True),
                                                    ("setup_help", "Setup help", 30, 10, "setup", False)):
            services[code] = ap.save_service_type(s, admin, code=code, name=name, duration_min=dur, buffer_min=buf,
                                                  required_skill=skill, is_repair=repair).id
        for tech in (people[Role.TECHNICIAN].id, zoe.id):
            ap.set_week_template(s, admin, tech, [ap.TemplateView(wd, "work", 0, 1440) for wd in range(7)])
        ap.set_appointment_settings(s, admin, min_notice_min=0, no_show_grace_min=15)
        anna = s.scalars(select(Customer.id).where(Customer.given_name == "Anna")).one()
    yield dict(path=path, people=people, db=db, zoe=zoe, services=services, anna=anna, admin=admin)
    db.close()


def local_day(dt):
    return dt.astimezone(TZ).date()


def open_screen(qtbot, make_window, shop, role=Role.ASSOCIATE):
    w = make_window(shop["path"])
    sign_in(qtbot, w, shop["people"][role], PINS[role])
    qtbot.waitUntil(lambda: w.pages.currentWidget() is w.shell, timeout=10000)
    w.shell.go("appointments")
    screen = w.shell.screens["appointments"]
    assert isinstance(screen, AppointmentsScreen)
    qtbot.waitUntil(lambda: screen.plan is not None, timeout=10000)
    return w, screen


def show_day(qtbot, screen, day):
    screen.set_day(day)
    qtbot.waitUntil(lambda: screen.plan is not None and screen.plan.day == day and not screen.busy.isVisible(),
                    timeout=10000)


def book(shop, code, start, tech=None, **kw):
    with shop["db"].session(write=True) as s:
        return ap.book(s, shop["admin"], service_type_id=shop["services"][code], starts_at=start,
                       technician_id=tech, name=kw.pop("name", "Walk-up"), **kw)


def stored(shop, appointment_id):
    with shop["db"].session() as s:
        return s.get(Appointment, appointment_id)


def mouse(widget, kind, pos: QPoint, buttons):
    button = Qt.MouseButton.LeftButton if kind != QEvent.Type.MouseMove else Qt.MouseButton.NoButton
    event = QMouseEvent(kind, QPointF(pos), QPointF(widget.mapToGlobal(pos)), button, buttons,
                        Qt.KeyboardModifier.NoModifier)
    QApplication.sendEvent(widget, event)


def tomorrow_at(hour):
    d = clock.today(TZ) + timedelta(days=1)
    return datetime(d.year, d.month, d.day, hour, tzinfo=TZ).astimezone(UTC)


# --- booking from the customer's profile ------------------------------------------------------

def test_book_from_a_customer_profile(qtbot, shop, make_window):
    w, screen = open_screen(qtbot, make_window, shop)
    # find Anna and open her profile, as the counter does
    w.shell.search.setText("Smith")
    w.shell._global_search()
    customers_screen = w.shell.screens["customers"]
    qtbot.waitUntil(lambda: customers_screen.model.rowCount() == 1, timeout=10000)
    customers_screen.open_row(0)
    book_button = w.findChild(QPushButton, "profile_book")
    qtbot.waitUntil(lambda: book_button is not None and book_button.isVisible(), timeout=10000)
    book_button.click()
    qtbot.waitUntil(lambda: any(d.isVisible() for d in w.findChildren(BookingDialog)), timeout=10000)
    dlg = next(d for d in w.findChildren(BookingDialog) if d.isVisible())
    qtbot.waitUntil(lambda: dlg.service.count() == 2 and dlg.customer_label.text() == "Anna Smith", timeout=10000)
    dlg.service.setCurrentIndex(index_of(dlg.service, shop["services"]["setup_help"]))
    dlg.day.setCurrentIndex(1)                          # tomorrow
    qtbot.waitUntil(lambda: dlg.slots.count() > 0, timeout=10000)
    # setup help: only Zoe has the skill, so every time offered is hers
    assert {dlg.slots.item(i).data(Qt.ItemDataRole.UserRole).technician for i in range(dlg.slots.count())} \
        == {"Zoe Tech"}
    dlg.slots.setCurrentRow(40)                         # 10:00 on a 15-minute grid from midnight
    slot = dlg.selected_slot()
    assert slot.starts_at == tomorrow_at(10)
    dlg.notes.setText("iPhone 15, move photos")
    dlg.book_button.click()
    qtbot.waitUntil(lambda: dlg.result_appointment is not None, timeout=10000)
    with shop["db"].session() as s:
        [a] = s.scalars(select(Appointment).where(Appointment.customer_id == shop["anna"])).all()
    assert (a.starts_at, a.technician_id, a.status, a.notes) == (tomorrow_at(10), shop["zoe"].id, "booked",
                                                                 "iPhone 15, move photos")
    # the day view shows it
    show_day(qtbot, screen, local_day(a.starts_at))
    assert [b.customer for b in screen.calendar.blocks()] == ["Anna Smith"]


def test_a_slot_taken_meanwhile_is_reported_with_the_next_free_times(qtbot, shop, make_window):
    w, screen = open_screen(qtbot, make_window, shop)
    dlg = BookingDialog(w.ctx, None, w)
    qtbot.addWidget(dlg)
    dlg.show()
    qtbot.waitUntil(lambda: dlg.service.count() == 2, timeout=10000)
    dlg.service.setCurrentIndex(index_of(dlg.service, shop["services"]["setup_help"]))
    dlg.day.setCurrentIndex(1)
    qtbot.waitUntil(lambda: dlg.slots.count() > 40, timeout=10000)
    dlg.slots.setCurrentRow(40)
    dlg.name.setText("Pat Lee")
    book(shop, "setup_help", tomorrow_at(10))           # another counter was quicker
    dlg.book_button.click()
    qtbot.waitUntil(lambda: dlg.fields.general.isVisible(), timeout=10000)
    assert "just taken" in dlg.fields.general.text() and "10:45" in dlg.fields.general.text()
    qtbot.waitUntil(lambda: dlg.selected_slot() is not None and dlg.selected_slot().starts_at
                    == tomorrow_at(10) + timedelta(minutes=45), timeout=10000)
    assert dlg.result_appointment is None and dlg.isVisible()


# --- moving in the day view ----------------------------------------------------------------------

def test_drag_a_block_to_a_later_time_and_another_technician(qtbot, shop, make_window):
    tom = shop["people"][Role.TECHNICIAN]
    a = book(shop, "screen_repair", tomorrow_at(10), tom.id, name="Drag Me")
    w, screen = open_screen(qtbot, make_window, shop)
    show_day(qtbot, screen, local_day(a.starts_at))
    cal = screen.calendar
    assert [c.name for c in cal.columns] == ["Tom Technician", "Zoe Tech"]
    [block] = cal.blocks()
    start = cal.block_rect(block).center()
    end = start + QPoint(int(cal.col_width()), int(60 * cal.PX_PER_MIN))
    mouse(cal, QEvent.Type.MouseButtonPress, start, Qt.MouseButton.LeftButton)
    for k in range(1, 6):
        mouse(cal, QEvent.Type.MouseMove, start + (end - start) * k / 5, Qt.MouseButton.LeftButton)
    assert cal.pending is not None and cal.pending[1] == tomorrow_at(11)   # the ghost shows where it goes
    mouse(cal, QEvent.Type.MouseButtonRelease, end, Qt.MouseButton.NoButton)
    qtbot.waitUntil(lambda: stored(shop, a.id).starts_at == tomorrow_at(11), timeout=10000)
    assert stored(shop, a.id).technician_id == shop["zoe"].id
    qtbot.waitUntil(lambda: cal.blocks() and cal.blocks()[0].technician == "Zoe Tech", timeout=10000)


def test_keyboard_moves_a_block_with_alt_arrows_and_enter(qtbot, shop, make_window):
    tom = shop["people"][Role.TECHNICIAN]
    a = book(shop, "screen_repair", tomorrow_at(10), tom.id, name="Keys Only")
    book(shop, "screen_repair", tomorrow_at(14), shop["zoe"].id, name="Blocker")
    w, screen = open_screen(qtbot, make_window, shop)
    show_day(qtbot, screen, local_day(a.starts_at))
    cal = screen.calendar
    cal.setFocus()
    qtbot.keyClick(cal, Qt.Key.Key_Home)                 # select the first block
    assert cal.selected().customer == "Keys Only"
    assert "Keys Only" in screen.selection.text()
    qtbot.keyClick(cal, Qt.Key.Key_Down, Qt.KeyboardModifier.AltModifier)
    qtbot.keyClick(cal, Qt.Key.Key_Down, Qt.KeyboardModifier.AltModifier)
    qtbot.keyClick(cal, Qt.Key.Key_Right, Qt.KeyboardModifier.AltModifier)
    assert cal.pending[1] == tomorrow_at(10) + timedelta(minutes=30) and cal.pending[2] == 1
    qtbot.keyClick(cal, Qt.Key.Key_Escape)               # changed my mind
    assert cal.pending is None
    for _ in range(2):
        qtbot.keyClick(cal, Qt.Key.Key_Down, Qt.KeyboardModifier.AltModifier)
    qtbot.keyClick(cal, Qt.Key.Key_Right, Qt.KeyboardModifier.AltModifier)
    qtbot.keyClick(cal, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: stored(shop, a.id).starts_at == tomorrow_at(10) + timedelta(minutes=30), timeout=10000)
    assert stored(shop, a.id).technician_id == shop["zoe"].id
    # onto Zoe's 14:00 customer: refused, shown, and nothing moves
    qtbot.waitUntil(lambda: cal.selected() is not None and cal.selected().technician == "Zoe Tech", timeout=10000)
    for _ in range(14):
        qtbot.keyClick(cal, Qt.Key.Key_Down, Qt.KeyboardModifier.AltModifier)
    qtbot.keyClick(cal, Qt.Key.Key_Return)
    from desktop.qt import QMessageBox
    qtbot.waitUntil(lambda: any(b.isVisible() for b in w.findChildren(QMessageBox)), timeout=10000)
    box = [b for b in w.findChildren(QMessageBox) if b.isVisible()][0]
    assert "slot just taken" in box.text()
    box.close()
    assert stored(shop, a.id).starts_at == tomorrow_at(10) + timedelta(minutes=30)


# --- check-in, no-show --------------------------------------------------------------------------

def test_check_in_of_a_repair_asks_for_intake(qtbot, shop, make_window):
    now = clock.now()
    with shop["db"].session() as s:
        slot = ap.find_slots(s, shop["admin"], shop["services"]["screen_repair"], local_day(now + timedelta(hours=1)),
                             technician_id=shop["people"][Role.TECHNICIAN].id)
    start = next(x.starts_at for x in slot if x.starts_at >= now + timedelta(hours=1))
    a = book(shop, "screen_repair", start, shop["people"][Role.TECHNICIAN].id, customer_id=shop["anna"], name=None)
    w, screen = open_screen(qtbot, make_window, shop)
    show_day(qtbot, screen, local_day(start))
    intake = []
    screen.intake_requested.connect(intake.append)
    [block] = screen.calendar.blocks()
    qtbot.mouseClick(screen.calendar, Qt.MouseButton.LeftButton, pos=screen.calendar.block_rect(block).center())
    assert screen.check_in_button.isEnabled() and not screen.no_show_button.isEnabled()   # not late yet
    screen.check_in_button.click()
    qtbot.waitUntil(lambda: stored(shop, a.id).status == "checked_in", timeout=10000)
    qtbot.waitUntil(lambda: len(intake) == 1, timeout=10000)
    assert intake[0].id == a.id and intake[0].is_repair
    qtbot.waitUntil(lambda: screen.calendar.blocks()[0].status == "checked_in", timeout=10000)
    assert screen.numbers["checked_in"].text() == "1"
    assert not screen.check_in_button.isEnabled() and screen.start_button.isEnabled()


def test_no_show_is_possible_only_after_the_grace_period(qtbot, shop, make_window):
    now = clock.now().replace(second=0, microsecond=0)
    tom, zoe = shop["people"][Role.TECHNICIAN].id, shop["zoe"].id
    with shop["db"].session(write=True) as s:
        late = Appointment(store_id=shop["admin"].store_id, service_type_id=shop["services"]["screen_repair"],
                           technician_id=tom, starts_at=now - timedelta(minutes=30),
                           ends_at=now + timedelta(minutes=30), walk_in_name="Late Larry", status="booked")
        early = Appointment(store_id=shop["admin"].store_id, service_type_id=shop["services"]["screen_repair"],
                            technician_id=zoe, starts_at=now - timedelta(minutes=5),
                            ends_at=now + timedelta(minutes=55), walk_in_name="Just Late", status="booked")
        s.add_all([late, early])
    w, screen = open_screen(qtbot, make_window, shop)
    show_day(qtbot, screen, local_day(late.starts_at))
    cal = screen.calendar
    by_name = {b.customer: b for b in cal.blocks()}
    cal.select(by_name["Just Late"])                                 # same local day: the clock is pinned
    assert not screen.no_show_button.isEnabled()                     # 5 of 15 minutes
    assert "grace" in screen.no_show_button.toolTip()
    cal.select(by_name["Late Larry"])
    assert screen.no_show_button.isEnabled()
    screen.no_show_button.click()
    qtbot.waitUntil(lambda: stored(shop, late.id).status == "no_show", timeout=10000)
    qtbot.waitUntil(lambda: {b.customer: b.status for b in cal.blocks()}.get("Late Larry") == "no_show",
                    timeout=10000)
    assert stored(shop, early.id).status == "booked"


# --- the walk-in queue --------------------------------------------------------------------------

def test_add_a_walk_in_and_call_next(qtbot, shop, make_window):
    w, screen = open_screen(qtbot, make_window, shop)
    show_day(qtbot, screen, clock.today(TZ))
    screen.queue.add_walk_in_button.click()
    dlg = screen.last_dialog
    qtbot.waitUntil(lambda: dlg.service.count() == 2, timeout=10000)
    dlg.name.setText("刘先生")
    dlg.service.setCurrentIndex(index_of(dlg.service, shop["services"]["setup_help"]))
    dlg.add_button.click()
    qtbot.waitUntil(lambda: screen.queue.model.rowCount() == 1, timeout=10000)
    entry = screen.queue.model.row_at(0)
    assert entry.name == "刘先生" and entry.estimated_wait_min == 0 and entry.estimated_technician == "Zoe Tech"
    assert screen.numbers["waiting"].text() == "1"
    screen.queue.call_next_button.click()
    qtbot.waitUntil(lambda: screen.queue.model.rowCount() == 0, timeout=10000)
    assert "Zoe Tech" in screen.queue.status.text()
    with shop["db"].session() as s:
        walk_in = s.scalars(select(WalkIn)).one()
        appt = s.get(Appointment, walk_in.appointment_id)
    assert walk_in.status == "called" and appt.status == "in_service" and appt.technician_id == shop["zoe"].id
    qtbot.waitUntil(lambda: any(b.customer == "刘先生" for b in screen.calendar.blocks()), timeout=10000)
    assert screen.numbers["waiting"].text() == "0"
    # nobody left: a clear message, not a crash
    screen.queue.call_next_button.click()
    qtbot.waitUntil(lambda: screen.queue.error.isVisible(), timeout=10000)
    assert "nobody" in screen.queue.error.text()


def test_lock_clears_the_day(qtbot, shop, make_window):
    a = book(shop, "setup_help", tomorrow_at(10), name="Private Person")
    w, screen = open_screen(qtbot, make_window, shop)
    show_day(qtbot, screen, local_day(a.starts_at))
    screen.calendar.select(screen.calendar.blocks()[0])
    dlg = BookingDialog(w.ctx, shop["anna"], w)
    qtbot.addWidget(dlg)
    dlg.show()
    qtbot.waitUntil(lambda: dlg.customer_label.text() == "Anna Smith", timeout=10000)
    w.lock()
    assert screen.model.rowCount() == 0 and screen.calendar.blocks() == []
    assert "Private" not in screen.selection.text()
    assert not dlg.isVisible(), "a booking dialog with a customer's name closes on lock"


# --- the rota (managers) ------------------------------------------------------------------------

def test_manager_edits_the_usual_week_adds_a_sick_day_and_sets_the_grace_period(qtbot, shop, make_window):
    w, screen = open_screen(qtbot, make_window, shop, role=Role.MANAGER)
    screen.show_page(1)
    rota = screen.rota
    qtbot.waitUntil(lambda: rota.tech.count() == 2 and rota.week_rows[0][1][0].text() == "00:00", timeout=10000)
    rota.tech.setCurrentIndex(index_of(rota.tech, shop["zoe"].id))
    qtbot.waitUntil(lambda: rota.skills_summary.text() == "Displays, Setup and data" and not w.ctx.runner.busy, timeout=10000)
    works, edits = rota.week_rows[0]                     # Monday
    for edit, text in zip(edits, ("10:00", "25:00", "12:00", "12:30")):
        edit.setText(text)
    rota.save_week.click()
    assert rota.week_error.isVisible() and "Monday" in rota.week_error.text()
    edits[1].setText("16:00")
    edits[2].setText("17:00")                            # a break outside the working hours
    edits[3].setText("17:30")
    rota.save_week.click()
    qtbot.waitUntil(lambda: rota.week_error.isVisible(), timeout=10000)
    assert "Monday" in rota.week_error.text() and "within the working hours" in rota.week_error.text()
    edits[2].setText("12:00")
    edits[3].setText("12:30")
    rota.week_rows[6][0].setChecked(False)               # Sundays off
    rota.save_week.click()
    def saved():
        with shop["db"].session() as s:                  # a fresh snapshot each look
            rows = ap.week_template(s, shop["admin"], shop["zoe"].id)
        return {(r.weekday, r.kind, r.start_minute, r.end_minute) for r in rows if r.weekday in (0, 6)}
    qtbot.waitUntil(lambda: saved() == {(0, "work", 600, 960), (0, "break", 720, 750)}, timeout=10000)
    # Zoe is off sick tomorrow: the whole day, no times needed
    tomorrow = clock.today(TZ) + timedelta(days=1)
    rota.exc_day.setCurrentIndex(index_of(rota.exc_day, tomorrow))
    rota.exc_kind.setCurrentIndex(index_of(rota.exc_kind, "absence"))
    rota.exc_note.setText("sick")
    rota.add_exc.click()
    qtbot.waitUntil(lambda: rota.exc_model.rowCount() == 1, timeout=10000)
    with shop["db"].session() as s:
        assert ap.find_slots(s, shop["admin"], shop["services"]["setup_help"], tomorrow) == []   # only Zoe sets up
    rota.grace.setValue(5)
    rota.save_rules.click()
    def grace():
        with shop["db"].session() as s:
            return ap.appointment_settings(s, shop["admin"]).no_show_grace_min
    qtbot.waitUntil(lambda: grace() == 5, timeout=10000)

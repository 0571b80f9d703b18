"""Appointments on a real store database: booking without double booking (also from two
threads at once), moving, check-in, no-shows, the walk-in queue, the rota, the day."""

from __future__ import annotations

import threading
from datetime import date, datetime, timedelta, timezone
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError

from core import analytics, appointments as ap, customers, staff
from core.appointments import SlotTaken, TemplateView, local_instant
from core.demo import STORE_TZ
from core.errors import Conflict, NotFound, PermissionDenied, ValidationError, ValidationErrors
from core.models import Appointment, AuditEvent, OutboxEntry
from core.models.service import WalkIn
from core.permissions import Role

UTC = timezone.utc
TZ = STORE_TZ                                # the fixture store's, as the date matrix sets it
DAY = date(2030, 6, 3)                       # a Monday; the store opens 09:00-19:00 Mon-Sat


def at(h: int, m: int = 0, day: date = DAY) -> datetime:
    return local_instant(TZ, day, h * 60 + m)


NOW = at(8)                                  # before opening on DAY


class Store:
    def __init__(self, db, store_id, admin):
        self.db, self.store_id, self.admin = db, store_id, admin
        with db.session(write=True) as s:
            def person(name, role, skills=()):
                info = staff.create_staff(s, admin, display_name=name, role=role, password="password-1",
                                          pin=None, skills=list(skills))
                return info
            self.li = person("Li Qiang", Role.TECHNICIAN, ("screen", "battery"))
            self.zhao = person("Zhao Min", Role.TECHNICIAN, ("screen", "setup"))
            self.tom = person("Tom Becker", Role.TECHNICIAN, ("setup",))
            self.assoc = staff.actor_for(person("Wang Lei", Role.ASSOCIATE))
            self.manager = staff.actor_for(person("Chen Jing", Role.MANAGER))
            self.tech_actor = staff.actor_for(self.li)
            self.services = {}
            for code, name, dur, buf, skill, repair in (
                    ("screen_repair", "Screen repair", 45, 15, "screen", True),
                    ("battery", "Battery replacement", 60, 15, "battery", True),
                    ("setup_help", "Setup help", 30, 10, "setup", False),
                    ("diagnosis", "Diagnosis", 20, 10, None, True)):
                self.services[code] = ap.save_service_type(s, admin, code=code, name=name, duration_min=dur,
                                                           buffer_min=buf, required_skill=skill,
                                                           price_cents=9900, is_repair=repair).id
            week = [TemplateView(wd, "work", 9 * 60, 18 * 60) for wd in range(6)] + \
                   [TemplateView(wd, "break", 12 * 60, 13 * 60) for wd in range(6)]
            for t in (self.li, self.zhao, self.tom):
                ap.set_week_template(s, self.manager, t.id, week)
            self.customer = customers.create_customer(s, admin, given_name="Anna", family_name="Smith").id
            ap.set_appointment_settings(s, self.manager, min_notice_min=30, no_show_grace_min=15)

    def book(self, code, start, **kw):
        kw.setdefault("name", "Walk-up")
        kw.setdefault("now", NOW)
        with self.db.session(write=True) as s:
            return ap.book(s, self.assoc, service_type_id=self.services[code], starts_at=start, **kw)

    def slots(self, code, day=DAY, **kw):
        kw.setdefault("now", NOW)
        with self.db.session() as s:
            return ap.find_slots(s, self.assoc, self.services[code], day, **kw)

    def count_live(self):
        with self.db.session() as s:
            return s.scalar(select(func.count()).select_from(Appointment)
                            .where(Appointment.status.in_(ap.LIVE_STATUSES)))


@pytest.fixture
def shop(store_setup):
    return Store(*store_setup)


# --- booking ------------------------------------------------------------------------------

def test_booking_takes_the_least_loaded_qualified_technician_and_is_audited(shop):
    first = shop.book("screen_repair", at(10), customer_id=shop.customer)
    assert first.technician in ("Li Qiang", "Zhao Min")
    assert first.ends_at - first.starts_at == timedelta(minutes=60)        # 45 + 15 buffer
    assert first.customer == "Anna Smith" and first.status == "booked"
    second = shop.book("screen_repair", at(10))
    assert {first.technician, second.technician} == {"Li Qiang", "Zhao Min"}
    # nobody else can do screens at 10:00
    with pytest.raises(SlotTaken) as taken:
        shop.book("screen_repair", at(10))
    assert taken.value.next_slots and all(s.starts_at > at(10) for s in taken.value.next_slots)
    assert str(taken.value) == "slot just taken"
    with shop.db.session() as s:
        actions = list(s.scalars(select(AuditEvent.action).where(AuditEvent.action == "appointment.book")))
        assert len(actions) == 2
        detail = s.scalars(select(AuditEvent.detail).where(AuditEvent.action == "appointment.book")).first()
        assert "Anna" not in detail and "Smith" not in detail
        assert s.scalar(select(func.count()).select_from(OutboxEntry).where(
            OutboxEntry.entity == "appointment", OutboxEntry.op == "insert")) == 2


def test_a_chosen_technician_without_the_skill_is_refused(shop):
    with pytest.raises(ValidationError) as e:
        shop.book("battery", at(10), technician_id=shop.zhao.id)
    assert e.value.field == "technician_id"
    booked = shop.book("battery", at(10), technician_id=shop.li.id)
    assert booked.technician == "Li Qiang"


def test_times_that_can_never_be_booked_are_refused_with_a_reason(shop):
    with pytest.raises(ValidationError, match="minutes from now"):
        shop.book("setup_help", at(8, 15), now=at(8))             # inside the 30 minutes' notice
    with pytest.raises(ValidationError, match="working hours"):
        shop.book("setup_help", at(12, 15))                       # everyone's lunch break
    with pytest.raises(ValidationError, match="working hours"):
        shop.book("setup_help", at(17, 45))                       # past the end of the shifts
    with pytest.raises(ValidationError, match="working hours"):
        shop.book("setup_help", at(10, 7))                        # not on the 15-minute grid
    with pytest.raises(ValidationError, match="working hours"):
        shop.book("setup_help", at(10, day=DAY + timedelta(days=6)))   # Sunday: closed
    with pytest.raises(ValidationErrors) as e:
        shop.book("setup_help", at(10), name="  ")
    assert "name" in e.value.by_field
    with pytest.raises(PermissionDenied):
        with shop.db.session(write=True) as s:
            ap.set_appointment_settings(s, shop.assoc, no_show_grace_min=5)
    assert shop.count_live() == 0


def test_slots_of_a_day_respect_bookings_breaks_and_the_end_of_the_shift(shop):
    shop.book("battery", at(9), technician_id=shop.li.id)          # Li busy 09:00-10:15
    slots = shop.slots("battery")
    starts = [s.starts_at for s in slots]
    assert at(9) not in starts and at(10, 15) in starts
    assert all(not (at(12) - timedelta(minutes=75) < s < at(13)) for s in starts)   # lunch
    assert max(starts) == at(16, 45)                              # + 75 min = 18:00, the end of the shift
    week = shop.slots("battery", days=7)
    assert {s.starts_at.astimezone(ZoneInfo(TZ)).date() for s in week} == {DAY + timedelta(days=i)
                                                                               for i in range(6)}


def test_a_sick_day_removes_the_technician_and_an_exception_shift_replaces_the_template(shop):
    with shop.db.session(write=True) as s:
        ap.add_exception(s, shop.manager, shop.li.id, DAY, "absence", note="sick")
        ap.add_exception(s, shop.manager, shop.tom.id, DAY, "work", 14 * 60, 20 * 60)
        with pytest.raises(PermissionDenied):
            ap.add_exception(s, shop.assoc, shop.li.id, DAY, "absence")
    assert shop.slots("battery") == []                            # Li is the only battery technician
    tom = shop.slots("setup_help", technician_id=shop.tom.id)
    assert tom[0].starts_at == at(14) and tom[-1].starts_at == at(18, 30)   # 18:30+30 = 19:00 closing
    with shop.db.session() as s:
        [sick] = [x for x in ap.list_exceptions(s, shop.assoc, shop.li.id, DAY, DAY)]
    with shop.db.session(write=True) as s:
        ap.remove_exception(s, shop.manager, sick.id)
    assert shop.slots("battery")


def test_week_templates_are_validated(shop):
    with shop.db.session(write=True) as s:
        with pytest.raises(ValidationErrors):
            ap.set_week_template(s, shop.manager, shop.li.id, [TemplateView(0, "work", 600, 540)])
        with pytest.raises(ValidationErrors):
            ap.set_week_template(s, shop.manager, shop.li.id, [TemplateView(0, "work", 540, 720),
                                                               TemplateView(0, "break", 700, 760)])
        with pytest.raises(PermissionDenied):
            ap.set_week_template(s, shop.assoc, shop.li.id, [])
        rows = ap.set_week_template(s, shop.manager, shop.li.id, [TemplateView(1, "work", 600, 900)])
    assert rows == [TemplateView(1, "work", 600, 900)]
    assert not shop.slots("battery")                               # Monday: Li no longer works
    assert shop.slots("battery", day=DAY + timedelta(days=1))[0].starts_at == at(10, day=DAY + timedelta(days=1))


# --- no double booking, in the database -----------------------------------------------------

def test_two_counters_booking_the_last_slot_at_once_get_one_success_and_one_slot_taken(shop):
    # setup help (30 + 10 min) on Monday: Zhao is off, Tom works 17:00-17:40, Li lacks the skill
    with shop.db.session(write=True) as s:
        ap.set_week_template(s, shop.manager, shop.zhao.id, [])
        ap.set_week_template(s, shop.manager, shop.tom.id, [TemplateView(0, "work", 17 * 60, 17 * 60 + 40)])
    [only] = shop.slots("setup_help")
    assert only.starts_at == at(17)

    both_saw_it = threading.Barrier(2)
    results: dict[str, object] = {}

    def counter(name: str, customer_name: str) -> None:
        try:
            # each counter has looked at the free slots and sees the last one
            with shop.db.session() as s:
                seen = ap.find_slots(s, shop.assoc, shop.services["setup_help"], DAY, now=NOW)
            assert [x.starts_at for x in seen] == [at(17)]
            both_saw_it.wait(timeout=10)
            with shop.db.session(write=True) as s:
                results[name] = ap.book(s, shop.assoc, service_type_id=shop.services["setup_help"],
                                        starts_at=at(17), name=customer_name, now=NOW)
        except BaseException as exc:  # noqa: BLE001 - the test inspects it
            results[name] = exc

    threads = [threading.Thread(target=counter, args=(n, c)) for n, c in (("a", "Ann"), ("b", "Bo"))]
    for t in threads:
        t.start()
    for t in threads:
        t.join(30)
    outcomes = sorted(type(r).__name__ for r in results.values())
    assert outcomes == ["DayAppointment", "SlotTaken"], results
    taken = next(r for r in results.values() if isinstance(r, SlotTaken))
    assert taken.message == "slot just taken"
    with shop.db.session() as s:
        live = list(s.scalars(select(Appointment).where(Appointment.starts_at == at(17),
                                                        Appointment.status == "booked")))
    assert len(live) == 1


def test_the_database_itself_refuses_an_overlapping_appointment(shop):
    booked = shop.book("battery", at(10), technician_id=shop.li.id)
    with pytest.raises(IntegrityError, match="overlaps"):
        with shop.db.session(write=True) as s:     # a writer that skips the service's checks
            s.add(Appointment(store_id=shop.store_id, service_type_id=shop.services["battery"],
                              technician_id=shop.li.id, starts_at=at(10, 30), ends_at=at(11),
                              walk_in_name="Sneaky", status="booked"))
    with pytest.raises(IntegrityError, match="overlaps"):
        with shop.db.session(write=True) as s:     # nor by moving one onto another
            other = Appointment(store_id=shop.store_id, service_type_id=shop.services["battery"],
                                technician_id=shop.li.id, starts_at=at(14), ends_at=at(15),
                                walk_in_name="Later", status="booked")
            s.add(other)
            s.flush()
            other.starts_at = at(10, 45)
            s.flush()
    # another technician at the same time, or a cancelled appointment, is no clash
    with shop.db.session(write=True) as s:
        s.add(Appointment(store_id=shop.store_id, service_type_id=shop.services["battery"],
                          technician_id=shop.zhao.id, starts_at=at(10), ends_at=at(11), walk_in_name="Z",
                          status="booked"))
        s.get(Appointment, booked.id).status = "cancelled"
        s.flush()
        s.add(Appointment(store_id=shop.store_id, service_type_id=shop.services["battery"],
                          technician_id=shop.li.id, starts_at=at(10), ends_at=at(11), walk_in_name="Again",
                          status="booked"))
    assert shop.count_live() == 2


# --- moving, cancelling, check-in, no-show ----------------------------------------------------

def test_reschedule_moves_within_the_rules_and_refuses_a_taken_time(shop):
    a = shop.book("screen_repair", at(10), technician_id=shop.li.id)
    b = shop.book("screen_repair", at(14), technician_id=shop.li.id)
    with shop.db.session(write=True) as s:
        moved = ap.reschedule(s, shop.assoc, a.id, at(11), now=NOW)
        assert (moved.starts_at, moved.technician_id) == (at(11), shop.li.id)
        other = ap.reschedule(s, shop.assoc, a.id, at(11), shop.zhao.id, now=NOW)
        assert other.technician == "Zhao Min"
    with pytest.raises(SlotTaken):
        with shop.db.session(write=True) as s:
            ap.reschedule(s, shop.assoc, b.id, at(11), shop.zhao.id, now=NOW)
    with pytest.raises(ValidationError):
        with shop.db.session(write=True) as s:
            ap.reschedule(s, shop.assoc, b.id, at(11), shop.tom.id, now=NOW)    # Tom has no screen skill
    with shop.db.session(write=True) as s:
        ap.cancel(s, shop.assoc, b.id)
        with pytest.raises(ValidationError):
            ap.reschedule(s, shop.assoc, b.id, at(15), now=NOW)
    # the cancelled time is free again
    assert at(14) in [x.starts_at for x in shop.slots("screen_repair", technician_id=shop.li.id)]


def test_check_in_of_a_repair_asks_for_intake_and_a_setup_does_not(shop):
    repair = shop.book("screen_repair", at(10), customer_id=shop.customer)
    setup = shop.book("setup_help", at(10), technician_id=shop.tom.id)
    with shop.db.session(write=True) as s:
        r = ap.check_in(s, shop.assoc, repair.id, now=at(9, 55))
        assert r.needs_intake is True and r.appointment.status == "checked_in"
        assert r.appointment.checked_in_at == at(9, 55)
        q = ap.check_in(s, shop.assoc, setup.id, now=at(10, 2))
        assert q.needs_intake is False
        with pytest.raises(ValidationError):
            ap.check_in(s, shop.assoc, setup.id)                   # not twice
        started = ap.start_service(s, shop.tech_actor, repair.id, now=at(10, 5))
        assert started.status == "in_service"
        done = ap.complete(s, shop.tech_actor, repair.id, now=at(10, 40))
        assert done.status == "completed" and done.ends_at == at(10, 40)   # finished early: time freed


def test_no_show_only_after_the_grace_period_the_manager_set(shop):
    a = shop.book("setup_help", at(10))
    with shop.db.session(write=True) as s:
        with pytest.raises(ValidationError, match="15 minutes"):
            ap.mark_no_show(s, shop.assoc, a.id, now=at(10, 10))
        ap.set_appointment_settings(s, shop.manager, no_show_grace_min=5)
    with shop.db.session(write=True) as s:
        gone = ap.mark_no_show(s, shop.assoc, a.id, now=at(10, 10))
    assert gone.status == "no_show"
    assert shop.count_live() == 0                                  # the technician is free again


# --- walk-ins -------------------------------------------------------------------------------

def test_walk_in_queue_estimates_waits_calls_in_order_and_moves_to_a_technician(shop):
    now = at(10)
    # Li and Zhao are booked until 11:00; Tom (setup only) is free
    shop.book("screen_repair", at(10), technician_id=shop.li.id, now=at(8))
    shop.book("screen_repair", at(10), technician_id=shop.zhao.id, now=at(8))
    with shop.db.session(write=True) as s:
        first = ap.add_walk_in(s, shop.assoc, service_type_id=shop.services["screen_repair"], name="刘先生", now=now)
        second = ap.add_walk_in(s, shop.assoc, service_type_id=shop.services["screen_repair"],
                                customer_id=shop.customer, now=now + timedelta(minutes=1))
        third = ap.add_walk_in(s, shop.assoc, service_type_id=shop.services["screen_repair"], name="Mr Harris",
                               now=now + timedelta(minutes=2))
        setup = ap.add_walk_in(s, shop.assoc, service_type_id=shop.services["setup_help"], name="Ms Setup",
                               now=now + timedelta(minutes=3))
        queue = ap.walk_in_queue(s, shop.assoc, now=now + timedelta(minutes=3))
    assert [e.name for e in queue] == ["刘先生", "Anna Smith", "Mr Harris", "Ms Setup"]
    waits = {e.name: e.estimated_wait_min for e in queue}
    assert waits["刘先生"] == 57 and waits["Anna Smith"] == 57                 # both screen techs free at 11:00
    assert waits["Mr Harris"] == 177                                          # after both, and lunch: 13:00
    assert waits["Ms Setup"] == 0 and queue[3].estimated_technician == "Tom Becker"
    assert first.position == 1 and second.position == 2 and third.position == 3
    # nobody can take a screen now: call next serves the setup customer further back
    with shop.db.session(write=True) as s:
        called = ap.call_next(s, shop.assoc, now=now + timedelta(minutes=5))
    assert called.walk_in_id == setup.id and called.appointment.technician == "Tom Becker"
    assert called.appointment.status == "in_service" and called.needs_intake is False
    # 11:00: Li is free; the first in line goes first
    with shop.db.session(write=True) as s:
        called = ap.call_next(s, shop.assoc, now=at(11))
        assert called.walk_in_id == first.id and called.needs_intake is True
        ap.assign_walk_in(s, shop.assoc, third.id, shop.zhao.id, now=at(11))
        with pytest.raises(ValidationError):
            ap.assign_walk_in(s, shop.assoc, third.id, shop.tom.id, now=at(11))     # no screen skill
        called = ap.call_next(s, shop.assoc, technician_id=shop.zhao.id, now=at(11))
        assert called.walk_in_id == second.id                                       # Zhao takes the next in line
        with pytest.raises(Conflict):
            ap.call_next(s, shop.assoc, now=at(11, 1))                             # Mr Harris waits for Zhao
        ap.remove_walk_in(s, shop.assoc, third.id)
        with pytest.raises(Conflict, match="nobody"):
            ap.call_next(s, shop.assoc, now=at(11, 2))
        assert s.scalar(select(func.count()).select_from(WalkIn).where(WalkIn.status == "left")) == 1


def test_today_s_numbers_count_bookings_check_ins_waiting_and_the_average_wait(shop):
    a = shop.book("setup_help", at(10), technician_id=shop.tom.id)
    b = shop.book("screen_repair", at(10), technician_id=shop.li.id)
    shop.book("screen_repair", at(11), technician_id=shop.li.id)
    c = shop.book("battery", at(14), technician_id=shop.li.id)
    with shop.db.session(write=True) as s:
        ap.cancel(s, shop.assoc, c.id)
        ap.check_in(s, shop.assoc, a.id, now=at(9, 50))
        ap.start_service(s, shop.assoc, a.id, now=at(10, 6))       # waited 6 minutes past the start
        ap.check_in(s, shop.assoc, b.id, now=at(10, 1))
        ap.add_walk_in(s, shop.assoc, service_type_id=shop.services["setup_help"], name="Quick", now=at(10, 40))
        ap.add_walk_in(s, shop.assoc, service_type_id=shop.services["diagnosis"], name="Later", now=at(10, 42))
        ap.call_next(s, shop.assoc, technician_id=shop.zhao.id, now=at(10, 50))   # Quick waited 10 min
        plan = ap.day_plan(s, shop.assoc, DAY, now=at(10, 55))
    assert plan.numbers == ap.DayNumbers(booked=3, checked_in=2, waiting=2, average_wait_min=8)
    assert [t.name for t in plan.technicians] == ["Li Qiang", "Tom Becker", "Zhao Min"]
    assert [e.name for e in plan.queue] == ["Later"]
    assert plan.opens_at == at(9) and plan.closes_at == at(19)
    assert len(plan.appointments) == 5 and plan.settings.no_show_grace_min == 15
    # the foundation's list and the manager's glance read the same day
    with shop.db.session() as s:
        assert len(ap.list_day(s, shop.assoc, DAY)) == 5
        assert analytics.at_a_glance(s, shop.admin, DAY).appointments_today == 4


def test_a_store_abroad_books_by_its_own_clock_on_a_daylight_saving_day(db):
    _, _, admin = staff.bootstrap_store(db, code="LN01", name="Orchard London", timezone="Europe/London",
                                        country="GB", admin_name="Ada", admin_password="admin-pass-1",
                                        admin_pin=None, opening_hours={"sun": ["09:00", "17:00"]})
    change = date(2026, 3, 29)                                     # a Sunday: 01:00 GMT -> 02:00 BST
    with db.session(write=True) as s:
        tech = staff.create_staff(s, admin, display_name="Tess", role=Role.TECHNICIAN, password="password-1",
                                  skills=["setup"])
        ap.set_week_template(s, admin, tech.id, [TemplateView(6, "work", 9 * 60, 17 * 60)])
        svc = ap.save_service_type(s, admin, code="setup", name="Setup", duration_min=30, required_skill="setup")
        before = ap.find_slots(s, admin, svc.id, change - timedelta(days=7), now=datetime(2026, 3, 1, tzinfo=UTC))
        on = ap.find_slots(s, admin, svc.id, change, now=datetime(2026, 3, 1, tzinfo=UTC))
        booked = ap.book(s, admin, service_type_id=svc.id, starts_at=on[0].starts_at, name="Pat",
                         now=datetime(2026, 3, 1, tzinfo=UTC))
    assert before[0].starts_at == datetime(2026, 3, 22, 9, tzinfo=UTC)      # 09:00 GMT
    assert on[0].starts_at == datetime(2026, 3, 29, 8, tzinfo=UTC)          # 09:00 BST
    assert on[-1].starts_at == datetime(2026, 3, 29, 15, 30, tzinfo=UTC)    # 16:30 BST
    assert booked.starts_at == datetime(2026, 3, 29, 8, tzinfo=UTC)


@pytest.mark.parametrize("pinned_at", [
    datetime(2030, 6, 3, 1, tzinfo=UTC),      # a Monday morning in Shanghai: the store opens today
    datetime(2026, 12, 6, 1, tzinfo=UTC),     # a Sunday: the store is closed today
])
def test_the_demo_store_s_day_reads_and_books(db, pinned_at):
    from core import clock
    from core.demo import build_demo
    with clock.pinned(pinned_at):
        _demo_day_reads_and_books(db, build_demo(db, customers=40))


def _demo_day_reads_and_books(db, info):
    manager = info.staff_with_role(Role.MANAGER)[0]
    with db.session(write=True) as s:
        actor = staff.actor_for(staff.get_staff(s, manager.staff_id))
        today = ap.local_today(s, actor)
        plan = ap.day_plan(s, actor, today)
        if today.weekday() < 6:                 # open Monday to Saturday: every technician works
            assert plan.technicians and all(t.work for t in plan.technicians if t.name)
        else:                                   # closed on Sundays: nobody on the plan
            assert plan.technicians == ()
        week = [TemplateView(wd, "work", 9 * 60, 18 * 60) for wd in range(6)]
        for t in ap.list_technicians(s, actor):
            ap.set_week_template(s, actor, t.id, week)
        diag = next(t for t in ap.list_service_types(s, actor) if t.code == "diagnosis")
        slot = ap.find_slots(s, actor, diag.id, today + timedelta(days=4), days=7)[0]
        booked = ap.book(s, actor, service_type_id=diag.id, starts_at=slot.starts_at, name="Demo guest")
    assert booked.status == "booked"
    with pytest.raises(NotFound):
        with db.session() as s:
            ap.find_slots(s, actor, actor.staff_id, today)

"""Screenshots of the appointments screen on the demo store: the technicians' day as a
calendar with the walk-in queue beside it, the counter's list, the booking dialog and the
manager's rota."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

from core import appointments
from core.permissions import Role
from tools.screenshots.driver import pump_until, save, sign_in_as, write


def _prepare(window) -> None:
    """A usual week for every technician (the demo has explicit shifts for this week only),
    three people in the walk-in queue, and one booked customer checked in."""
    actor = window.ctx.actor

    def work(s):
        techs = appointments.list_technicians(s, actor)
        for k, t in enumerate(techs):
            if appointments.week_template(s, actor, t.id):
                continue
            start = 9 * 60 if k % 2 == 0 else 10 * 60
            lunch = 12 * 60 + 30 * (k % 4)
            rows = [appointments.TemplateView(wd, kind, a, b) for wd in range(6) if wd != (1 + 2 * k) % 6
                    for kind, a, b in (("work", start, start + 9 * 60), ("break", lunch, lunch + 60))]
            appointments.set_week_template(s, actor, t.id, rows)
        if not appointments.walk_in_queue(s, actor):
            services = {sv.code: sv.id for sv in appointments.list_service_types(s, actor)}
            from core.customers import search
            known = search(s, actor, "wang", limit=1) or search(s, actor, "li", limit=1)
            appointments.add_walk_in(s, actor, service_type_id=services["screen_repair"], name="刘先生")
            if known:
                appointments.add_walk_in(s, actor, service_type_id=services["battery"], customer_id=known[0].id)
            appointments.add_walk_in(s, actor, service_type_id=services["setup_help"], name="Mr Harris",
                                     note="New phone, move WeChat")
        plan = appointments.day_plan(s, actor, appointments.local_today(s, actor))
        booked = [a for a in plan.appointments if a.status == "booked"]
        if booked and not any(a.status == "checked_in" for a in plan.appointments):
            appointments.check_in(s, actor, booked[0].id)
    write(window, work)


def take(window, target: Path, people: dict) -> list[Path]:
    target = Path(target)
    saved: list[Path] = []
    sign_in_as(window, people, Role.MANAGER)
    _prepare(window)
    window.shell.go("appointments")
    screen = window.shell.screens["appointments"]
    if screen.rota is not None:
        screen.show_page(0)
    screen.day_button.click()
    screen.activate()
    pump_until(lambda: screen.plan is not None and not screen.busy.isVisible())
    # a day with work on it (the demo store is closed on Sundays)
    for _ in range(6):
        if screen.plan.appointments:
            break
        screen.set_day(screen.day + timedelta(days=1))
        pump_until(lambda: screen.plan is not None and not screen.busy.isVisible() and screen.plan.day == screen.day)
    blocks = screen.calendar.blocks()
    chosen = next((a for a in blocks if a.status == "booked"), blocks[0] if blocks else None)
    if chosen is not None:
        screen.calendar.select(chosen)
        first = min(a.starts_at for a in blocks)
        screen.scroll.verticalScrollBar().setValue(max(0, screen.calendar.y_of(first) - screen.calendar.HEADER - 20))
    pump_until(lambda: True)
    saved.append(save(window, target / "appointments-day.png"))

    screen.list_button.click()
    pump_until(lambda: screen.views.currentIndex() == 1)
    if screen.model.rowCount():
        screen.table.selectRow(0)
    saved.append(save(window, target / "appointments-list.png"))
    screen.day_button.click()

    screen.new_booking()
    dlg = screen.last_dialog
    pump_until(lambda: dlg.service.count() > 0)
    dlg.day.setCurrentIndex(min(dlg.day.count() - 1, 2))
    pump_until(lambda: dlg.slots.count() > 0 or bool(dlg.chosen.text()))
    dlg.name.setText("Sophie Martin")
    pump_until(lambda: True)
    saved.append(save(dlg, target / "appointments-booking.png"))
    dlg.reject()

    if screen.rota is not None:
        screen.show_page(1)
        rota = screen.rota
        pump_until(lambda: rota.tech.count() > 0 and rota.week_rows[0][1][0].text() != "")
        saved.append(save(window, target / "appointments-rota.png"))
        screen.show_page(0)
    return saved

"""Appointments, the walk-in queue and the technicians' day.

``slots`` is the slot engine (``plan_schedules``, ``free_slots``, ``earliest_start`` and the
plain dataclasses they take): pure functions, no session, no clock. ``loading`` reads the
rota, appointments and settings of a range of local days into engine input; ``reference``
holds the store's appointment settings, service types and technicians' skills;
``booking`` finds slots and books, moves, cancels and checks in (and says how double
booking is prevented); ``walk_ins`` is the queue; ``day`` is the appointments screen's one
read of a day; ``rota`` the week templates and their exceptions; ``results`` the frozen
rows the services return and ``SlotTaken``; ``_common`` the constants and helpers they
share. Each service takes ``(session, actor, ...)`` and checks one permission. The names
below are the package's public API: import them from ``core.appointments``.
"""

from core.appointments._common import (
    GRACE_DEFAULT, GRACE_MAX, LIVE_STATUSES, MAX_APPOINTMENT_MIN, MIN_NOTICE_DEFAULT, MIN_NOTICE_MAX, OPEN_STATUSES,
    SEARCH_DAYS_MAX, SOURCES, STEPS,
)
from core.appointments.booking import (
    book, cancel, check_in, complete, find_slots, find_slots_for_move, list_day, mark_no_show, reschedule,
    start_service,
)
from core.appointments.day import day_plan
from core.appointments.loading import local_today, store_day_bounds
from core.appointments.reference import (
    appointment_settings, list_service_types, list_technicians, save_service_type, set_appointment_settings,
    set_skills,
)
from core.appointments.results import (
    AppointmentRow, AppointmentSettings, Called, CheckIn, DayAppointment, DayNumbers, DayPlan, DayTechnician,
    QueueEntry, ServiceTypeView, ShiftView, SlotTaken, TechnicianView, TemplateView,
)
from core.appointments.rota import add_exception, list_exceptions, remove_exception, set_week_template, week_template
from core.appointments.slots import (
    STEP_DEFAULT, UTC, WEEKDAYS, Booked, Interval, ServiceSpec, ShiftRow, Slot, TechSchedule, Technician,
    TemplateRow, earliest_start, free_intervals, free_slots, hhmm, local_instant, opening_interval, parse_hhmm,
    plan_schedules, qualified,
)
from core.appointments.walk_ins import add_walk_in, assign_walk_in, call_next, remove_walk_in, walk_in_queue

__all__ = [
    "GRACE_DEFAULT", "GRACE_MAX", "LIVE_STATUSES", "MAX_APPOINTMENT_MIN", "MIN_NOTICE_DEFAULT", "MIN_NOTICE_MAX",
    "OPEN_STATUSES", "SEARCH_DAYS_MAX", "SOURCES", "STEPS", "STEP_DEFAULT", "UTC", "WEEKDAYS",
    "AppointmentRow", "AppointmentSettings", "Booked", "Called", "CheckIn", "DayAppointment", "DayNumbers",
    "DayPlan", "DayTechnician", "Interval", "QueueEntry", "ServiceSpec", "ServiceTypeView", "ShiftRow", "ShiftView",
    "Slot", "SlotTaken", "TechSchedule", "Technician", "TechnicianView", "TemplateRow", "TemplateView",
    "add_exception", "add_walk_in", "appointment_settings", "assign_walk_in", "book", "call_next", "cancel",
    "check_in", "complete", "day_plan", "earliest_start", "find_slots", "find_slots_for_move", "free_intervals",
    "free_slots", "hhmm", "list_day", "list_exceptions", "list_service_types", "list_technicians", "local_instant",
    "local_today", "mark_no_show", "opening_interval", "parse_hhmm", "plan_schedules", "qualified",
    "remove_exception", "remove_walk_in", "reschedule", "save_service_type", "set_appointment_settings",
    "set_skills", "set_week_template", "start_service", "store_day_bounds", "walk_in_queue", "week_template",
]

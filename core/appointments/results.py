"""The frozen rows the appointment services return, and ``SlotTaken``, the conflict they
raise when a time that was free on screen has gone by the time it is booked."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date, datetime
from typing import Sequence

from core.appointments.slots import Interval, ServiceSpec, Slot
from core.errors import Conflict


@dataclass(frozen=True)
class AppointmentRow:
    id: uuid.UUID
    starts_at: datetime
    ends_at: datetime
    customer: str
    service: str
    technician: str
    status: str
    source: str


@dataclass(frozen=True)
class AppointmentSettings:
    min_notice_min: int
    no_show_grace_min: int
    slot_step_min: int


@dataclass(frozen=True)
class ServiceTypeView:
    id: uuid.UUID
    code: str
    name: str
    duration_min: int
    buffer_min: int
    required_skill: str | None
    price_cents: int
    is_repair: bool
    active: bool

    @property
    def spec(self) -> ServiceSpec:
        return ServiceSpec(self.duration_min, self.buffer_min, self.required_skill)


@dataclass(frozen=True)
class TechnicianView:
    id: uuid.UUID
    name: str
    role: str
    skills: tuple[str, ...]


@dataclass(frozen=True)
class DayAppointment:
    id: uuid.UUID
    starts_at: datetime
    ends_at: datetime               # including the buffer
    service_ends_at: datetime
    customer_id: uuid.UUID | None
    customer: str
    service_type_id: uuid.UUID
    service: str
    service_code: str
    is_repair: bool
    technician_id: uuid.UUID | None
    technician: str
    status: str
    source: str
    checked_in_at: datetime | None
    started_at: datetime | None
    notes: str
    no_show_from: datetime          # when it may be marked a no-show


@dataclass(frozen=True)
class CheckIn:
    appointment: DayAppointment
    needs_intake: bool              # a repair: the GUI opens repair intake next


@dataclass(frozen=True)
class DayTechnician:
    id: uuid.UUID
    name: str
    skills: tuple[str, ...]
    work: tuple[Interval, ...]
    breaks: tuple[Interval, ...]
    absences: tuple[Interval, ...] = ()     # sick, training: away although the week says work


@dataclass(frozen=True)
class QueueEntry:
    id: uuid.UUID
    position: int
    name: str
    customer_id: uuid.UUID | None
    service_type_id: uuid.UUID
    service: str
    technician_id: uuid.UUID | None
    technician: str
    arrived_at: datetime
    waited_min: int
    estimated_wait_min: int | None      # None: nobody qualified is free before closing
    estimated_technician: str
    note: str


@dataclass(frozen=True)
class Called:
    walk_in_id: uuid.UUID
    appointment: DayAppointment
    needs_intake: bool


@dataclass(frozen=True)
class DayNumbers:
    booked: int
    checked_in: int
    waiting: int
    average_wait_min: int | None


@dataclass(frozen=True)
class DayPlan:
    day: date
    timezone: str
    now: datetime
    opens_at: datetime | None
    closes_at: datetime | None
    technicians: tuple[DayTechnician, ...]
    appointments: tuple[DayAppointment, ...]
    queue: tuple[QueueEntry, ...]
    numbers: DayNumbers
    settings: AppointmentSettings


@dataclass(frozen=True)
class TemplateView:
    weekday: int
    kind: str
    start_minute: int
    end_minute: int


@dataclass(frozen=True)
class ShiftView:
    id: uuid.UUID
    staff_id: uuid.UUID
    kind: str
    starts_at: datetime
    ends_at: datetime
    note: str


# a table the message extractor (scripts/extract_core_messages.py) collects for translation
_CONFLICT_REASONS = {"slot_taken": "slot just taken"}


class SlotTaken(Conflict):
    """The time was free when the form showed it and is gone now; ``next_slots`` are the
    nearest free ones after it."""

    def __init__(self, next_slots: Sequence[Slot] = ()):
        super().__init__(_CONFLICT_REASONS["slot_taken"])
        self.next_slots = tuple(next_slots)

"""Demo step: a fortnight of technician shifts and the appointments booked into them."""

from __future__ import annotations

import bisect
from datetime import timedelta
from typing import TYPE_CHECKING

from core.demo.data import OPENING_HOURS
from core.models import Appointment, Shift

if TYPE_CHECKING:
    from core.demo.build import Build


def rota_and_appointments(b: "Build") -> None:
    rng = b.rng
    monday = b.today - timedelta(days=b.today.weekday())
    days = sorted({monday + timedelta(days=i) for i in range(7)}
                  | {b.today + timedelta(days=i) for i in range(-3, 4)})
    weekday_keys = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
    open_days = [d for d in days if weekday_keys[d.weekday()] in OPENING_HOURS]
    shifts, appts = [], []
    services = list(b.services.values())
    by_age = sorted(b.customers, key=lambda c: c.created_at)
    joined = [c.created_at for c in by_age]
    for k, tech in enumerate(b.techs):
        day_off = (1 + 2 * k) % 6                     # tue, thu, sat, mon, ...
        start_h = 9 if k % 2 == 0 else 10
        break_start = (12 * 60) + 30 * (k % 4)
        can_do = [sv for sv in services if sv.required_skill is None or sv.required_skill in tech.skills]
        absent_day = open_days[len(open_days) // 2] if k == 0 else None
        for d in open_days:
            if d.weekday() == day_off:
                continue
            shift_start = b.at_local(d, start_h)
            shift_end = b.at_local(d, start_h + 9)
            if d == absent_day:
                shifts.append(Shift(store_id=b.store_id, staff_id=tech.staff_id, kind="absence",
                                    starts_at=shift_start, ends_at=shift_end, note="Training at HQ"))
                continue
            b_start = b.at_local(d, break_start // 60, break_start % 60)
            b_end = b_start + timedelta(hours=1)
            shifts.append(Shift(store_id=b.store_id, staff_id=tech.staff_id, kind="work",
                                starts_at=shift_start, ends_at=shift_end))
            shifts.append(Shift(store_id=b.store_id, staff_id=tech.staff_id, kind="break",
                                starts_at=b_start, ends_at=b_end, note="Lunch"))
            cursor = shift_start
            while True:
                if rng.random() < 0.4:
                    cursor += timedelta(minutes=rng.choice((15, 30, 45, 60)))
                minute = (cursor.minute + 14) // 15 * 15
                cursor = cursor.replace(minute=0, second=0) + timedelta(minutes=minute)
                sv = rng.choice(can_do)
                start, end = cursor, cursor + timedelta(minutes=sv.duration_min + sv.buffer_min)
                if start < b_end and end > b_start:
                    cursor = b_end
                    continue
                if end > shift_end:
                    break
                cursor = end
                if end <= b.now:
                    status = rng.choices(("completed", "no_show", "cancelled"), weights=(85, 10, 5))[0]
                elif start <= b.now:
                    status = "in_service"
                else:
                    status = rng.choices(("booked", "cancelled"), weights=(93, 7))[0]
                walk_in = end <= b.now and status == "completed" and rng.random() < 0.15
                booked_at = min(b.now, start - timedelta(hours=rng.uniform(0.5, 240))) if not walk_in \
                    else b.open_at(start - timedelta(minutes=rng.randint(2, 20)))
                known = bisect.bisect_right(joined, booked_at)
                customer = None if walk_in or not known else by_age[rng.randrange(known)]
                if customer is None and not walk_in:
                    walk_in, booked_at = True, b.open_at(min(b.now, start - timedelta(minutes=rng.randint(2, 20))))
                checked_in = (b.open_at(start - timedelta(minutes=rng.randint(0, 10)))
                              if status in ("completed", "in_service") else None)
                appts.append(Appointment(
                    store_id=b.store_id, customer_id=customer.id if customer else None,
                    walk_in_name=rng.choice(("Walk-in", "刘先生", "Mr Harris", "陈女士")) if walk_in else None,
                    service_type_id=sv.id, technician_id=tech.staff_id, starts_at=start, ends_at=end,
                    status=status, source="walk_in" if walk_in else rng.choice(("phone", "online", "counter")),
                    checked_in_at=checked_in, notes="", created_at=booked_at,
                    updated_at=booked_at if status == "booked" else max(booked_at, min(b.now, end))))
    b.add("shift", shifts)
    b.add("appointment", appts)
    b.appointments = appts

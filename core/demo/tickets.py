"""Demo step: repair tickets in every status, with their history, parts and stock."""

from __future__ import annotations

from datetime import timedelta
from typing import TYPE_CHECKING

from core.demo.data import _FAULTS, STORE_CURRENCY, TICKET_STATUSES
from core.ids import uuid7
from core.models import Device, PartStock, RepairEvent, RepairPart, RepairTicket, TicketCounter

if TYPE_CHECKING:
    from core.demo.build import Build


def _ticket_plan(b: "Build") -> list[str]:
    plan = {"new": 3, "diagnosing": 3, "awaiting_approval": 3, "awaiting_parts": 2, "in_repair": 3,
            "quality_check": 2, "ready": 4, "collected": max(12, len(b.customers) // 60), "cancelled": 3,
            "unrepairable": 2}
    # awaiting_parts first: it decides which parts are out of stock
    return [st for st in ("awaiting_parts", *[x for x in TICKET_STATUSES if x != "awaiting_parts"])
            for _ in range(plan[st])]


def _path(b: "Build", status: str, chargeable: bool) -> list[str]:
    approval = ["awaiting_approval"] if chargeable else []
    repair = ["new", "diagnosing", *approval]
    if status in ("new", "diagnosing"):
        return repair[:repair.index(status) + 1]
    if status == "awaiting_approval":
        return ["new", "diagnosing", "awaiting_approval"]
    if status == "awaiting_parts":
        return [*repair, "awaiting_parts"]
    if status == "cancelled":
        return ["new", "diagnosing", "awaiting_approval", "cancelled"]
    if status == "unrepairable":
        return ["new", "diagnosing", "unrepairable"]
    via_parts = ["awaiting_parts"] if b.rng.random() < 0.25 else []
    flow = [*repair, *via_parts, "in_repair", "quality_check", "ready", "collected"]
    return flow[:flow.index(status) + 1]


def _ticket_fault(b: "Build", status: str, out_of_stock: set[str]) -> tuple[str, Device, str | None]:
    """(fault kind, device, part sku or None) for a ticket that will reach ``status``."""
    rng = b.rng
    for _ in range(200):
        if status == "unrepairable":
            kind = "unrepairable"
        else:
            kind = rng.choices(("screen", "battery", "board", "laptop"), weights=(45, 30, 12, 13))[0]
        device = rng.choice(b.devices)
        model = b.device_model[device.id]
        if kind == "laptop" and model.kind != "laptop":
            continue
        if kind == "unrepairable":
            if model.kind != "phone":
                continue
            return kind, device, None
        sku = {"screen": f"SCR-{model.code}", "battery": f"BAT-{model.code}",
               "laptop": f"KBD-{model.code}"}.get(kind)
        if kind == "board":
            sku = rng.choice([p for p in ("PORT-GS23", "PORT-GS24", "CAM-IP14P", "CAM-IP15P")
                              if b.parts[p].fits == model.name] or [None])
            if sku is None and model.kind != "phone":
                continue
        if sku is not None and sku not in b.parts:
            continue
        if status == "awaiting_parts" and sku is None:
            continue
        if status == "in_repair" and sku in out_of_stock:   # its part is reserved from stock
            continue
        return kind, device, sku
    raise RuntimeError("could not find a device for a demo ticket")  # pragma: no cover


def tickets(b: "Build") -> None:
    rng = b.rng
    tickets, events, repair_parts = [], [], []
    out_of_stock: set[str] = set()
    reserved: dict[str, int] = {}
    b.collected_tickets = []
    gaps = {"new": (0.1, 2), "diagnosing": (0.3, 6), "awaiting_approval": (0.5, 20),
            "awaiting_parts": (20, 96), "in_repair": (1, 8), "quality_check": (0.3, 3),
            "ready": (2, 72), "collected": (0, 0), "cancelled": (0, 0), "unrepairable": (0, 0)}
    idle = {"new": (0.02, 0.2), "diagnosing": (0.05, 0.5), "awaiting_approval": (0.2, 2),
            "awaiting_parts": (0.5, 4), "in_repair": (0.05, 1), "quality_check": (0.02, 0.3),
            "ready": (0.1, 5), "collected": (1, 150), "cancelled": (1, 60), "unrepairable": (1, 60)}
    for number, status in enumerate(_ticket_plan(b), start=1):
        kind, device, sku = _ticket_fault(b, status, out_of_stock)
        model = b.device_model[device.id]
        part = b.parts.get(sku) if sku else None
        if status == "awaiting_parts" and sku:
            out_of_stock.add(sku)
        customer = b.customer_by_id[device.customer_id]
        fault, diagnosis = rng.choice(_FAULTS[kind])
        tech = rng.choice([t for t in b.techs if
                           (kind in t.skills or (kind == "unrepairable" and "board" in t.skills))]
                          or b.techs)
        # time line: back from the last step, which is some idle time before now
        steps = [timedelta(hours=rng.uniform(*gaps[st])) for st in _path(b, status, True)[:-1]]
        last_at = b.now - timedelta(days=rng.uniform(*idle[status]))
        created = last_at - sum(steps, timedelta())
        created = max(created, device.created_at + timedelta(minutes=5))
        if created > b.now - timedelta(minutes=10):
            created = b.now - timedelta(minutes=30)
        created = b.open_at(created)
        day = created.astimezone(b.tz).date()
        if status in ("awaiting_approval", "cancelled"):
            warranty = "chargeable"
        elif kind in ("battery", "board") and device.warranty_end and device.warranty_end >= day:
            warranty = "in_warranty"
        elif kind in ("screen", "battery") and device.coverage_end and device.coverage_end >= day:
            warranty = "coverage"
        else:
            warranty = "chargeable"
        chargeable = warranty == "chargeable"
        path = _path(b, status, chargeable)
        labour = {"screen": 15000, "battery": 10000, "board": 45000, "laptop": 30000,
                  "unrepairable": 0}[kind]
        covered = not chargeable
        quote = 0 if covered else labour + (part.price_cents if part else 0)
        t = RepairTicket(
            id=uuid7(), store_id=b.store_id, number=f"{b.store_code}-{number:06d}", customer_id=customer.id,
            device_id=device.id, technician_id=None if status == "new" else tech.staff_id, status=status,
            reported_fault=fault,
            intake_condition={"powers_on": kind not in ("unrepairable",) and rng.random() < 0.9,
                              "screen": "cracked" if kind == "screen" else
                              rng.choice(("flawless", "light_scratches")),
                              "housing": rng.choice(("flawless", "light_wear", "dents")),
                              "photos": rng.randint(0, 3)},
            accessories=rng.choice(("", "", "Case", "Charger and cable", "保护壳", "SIM tray pin")),
            approval_limit_cents=rng.choice((0, 0, 30000, 50000)),
            contact_preference=rng.choice(("sms", "sms", "phone", "email")),
            created_at=created)
        # walk the path
        at = created
        events_for: list[RepairEvent] = []
        prev = None
        for i, st in enumerate(path):
            if i:
                at = at + timedelta(hours=rng.uniform(*gaps[path[i - 1]]))
                at = min(at, b.now - timedelta(minutes=len(path) - i))
            # the steps are drawn as a free-running time line; each happens while the store is open
            done_at = b.open_at(at)
            who = (rng.choice(b.counter_staff) if st in ("new", "collected", "cancelled")
                   else b.manager if st == "quality_check" and rng.random() < 0.3 else tech.staff_id)
            # the system's words as a code with its parameters, worded when shown (core.terms.history_note)
            code = {"new": "checked_in", "diagnosing": "diagnosis_started", "awaiting_approval": "quote_sent",
                    "awaiting_parts": "part_ordered", "in_repair": "repair_started", "quality_check": "repair_done",
                    "ready": "qc_passed", "collected": "collected", "cancelled": "quote_declined",
                    "unrepairable": "not_economical"}[st]
            params = ({"amount_cents": quote, "currency": STORE_CURRENCY} if st == "awaiting_approval"
                      else {"parts": [sku]} if st == "awaiting_parts" and sku else {})
            events_for.append(RepairEvent(ticket_id=t.id, at=done_at, staff_id=who, from_status=prev, to_status=st,
                                          note="", note_code=code, note_params=params))
            if prev == "awaiting_approval" and st != "cancelled":
                t.approval, t.approval_at = "approved", done_at
                t.approval_channel = rng.choice(("sms", "phone", "in_store"))
            if st == "cancelled":
                t.approval, t.approval_at, t.approval_channel = "refused", done_at, rng.choice(("sms", "phone"))
            if st == "ready":
                t.quality_check = {"passed": True, "by": str(who), "at": done_at.isoformat(),
                                   "checks": {"display": True, "touch": True, "cameras": True, "charging": True,
                                              "speakers": True, "biometrics": True}}
            if st == "collected":
                t.collected_at = done_at
                t.collected_by = t.pickup_signature_name = customer.display_name
            prev = st
        events.extend(events_for)
        t.updated_at = events_for[-1].at
        t.due_at = created + timedelta(days=5 if "awaiting_parts" in path else 3)
        if status != "new":
            t.labour_cents = labour
        if "awaiting_approval" in path or (status not in ("new", "diagnosing") and covered):
            t.diagnosis = diagnosis
            t.quote_cents = quote
            t.warranty_decision = warranty
        elif status == "unrepairable":
            t.diagnosis, t.quote_cents, t.warranty_decision, t.labour_cents = diagnosis, 0, warranty, 0
        if status in ("ready", "collected"):
            t.payment_status = ("paid" if status == "collected" else "unpaid") if quote else "no_charge"
        tickets.append(t)
        if status == "collected":
            b.collected_tickets.append(t)
        # parts
        if part is not None and status not in ("new", "diagnosing", "unrepairable"):
            state = {"awaiting_approval": "quoted", "awaiting_parts": "quoted", "in_repair": "reserved",
                     "cancelled": "released"}.get(status, "consumed")
            if state == "reserved":
                reserved[part.sku] = reserved.get(part.sku, 0) + 1
            repair_parts.append(RepairPart(ticket_id=t.id, part_id=part.id, quantity=1,
                                           price_cents=part.price_cents, covered=covered, state=state))
    stock = []
    for sku, part in b.parts.items():
        held = reserved.get(sku, 0)
        on_hand = 0 if sku in out_of_stock else held + rng.choice((0, 1, 2, 3, 4, 6, 8))
        stock.append(PartStock(store_id=b.store_id, part_id=part.id, on_hand=on_hand, reserved=held))
    b.add("repair_ticket", tickets)
    b.s.flush()
    b.add("repair_event", events)
    b.add("repair_part", repair_parts)
    b.add("part_stock", stock)
    # the next ticket opened at the counter (core.repairs.intake._next_ticket_number) continues the series
    b.s.add(TicketCounter(store_id=b.store_id, next_number=len(tickets) + 1))

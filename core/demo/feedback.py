"""Demo step: the customer's voice. HQ's starter rules, scripts and settings (so the demo
store works before its first sync), survey answers on the customer display and by receipt,
the calls owed after low answers, and complaints at every state of their clocks at the
demo's now: waiting to be classified (due soon, overdue), classified (due tomorrow,
overdue), a major one with the region, resolved with its follow-up call due, closed.

The clocks are :mod:`core.care.sla`'s under the rules just seeded (``core.care.rules``), so
what the screens compute from these rows is what was meant here. Every moment a member of
staff acts is in the store's opening hours and never after the demo's now."""

from __future__ import annotations

import uuid
from collections.abc import Callable, Sequence
from datetime import date, datetime, timedelta
from typing import TYPE_CHECKING, cast

from sqlalchemy import select

from core.care import SEVERITIES, rules as care_rules
from core.care.sla import StoreHours, classify_due, resolve_due
from core.care.starter import starter_rows
from core.care.tasks import open_task
from core.demo.data import _FEEDBACK, _SURVEY_COMMENTS
from core.demo.hours import opening_window
from core.ids import uuid7
from core.models import (
    CareSetting, CareTask, ComplaintRule, Customer, Feedback, FeedbackNote, RepairEvent, RepairTicket,
    ResponseScript, Store, Survey, SurveyInvitation,
)

if TYPE_CHECKING:
    from core.demo.build import Build

_MODELS = {"complaint_rule": ComplaintRule, "response_script": ResponseScript, "care_setting": CareSetting}

# what the store wrote on resolving a complaint, by category: (English, Chinese)
_RESOLUTIONS = {
    "product": ("Replaced the charger under warranty and tested it with the customer.",
                "在保修范围内更换了充电器，并当面测试正常。"),
    "service": ("Apologised, explained the delay and gave a priority slot for the next visit.",
                "向顾客道歉并说明了延误原因，下次到店优先安排。"),
    "technical": ("Re-checked at no charge; the booking page fault was reported to HQ.",
                  "已免费复检；预约页面的问题已反馈总部。"),
    "billing": ("Issued a corrected invoice and refunded the difference to the original card.",
                "开具了更正后的发票，差额已原路退回。"),
    "privacy": ("Reviewed the intake record with the customer; handled with the region.",
                "与顾客一起核对了收机记录，已与区域共同处理。"),
}
_STORE_NOTE = ("Device set aside; the handover record of that day was pulled and the customer was told the "
               "region will call.", "手机已单独封存，调取了取机当天的交接记录，并电话告知顾客区域会跟进。")
_HQ_NOTE = ("Region acknowledged: please send the ticket's handover record by noon tomorrow; our privacy "
            "officer will call the customer directly.",
            "区域已受理：请于明天中午前提交该工单的交接记录，区域隐私专员将直接联系顾客。")
_CALL_NOTES = {"satisfied": ("Happy with how it was handled.", "顾客对处理结果满意。"),
               "not_satisfied": ("Still unhappy about the wait.", "顾客对等待时间仍不满意。"),
               "unreachable": ("No answer, twice.", "两次致电无人接听。")}


def surveys_and_feedback(b: "Build") -> None:
    care_starter(b)
    b.s.flush()
    surveys = _surveys(b)
    _detractor_calls(b, surveys)
    _complaints(b)


def care_starter(b: "Build") -> None:
    """HQ's starter rules, scripts and settings (``core.care.starter``), as this store would
    pull them: the same ids HQ's demo publishes, so the first sync finds them one row each."""
    by_entity: dict[str, list[object]] = {}
    for entity, data in starter_rows(b.now):
        by_entity.setdefault(entity, []).append(_MODELS[entity](**data))
    for entity, rows in by_entity.items():
        b.add(entity, rows)


# --- surveys -----------------------------------------------------------------------------------

def _tone(nps: int | None, csat: int | None) -> str:
    if (nps is not None and nps <= 6) or (csat is not None and csat <= 2):
        return "poor"
    if (nps is None or nps >= 9) and (csat is None or csat >= 4):
        return "good"
    return "fair"


def _low(s: Survey) -> bool:
    return _tone(s.nps, s.csat) == "poor"


def _language(b: "Build", customer_id: uuid.UUID | None) -> str:
    customer = b.customer_by_id.get(customer_id)
    return "zh_CN" if customer is not None and customer.language == "zh_CN" else "en"


def _survey(b: "Build", *, customer_id: uuid.UUID | None, nps: int | None, csat: int | None, at: datetime,
            staff_id: uuid.UUID | None, channel: str, invitations: list[SurveyInvitation],
            ticket_id: uuid.UUID | None = None, appointment_id: uuid.UUID | None = None,
            served_at: datetime | None = None) -> Survey:
    """One answer in the customer's language; a receipt's answer with its invitation,
    printed at ``served_at`` and valid for HQ's ``survey_token_days``."""
    language = _language(b, customer_id)
    comment = b.rng.choice(_SURVEY_COMMENTS[_tone(nps, csat)][language])
    invitation_id = None
    if channel == "receipt":
        printed = served_at or at
        days = care_rules.setting(b.s, "survey_token_days")
        inv = SurveyInvitation(id=uuid7(), store_id=b.store_id, customer_id=customer_id, ticket_id=ticket_id,
                               appointment_id=appointment_id, created_at=printed,
                               expires_at=printed + timedelta(days=days))
        invitations.append(inv)
        invitation_id = inv.id
    return Survey(id=uuid7(), customer_id=customer_id, store_id=b.store_id, ticket_id=ticket_id,
                  appointment_id=appointment_id, nps=nps, csat=csat, comment=comment, at=at, channel=channel,
                  staff_id=staff_id, language=language, invitation_id=invitation_id)


def _answer_moment(b: "Build", served: datetime, channel: str) -> datetime:
    """On the display: a minute or two after the service; by receipt: hours or days later,
    whenever the customer gets round to it (any hour: it is their phone)."""
    if channel == "display":
        return min(b.now, served + timedelta(seconds=b.rng.randint(40, 240)))
    return served + timedelta(seconds=b.rng.randint(2 * 3600, 96 * 3600))


def _handed_over(b: "Build") -> dict[uuid.UUID, uuid.UUID | None]:
    """Who handed each collected ticket over at the counter (its ``collected`` history entry)."""
    rows = b.s.execute(select(RepairEvent.ticket_id, RepairEvent.staff_id)
                       .where(RepairEvent.to_status == "collected").order_by(RepairEvent.at)).all()
    return {ticket_id: staff_id for ticket_id, staff_id in rows}


def _surveys(b: "Build") -> list[Survey]:
    """Answers on the display name the member of staff at the counter who ran it (an associate
    or the manager: for a ticket, who handed it over); answers by receipt name no one. A
    technician's satisfaction comes from the visit's technician, never from ``staff_id``."""
    rng = b.rng
    surveys: list[Survey] = []
    invitations: list[SurveyInvitation] = []
    handed_over = _handed_over(b)
    for t in b.collected_tickets:
        served = cast(datetime, t.collected_at)    # set: they are collected
        channel = "receipt" if rng.random() < 0.25 else "display"
        at = _answer_moment(b, served, channel)
        if rng.random() < 0.7 and at <= b.now:
            nps = rng.choices(range(11), weights=(1, 1, 1, 1, 1, 2, 3, 5, 10, 14, 16))[0]
            staff = (handed_over.get(t.id) or rng.choice(b.counter_staff)) if channel == "display" else None
            surveys.append(_survey(b, customer_id=t.customer_id, nps=nps, csat=min(5, max(1, round(nps / 2))),
                                   at=at, staff_id=staff, channel=channel, invitations=invitations,
                                   ticket_id=t.id, served_at=served))
    for a in b.appointments:
        if a.status == "completed" and a.customer_id and rng.random() < 0.3:
            channel = "receipt" if rng.random() < 0.2 else "display"
            at = _answer_moment(b, a.ends_at, channel)
            if at > b.now:
                continue
            csat = rng.choices((1, 2, 3, 4, 5), weights=(1, 1, 3, 8, 12))[0]
            surveys.append(_survey(b, customer_id=a.customer_id, nps=None, csat=csat, at=at,
                                   staff_id=rng.choice(b.counter_staff) if channel == "display" else None,
                                   channel=channel, invitations=invitations, appointment_id=a.id,
                                   served_at=a.ends_at))
    today = _low_answer_due_today(b, invitations)
    if today is not None:
        surveys.append(today)
    b.add("survey_invitation", invitations)
    b.s.flush()
    b.add("survey", surveys)
    b.s.flush()                     # before the calls that name them
    return surveys


def _low_answer_due_today(b: "Build", invitations: list[SurveyInvitation]) -> Survey | None:
    """A detractor's answer by receipt late yesterday, so its call falls due later today."""
    hours = care_rules.setting(b.s, "detractor_call_hours")
    midnight = datetime.combine(b.today + timedelta(days=1), datetime.min.time(), b.tz)
    room = midnight - b.now                     # what is left of today
    if room <= timedelta(minutes=2):
        return None
    due = b.now + timedelta(seconds=int(min(room / 2, timedelta(hours=3)).total_seconds()))
    at = due - timedelta(hours=hours)
    valid = timedelta(days=care_rules.setting(b.s, "survey_token_days"))
    # the latest visit whose receipt link still worked then: a collection or a finished appointment
    Visit = tuple[datetime, uuid.UUID | None, uuid.UUID | None, uuid.UUID | None]
    visits: list[Visit] = [(cast(datetime, t.collected_at), t.customer_id, t.id, None)
                           for t in b.collected_tickets if t.customer_id]
    visits += [(a.ends_at, a.customer_id, None, a.id)
               for a in b.appointments if a.status == "completed" and a.customer_id]
    visits = [v for v in visits if at - valid < v[0] <= at - timedelta(hours=2)]
    if not visits:
        return None
    served, customer_id, ticket_id, appointment_id = max(visits, key=lambda v: v[0])
    return _survey(b, customer_id=customer_id, nps=2, csat=1, at=at, staff_id=None,
                   channel="receipt", invitations=invitations, ticket_id=ticket_id, appointment_id=appointment_id,
                   served_at=served)


def _detractor_calls(b: "Build", surveys: Sequence[Survey]) -> None:
    """The manager's call after each low answer: long past ones made (in opening hours),
    recent ones still owed."""
    hours = timedelta(hours=care_rules.setting(b.s, "detractor_call_hours"))
    tasks: list[CareTask] = []
    for sv in surveys:
        if not _low(sv):
            continue
        task = open_task(b.s, store_id=b.store_id, kind="detractor_call", due_in=hours, now=sv.at,
                         customer_id=sv.customer_id, survey_id=sv.id)
        tasks.append(task)
        old = task.due_at < b.now - timedelta(days=3)
        if old or (task.due_at < b.now and b.rng.random() < 0.5):
            done = _next_open(b, sv.at + timedelta(seconds=b.rng.randint(3600, 20 * 3600)))
            if done > b.now:
                continue                # the store has not opened since: still owed
            outcome = b.rng.choices(("satisfied", "not_satisfied", "unreachable"), weights=(6, 2, 2))[0]
            task.done_at, task.done_by_id, task.outcome, task.updated_at = done, b.manager, outcome, done
            task.note = _CALL_NOTES[outcome][_language(b, sv.customer_id) == "zh_CN"]
    b.add("care_task", tasks)


# --- complaints ----------------------------------------------------------------------------------

Pred = Callable[[datetime], bool]


class _Clocks:
    """The store's hours and rules, and the moments a complaint may have opened at."""

    def __init__(self, b: "Build") -> None:
        self.b = b
        store = b.s.get(Store, b.store_id)
        assert store is not None
        self.hours = StoreHours.of(store)
        self.follow_up = timedelta(days=care_rules.setting(b.s, "follow_up_days"))
        self.rules = {severity: care_rules.rule(b.s, severity) for severity in SEVERITIES}
        self.taken: set[datetime] = set()          # one complaint opened (or resolved) at each moment
        self.moments: list[datetime] = []          # every half hour the store was open, newest first
        for back in range(90):
            window = opening_window(b.tz, b.today - timedelta(days=back))
            if window is None:
                continue
            at = window[1] - timedelta(minutes=b.rng.randint(5, 25))
            while at >= window[0]:
                if at <= b.now:
                    self.moments.append(at)
                at -= timedelta(minutes=30)

    def due(self, opened: datetime, severity: str) -> datetime:
        return resolve_due(opened, self.rules[severity], self.hours)

    def pick(self, *preds: Pred, among: Sequence[datetime] | None = None) -> datetime | None:
        """A moment (at random among the newest few) meeting the first condition any meets."""
        for pred in preds:
            found = [m for m in (self.moments if among is None else among) if m not in self.taken and pred(m)]
            if found:
                chosen = self.b.rng.choice(found[:6])
                self.taken.add(chosen)
                return chosen
        return None

    def after(self, at: datetime, lo_h: float, hi_h: float, not_after: datetime) -> datetime:
        """A moment ``lo_h``..``hi_h`` hours after ``at`` in opening hours, never after
        ``not_after`` nor before ``at``."""
        moved = _next_open(self.b, at + timedelta(seconds=int(self.b.rng.uniform(lo_h, hi_h) * 3600)))
        return max(at, min(moved, not_after, self.b.now))


def _complaints(b: "Build") -> None:
    c = _Clocks(b)
    now, day = b.now, timedelta(days=1)
    feedback: list[Feedback] = []
    notes: list[FeedbackNote] = []
    tasks: list[CareTask] = []
    used: set[uuid.UUID] = set()

    def recent(m: datetime) -> bool:       # opened within a fortnight, and a while before now
        return now - 14 * day <= m <= now - timedelta(hours=6)

    next_day = next(d for d in (b.today + timedelta(days=n) for n in range(1, 8)) if opening_window(b.tz, d))
    for state, channel, category, severity, text in _FEEDBACK:
        opened: datetime | None
        resolved: datetime | None = None
        if state == "classify_soon":
            opened = c.pick(lambda m: now < classify_due(m) <= now + timedelta(hours=6),
                            lambda m: classify_due(m) > now)
        elif state == "classify_overdue":
            opened = c.pick(lambda m: now - 3 * day <= classify_due(m) < now - timedelta(hours=2),
                            lambda m: classify_due(m) < now)
        elif state == "due_tomorrow":
            # due on the store's next open day (tomorrow, unless the store is closed then)
            opened = c.pick(lambda m: recent(m) and _local_day(b, c.due(m, severity)) == next_day,
                            lambda m: recent(m) and c.due(m, severity) > now)
        elif state == "overdue":
            opened = c.pick(lambda m: recent(m) and now - timedelta(hours=20) <= c.due(m, severity)
                            < now - timedelta(minutes=30),
                            lambda m: recent(m) and now - 3 * day <= c.due(m, severity) < now,
                            lambda m: c.due(m, severity) < now)
        elif state == "escalated":
            opened = c.pick(lambda m: now - 3 * day <= m <= now - timedelta(hours=6), lambda m: m < now)
        else:
            if state == "follow_up":      # its call falls due within the next day
                resolved = c.pick(lambda m: now < m + c.follow_up <= now + day, lambda m: m + c.follow_up > now)
            elif state == "closed":
                resolved = c.pick(lambda m: now - 20 * day <= m <= now - 5 * day - c.follow_up)
            else:                           # history: anywhere in the weeks before, not just the newest
                past = [m for m in c.moments if now - 80 * day <= m <= now - 10 * day]
                resolved = b.rng.choice(past) if past else None
            r = resolved
            opened = None if r is None else c.pick(lambda m: r - 4 * day <= m <= r - timedelta(hours=20))
        if opened is None:
            continue                # the store was not open when this state needs it: left out
        customer, ticket = _customer_for(b, text, opened, used)
        f = Feedback(id=uuid7(), store_id=b.store_id, customer_id=customer.id,
                     ticket_id=ticket.id if ticket is not None else None, category="", severity="", text=text,
                     channel=channel, status="open", opened_at=opened, classify_due_at=classify_due(opened),
                     opened_by_id=None if channel == "email" else b.rng.choice(b.counter_staff),
                     created_at=opened, updated_at=opened)
        feedback.append(f)
        b.s.add(f)
        zh = _language(b, customer.id) == "zh_CN"
        if not severity:
            continue
        limit = min(classify_due(opened), resolved or now)
        classified = c.after(opened, 0.3, 5, limit)
        f.category, f.severity, f.classified_at, f.classified_by_id = category, severity, classified, b.manager
        f.due_at, f.updated_at = c.due(opened, severity), classified
        notes.append(_note(f, classified, "classify", b.manager))
        if state == "escalated":
            _escalated(b, f, notes, zh)
        if resolved is None:
            continue
        f.status, f.resolved_at, f.resolved_by_id, f.updated_at = "resolved", resolved, b.manager, resolved
        f.resolution = _RESOLUTIONS[category][zh]
        notes.append(_note(f, resolved, "resolve", b.manager))
        b.s.flush()                 # the complaint before the call that names it
        task = open_task(b.s, store_id=b.store_id, kind="follow_up_call", due_in=c.follow_up, now=resolved,
                         customer_id=f.customer_id, feedback_id=f.id)
        tasks.append(task)
        if state == "follow_up":
            continue
        outcome = "satisfied" if state == "closed" or b.rng.random() < 0.7 else "unreachable"
        done = c.after(task.due_at, 0, 6, now)
        task.done_at, task.done_by_id, task.outcome, task.updated_at = done, b.manager, outcome, done
        task.note = _CALL_NOTES[outcome][zh]
        if outcome == "satisfied":
            f.status, f.updated_at = "closed", done
            notes.append(_note(f, done, "close", b.manager))
    b.add("feedback", feedback)
    b.s.flush()
    b.add("feedback_note", notes)
    b.add("care_task", tasks)


def _escalated(b: "Build", f: Feedback, notes: list[FeedbackNote], zh: bool) -> None:
    """A major complaint with the region: sent at the first sync after it was classified,
    acknowledged there with a note from the regional manager, and the store's answer."""
    assert f.classified_at is not None
    sent = min(b.now, f.classified_at + timedelta(minutes=b.rng.randint(5, 30)))
    hq_at = min(b.now, sent + timedelta(hours=b.rng.uniform(1, 3)))
    store_at = max(hq_at, b.open_at(hq_at + timedelta(hours=b.rng.uniform(0.5, 2))))
    f.escalated, f.escalated_at, f.escalation_state = True, sent, "acknowledged"
    f.escalation_ref = uuid.UUID(int=b.rng.getrandbits(128), version=4)
    f.updated_at = store_at
    notes.append(FeedbackNote(feedback_id=f.id, at=hq_at, author="hq", hq_role="regional", hq_note_id=1,
                              action="note", text=_HQ_NOTE[zh]))
    notes.append(_note(f, store_at, "note", b.manager, _STORE_NOTE[zh]))


def _note(f: Feedback, at: datetime, action: str, staff_id: uuid.UUID | None, text: str = "") -> FeedbackNote:
    return FeedbackNote(feedback_id=f.id, at=at, author="store", staff_id=staff_id, action=action, text=text)


def _next_open(b: "Build", at: datetime) -> datetime:
    """``at`` when the store is open then, else its next opening (a week on at most)."""
    local = at.astimezone(b.tz).date()
    for ahead in range(8):
        window = opening_window(b.tz, local + timedelta(days=ahead))
        if window is not None and at <= window[1]:
            return max(at, window[0])
    return at


def _local_day(b: "Build", at: datetime) -> date:
    return at.astimezone(b.tz).date()


def _is_chinese(text: str) -> bool:
    return any("\u4e00" <= ch <= "\u9fff" for ch in text)


def _customer_for(b: "Build", text: str, opened: datetime,
                  used: set[uuid.UUID]) -> tuple[Customer, RepairTicket | None]:
    """A customer whose language the words are in, with a ticket collected before the
    complaint when there is one; each complaint a different customer."""
    language = "zh_CN" if _is_chinese(text) else "en"
    tickets = [t for t in b.collected_tickets
               if t.customer_id not in used and cast(datetime, t.collected_at) <= opened - timedelta(hours=2)
               and _language(b, t.customer_id) == language]
    if tickets:
        ticket = b.rng.choice(tickets[-40:])
        customer = b.customer_by_id[ticket.customer_id]
        used.add(customer.id)
        return customer, ticket
    people = [p for p in b.customers if p.id not in used and _language(b, p.id) == language] or b.customers
    customer = b.rng.choice(people)
    used.add(customer.id)
    return customer, None

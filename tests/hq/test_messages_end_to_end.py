"""Every customer message end to end (issue 22's acceptance): a real SQLCipher store drives
each event through core's own services (booking, moving and cancelling an appointment,
intake, the quote that needs approval, ready, still waiting, pickup and its survey
invitation, a trade-in quote, the loyalty upkeep), syncs to a real HQ on PostgreSQL, and
HQ's worker (run at injected moments) sends the shipped templates to a real SMTP server
on loopback (aiosmtpd) and to a loopback HTTP server standing in for an SMS gateway, in
English and Chinese. The links in the messages open HQ's real pages; the delivery status
comes back to the store at its next sync. A customer who chose "no contact" gets nothing.

Time: HQ's pages judge a link's expiry on HQ's own clock, so the scenario starts an hour
before it (read from HQ's ``/v1/health``, as the approval and survey page tests do); the
store's events run under :func:`core.clock.pinned` a minute apart from there (a store's
clock may step back a little, never days: its stamps tick on from its last sync), and
HQ's worker gets each moment it runs at as ``now`` (the store's daytime, out of the SMS
quiet hours): the first pass, the reminder's day, two days before the trade-in quote
expires, seven days after ready. No sleeps."""

from __future__ import annotations

import re
import uuid
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta, timezone
from zoneinfo import ZoneInfo

import httpx
import pytest
from sqlalchemy import select

from core import appointments as ap, clock, customers, loyalty, privacy, repairs, tradein
from core.demo.data import GRADES, price_book_rules
from core.messages import KINDS
from core.messages import links as message_links
from core.models import (
    MessageRequest, Part, PartStock, PriceBook, PriceBookEntry, Purchase, RepairTicket, TradeInModel,
)
from core.models import Store as StoreRow
from core.repairs import QuoteLine
from hq.messages import webhooks, worker
from tests.core.test_appointments import Store as Shop
from tests.core.test_repairs import ALL_PASS
from tests.core.test_tradein import GOOD_ANSWERS, imei_for
from tests.hq.conftest import HqServer
from tests.hq.test_messages_send import Gateway, Inbox, gateway, smtp_server  # noqa: F401 - fixtures

ZONE = ZoneInfo("Asia/Shanghai")          # make_store's default zone (UTC+8, no summer time)


# --- the words a reader expects, written out here (not by core.formatting) -------------------------------

def money_text(cents: int, lang: str) -> str:
    return ("CN¥" if lang == "en" else "¥") + f"{cents / 100:,.2f}"


def when_text(at: datetime, lang: str) -> str:
    t = at.astimezone(ZONE)
    if lang == "en":
        return f"{t:%b} {t.day}, {t.year}, {t.hour % 12 or 12}:{t:%M} {'AM' if t.hour < 12 else 'PM'}"
    return f"{t.year}年{t.month}月{t.day}日 {t:%H:%M}"


def day_text(d: date, lang: str) -> str:
    return f"{d:%b} {d.day}, {d.year}" if lang == "en" else f"{d.year}年{d.month}月{d.day}日"


# words of the shipped templates, per kind: English, Chinese
WORDS = {
    "appointment_confirmed": ("appointment is booked", "预约"),
    "appointment_changed": ("appointment has moved", "预约"),
    "appointment_cancelled": ("appointment is cancelled", "预约已取消"),
    "appointment_reminder": ("reminder of your appointment", "提醒您"),
    "repair_received": ("Your repair number is", "单号"),
    "approval_needed": ("Approve or refuse", "同意或拒绝"),
    "ready_for_pickup": ("is ready", "已修好"),
    "still_waiting": ("has been ready for 7 days", "取机"),
    "tradein_expiring": ("trade-in quote of", "以旧换新报价"),
    "points_expiring": ("points expire on", "积分将于"),
    "survey_invitation": ("How did we do?", "一分钟"),
}


# --- the world -------------------------------------------------------------------------------------------

@dataclass
class Person:
    key: str
    id: uuid.UUID
    lang: str              # en | zh_CN
    channel: str           # the customer's own: email | sms
    email: str
    phone: str             # E.164

    @property
    def other(self) -> str:
        return "sms" if self.channel == "email" else "email"


@dataclass
class Got:
    """What reached SMTP and the gateway, by request id."""
    kind: str
    channel: str
    to: str
    subject: str
    body: str


@dataclass
class World:
    hq: object
    store: object
    shop: Shop
    smtp: Inbox
    gw: Gateway
    people: dict[str, Person]
    part: uuid.UUID
    model: uuid.UUID
    got: dict[uuid.UUID, Got] = field(default_factory=dict)
    seen_mail: int = 0
    seen_sms: int = 0

    moment: datetime | None = None

    def step(self) -> datetime:
        """The store's next moment (a minute on): its clock runs on from an hour before HQ's,
        as a store's does (its stamps tick on from its last sync; a clock days away would not)."""
        assert self.moment is not None
        self.moment += timedelta(minutes=1)
        return self.moment

    def write(self, moment: datetime, fn):
        with clock.pinned(moment), self.store.db.session(write=True) as s:
            return fn(s)

    def requests(self, **where) -> list[MessageRequest]:
        with self.store.db.session() as s:
            q = select(MessageRequest).order_by(MessageRequest.created_at, MessageRequest.id)
            for k, v in where.items():
                q = q.where(getattr(MessageRequest, k) == v)
            rows = list(s.scalars(q))
            s.expunge_all()
            return rows

    def run(self, now: datetime) -> dict[uuid.UUID, Got]:
        """Sync, one worker pass at ``now``, and what reached SMTP and the gateway in it."""
        assert self.store.sync().rejected == 0
        report = worker.run_once(self.hq.engine, now=now, smtp=self.smtp.sender, sms=self.gw.adapter,
                                 public_url=self.hq.url)
        assert (report.failed, report.retrying, report.waiting, report.suppressed) == (0, 0, 0, 0), str(report)
        new: dict[uuid.UUID, Got] = {}
        for m in self.smtp.messages()[self.seen_mail:]:
            rid = uuid.UUID(re.search(r"\.([0-9a-f]{32})@", m["Message-ID"]).group(1))
            assert m.get_content_charset() == "utf-8"
            new[rid] = Got("", "email", str(m["To"]), str(m["Subject"]), m.get_content().replace("\r\n", "\n"))
        for r in self.gw.requests[self.seen_sms:]:
            rid = uuid.UUID(r["body"]["client_ref"])
            new[rid] = Got("", "sms", r["body"]["to"], "", r["body"]["message"]["text"])
        self.seen_mail, self.seen_sms = len(self.smtp.envelopes), len(self.gw.requests)
        assert len(new) == report.sent
        assert self.store.sync().rejected == 0          # the store hears how it went
        kinds = {r.id: r.kind for r in self.requests()}
        for rid, g in new.items():
            assert rid not in self.got, "sent twice"
            g.kind = kinds[rid]
            self.got[rid] = g
        return new


def workday(d: date) -> date:
    """``d`` or the next day the test rota works (Monday to Saturday)."""
    return d if d.weekday() < 6 else d + timedelta(days=1)


def daytime(at: datetime, room: timedelta = timedelta(0)) -> datetime:
    """``at``, or the end of the store's SMS quiet hours (21:00-09:00) when ``at``, or the
    ``room`` the scenario needs after it, falls in them (a pass at 20:45 and one an hour
    later would find the second pass's SMS held till morning)."""
    t = at.astimezone(ZONE)
    if 9 <= t.hour and at + room < local(t.date(), 21):
        return at
    return local(t.date() + timedelta(days=1 if t.hour >= 9 else 0), 9)


def local(d: date, hh: int, mm: int = 0) -> datetime:
    return datetime.combine(d, time(hh, mm), ZONE).astimezone(timezone.utc)


def hq_now(hq) -> datetime:
    with httpx.Client(base_url=hq.url, timeout=30) as c:
        ms = c.get("/v1/health").json()["server_time_ms"]
    return datetime.fromtimestamp(ms / 1000, timezone.utc)


def person(store, key, given, family, *, lang, channel, mail, phone, preference=None) -> Person:
    with store.db.session(write=True) as s:
        cid = customers.create_customer(s, store.admin, given_name=given, family_name=family, phone=phone,
                                        email=mail, language=lang, birth_date=date(1985, 3, 2)).id
        customers.update_customer(s, store.admin, cid, contact_preference=preference or channel)
        privacy.set_consent(s, store.admin, cid, "hq_transfer", True)
    return Person(key, cid, lang, channel, mail, "+86" + phone)


def make_world(hq, make_store, smtp, gw, code: str) -> World:
    store = make_store(code, hq, publisher=True)     # a publisher: its parts and price book reach HQ
    with store.db.session(write=True) as s:
        s.get(StoreRow, store.store_id).currency = "CNY"      # a store in Shanghai bills in yuan
    shop = Shop(store.db, store.store_id, store.admin)
    people = {
        "en": person(store, "en", "Alex", "Morgan", lang="en", channel="email",
                     mail="alex.e2e@example.com", phone="13900139001"),
        "zh": person(store, "zh", "晓明", "王", lang="zh_CN", channel="sms",
                     mail="wang.e2e@example.com", phone="13800138002"),
    }
    with store.db.session(write=True) as s:
        part = Part(sku=f"SCR-{code}", name="Screen assembly", price_cents=59900, fits="iPhone 13")
        s.add(part)
        s.flush()
        s.add(PartStock(store_id=store.store_id, part_id=part.id, on_hand=20, reserved=0))
        valid_from = date(2020, 1, 1)
        book = PriceBook(version="e2e", valid_from=valid_from, valid_to=None, currency="CNY",
                         rules=price_book_rules(valid_from))
        model = TradeInModel(family="iPhone", kind="phone", name="iPhone 13", configuration="128 GB",
                             release_date=date(2021, 9, 24))
        s.add_all([book, model])
        s.flush()
        s.add_all([PriceBookEntry(price_book_id=book.id, model_id=model.id, grade=g, base_cents=200_000)
                   for g in GRADES])
        part_id, model_id = part.id, model.id
    return World(hq, store, shop, smtp, gw, people, part_id, model_id)


# --- the store's events, through core -----------------------------------------------------------------

def intake(w: World, p: Person, moment: datetime, *, preference: str, limit: int) -> RepairTicket:
    return w.write(moment, lambda s: repairs.open_ticket(
        s, w.shop.assoc, customer_id=p.id, device_model="iPhone 13", reported_fault="Cracked screen",
        approval_limit_cents=limit, contact_preference=preference))


def diagnose_and_quote(w: World, tid, moment: datetime):
    w.write(moment, lambda s: repairs.start_diagnosis(s, w.shop.tech_actor, tid))
    return w.write(moment, lambda s: repairs.quote(s, w.shop.tech_actor, tid, diagnosis="Cracked display",
                                                   lines=[QuoteLine(w.part)], labour_cents=10000))


def to_ready(w: World, tid, moment: datetime) -> None:
    w.write(moment, lambda s: repairs.finish_repair(s, w.shop.tech_actor, tid))
    w.write(moment, lambda s: repairs.quality_check(s, w.shop.tech_actor, tid, ALL_PASS))


def pickup(w: World, t, moment: datetime) -> None:
    w.write(moment, lambda s: repairs.pickup(s, w.shop.assoc, t.id, collected_by="Alex Morgan",
                                             signature_name="Alex Morgan", payment_status="paid",
                                             identity=t.number))


def request_of(w: World, kind: str, **where) -> MessageRequest:
    [r] = [r for r in w.requests(kind=kind, **where) if not r.cancelled]
    return r


# --- checks ----------------------------------------------------------------------------------------------

def check(w: World, got: Got, p: Person, kind: str, channel: str, *texts: str) -> None:
    """The message of ``kind`` reached ``p`` by ``channel`` in their language with ``texts``."""
    assert got.kind == kind and got.channel == channel
    assert got.to == (p.email if channel == "email" else p.phone)
    whole = got.subject + "\n" + got.body
    en, zh = WORDS[kind]
    assert (en if p.lang == "en" else zh) in whole
    if p.lang == "zh_CN":
        assert en not in whole and re.search(r"[\u4e00-\u9fff]", got.body)
    else:
        assert not re.search(r"[\u4e00-\u9fff]", whole.replace("晓明", ""))
    for text in texts:
        assert text in whole, (kind, p.key, text, whole)
    if channel == "email":
        assert f"{w.hq.url}/unsubscribe?t=" in got.body
        assert ("Hello Alex" if p.lang == "en" else "晓明，您好") in got.body
    else:
        assert "Reply STOP" in got.body if p.lang == "en" else "回复TD退订" in got.body


def link_in(got: Got, path: str) -> str:
    return re.search(rf"https?://[^\s<>]+{re.escape(path)}\?t=[^\s<>]+", got.body).group(0)


def one(new: dict[uuid.UUID, Got], kind: str, p: Person) -> Got:
    [g] = [g for g in new.values() if g.kind == kind and g.to in (p.email, p.phone)]
    return g


# --- the test --------------------------------------------------------------------------------------------

@pytest.mark.parametrize("hq", ["postgresql"], indirect=True)
def test_every_message_goes_end_to_end_in_english_and_chinese(hq, make_store, smtp_server, gateway,  # noqa: F811
                                                               monkeypatch, tmp_path):
    smtp, gw = smtp_server, gateway
    w = make_world(hq, make_store, smtp, gw, "E2")
    en, zh = w.people["en"], w.people["zh"]
    ps = (en, zh)
    quiet = person(w.store, "quiet", "Quinn", "Lee", lang="en", channel="sms", mail="quinn.e2e@example.com",
                   phone="13700137003", preference="none")
    w.moment = (hq_now(hq) - timedelta(hours=1)).replace(second=0, microsecond=0)
    # HQ's first pass, and the one an hour after it, in the store's daytime
    w0 = daytime(w.moment + timedelta(hours=2), room=timedelta(hours=1))
    a_day = workday(w0.astimezone(ZONE).date() + timedelta(days=2))
    svc = w.shop.services
    hour = {"en": 10, "zh": 11}

    # --- the store's events ----------------------------------------------------------------------------
    # appointments: a1 booked; a2 booked then moved (later cancelled); nothing for "no contact"
    a1, a2 = {}, {}
    for p in ps:
        h = hour[p.key]
        now = w.step()
        a1[p.key] = w.write(now, lambda s, p=p, h=h, now=now: ap.book(
            s, w.shop.assoc, service_type_id=svc["screen_repair"], starts_at=local(a_day, h), customer_id=p.id,
            now=now))
        a2[p.key] = w.write(now, lambda s, p=p, h=h, now=now: ap.book(
            s, w.shop.assoc, service_type_id=svc["diagnosis"], starts_at=local(a_day, h + 4), customer_id=p.id,
            now=now))
        now = w.step()
        w.write(now, lambda s, p=p, h=h, now=now: ap.reschedule(s, w.shop.assoc, a2[p.key].id,
                                                                 local(a_day, h + 5, 30), now=now))
    now = w.step()
    w.write(now, lambda s: ap.book(s, w.shop.assoc, service_type_id=svc["diagnosis"], starts_at=local(a_day, 9),
                                   customer_id=quiet.id, now=now))
    # a trade-in quote (reminded two days before it expires)
    quotes = {}
    for n, p in enumerate(ps):
        quotes[p.key] = w.write(w.step(), lambda s, p=p, n=n: tradein.create_quote(
            s, w.shop.assoc, model_id=w.model, answers=GOOD_ANSWERS, customer_id=p.id,
            imei=imei_for(f"3571721512345{n}"))).quote
    # loyalty members since two years, with marketing consent for their channel; points bought
    # 715 days ago expire in 15 days: the daily upkeep tells them
    upkeep = w.step()
    long_ago = upkeep - timedelta(days=720)
    for p in ps:
        def join(s, p=p):
            terms = loyalty.current_rules(s, w.shop.manager).terms_version
            m = loyalty.enroll(s, w.shop.manager, p.id, terms_version=terms, programme=True,
                               marketing_email=p.channel == "email", marketing_sms=p.channel == "sms", now=long_ago)
            bought = Purchase(customer_id=p.id, at=long_ago + timedelta(days=5), description="iPhone 13",
                              sku="IP13-128", total_cents=150_000)
            s.add(bought)
            s.flush()
            loyalty.earn(s, w.shop.manager, m.id, ref_type="purchase", ref_id=bought.id,
                         now=long_ago + timedelta(days=5))
        w.write(w.step(), join)
    upkeep = w.step()
    w.write(upkeep, lambda s: loyalty.daily_upkeep(s, w.shop.manager, now=upkeep))
    # repairs: r1 within the approval limit, straight to ready; r2 and r3 need approval, r3 by the
    # channel the customer did not choose for everything else (the ticket's own preference)
    r1, r2, r3, ready_at = {}, {}, {}, {}
    for p in ps:
        r1[p.key] = intake(w, p, w.step(), preference=p.channel, limit=1_000_000)
        assert not diagnose_and_quote(w, r1[p.key].id, w.step()).needs_approval
        ready_at[p.key] = w.step()
        to_ready(w, r1[p.key].id, ready_at[p.key])
        r2[p.key] = intake(w, p, w.step(), preference=p.channel, limit=0)
        r3[p.key] = intake(w, p, w.step(), preference=p.other, limit=0)
        for t in (r2[p.key], r3[p.key]):
            assert diagnose_and_quote(w, t.id, w.step()).needs_approval
    quiet_ticket = intake(w, quiet, w.step(), preference="sms", limit=1_000_000)
    diagnose_and_quote(w, quiet_ticket.id, w.step())
    to_ready(w, quiet_ticket.id, w.step())

    # --- HQ's first pass ---------------------------------------------------------------------------------
    new = w.run(w0)
    assert sorted(g.kind for g in new.values()) == sorted(
        ["appointment_confirmed", "appointment_changed", "points_expiring", "ready_for_pickup"] * 2
        + ["approval_needed"] * 4 + ["repair_received"] * 6)
    expires_on = (long_ago + timedelta(days=5 + 730)).astimezone(ZONE).date()
    for p in ps:
        h = hour[p.key]
        check(w, one(new, "appointment_confirmed", p), p, "appointment_confirmed", p.channel,
              when_text(local(a_day, h), p.lang), "Screen repair")
        check(w, one(new, "appointment_changed", p), p, "appointment_changed", p.channel,
              when_text(local(a_day, h + 5, 30), p.lang), "Diagnosis")
        check(w, one(new, "points_expiring", p), p, "points_expiring", p.channel,
              "1,500" if p.lang == "en" else "1500", day_text(expires_on, p.lang))
        for t, channel in ((r1[p.key], p.channel), (r2[p.key], p.channel), (r3[p.key], p.other)):
            check(w, new[request_of(w, "repair_received", ticket_id=t.id).id], p, "repair_received", channel,
                  t.number, "iPhone 13")
        due = request_of(w, "ready_for_pickup", ticket_id=r1[p.key].id).params["amount_cents"]
        assert due > 0
        check(w, new[request_of(w, "ready_for_pickup", ticket_id=r1[p.key].id).id], p, "ready_for_pickup",
              p.channel, r1[p.key].number, money_text(due, p.lang))
        # approval needed: amount, what it covers, and a link that opens that ticket's quote at HQ
        numbers = {x[q.key].number for x in (r1, r2, r3) for q in ps}
        for t, channel in ((r2[p.key], p.channel), (r3[p.key], p.other)):
            asked = request_of(w, "approval_needed", ticket_id=t.id)
            amount = money_text(asked.params["amount_cents"], p.lang)
            got = new[asked.id]
            check(w, got, p, "approval_needed", channel, t.number, amount, "Screen assembly")
            page = httpx.get(link_in(got, "/approve"), timeout=30)
            assert page.status_code == 200
            assert re.search(rf'id="ticket-number">\s*{re.escape(t.number)}\s*<', page.text)
            assert amount in page.text and ("Approve" in page.text if p.lang == "en" else "同意" in page.text)
            assert not any(other in page.text for other in numbers - {t.number})     # that ticket only
            if channel == "email":                  # the unsubscribe page opens too (a GET changes nothing)
                assert httpx.get(link_in(got, "/unsubscribe"), timeout=30).status_code == 200

    # --- the customer approves by the link; a2 is cancelled; r3 approved at the counter and ready -----------
    link = link_in(w.got[request_of(w, "approval_needed", ticket_id=r2["en"].id).id], "/approve")
    answered = httpx.post(f"{hq.url}/approve", data={"t": link.split("t=", 1)[1].split("&", 1)[0],
                                                     "answer": "approve", "lang": "en"}, timeout=30)
    assert answered.status_code == 200
    for p in ps:
        w.write(w.step(), lambda s, p=p: ap.cancel(s, w.shop.assoc, a2[p.key].id))
        w.write(w.step(), lambda s, p=p: repairs.record_approval(s, w.shop.assoc, r3[p.key].id, approved=True,
                                                                  channel="phone"))
        ready_at[f"r3{p.key}"] = w.step()
        to_ready(w, r3[p.key].id, ready_at[f"r3{p.key}"])
    new = w.run(w0 + timedelta(hours=1))
    assert sorted(g.kind for g in new.values()) == ["appointment_cancelled"] * 2 + ["ready_for_pickup"] * 2
    for p in ps:
        check(w, one(new, "appointment_cancelled", p), p, "appointment_cancelled", p.channel,
              when_text(local(a_day, hour[p.key] + 5, 30), p.lang))
        due = request_of(w, "ready_for_pickup", ticket_id=r3[p.key].id).params["amount_cents"]
        check(w, new[request_of(w, "ready_for_pickup", ticket_id=r3[p.key].id).id], p, "ready_for_pickup",
              p.other, r3[p.key].number, money_text(due, p.lang))
    # after its sync the store applies the answer (the desktop's sync service does, as the system)
    assert w.write(w.step(), lambda s: message_links.apply_pending(s, store_id=w.store.store_id, now=w.moment)) == 1
    with w.store.db.session() as s:
        assert s.get(RepairTicket, r2["en"].id).status not in ("awaiting_approval", "cancelled")
        assert s.get(RepairTicket, r2["zh"].id).status == "awaiting_approval"

    # --- the reminder 24 h before, not a minute earlier ------------------------------------------------------
    assert w.run(local(a_day - timedelta(days=1), 9, 59)) == {}
    new = w.run(local(a_day - timedelta(days=1), 11))
    assert len(new) == 2                     # a2's went with its cancellation
    for p in ps:
        check(w, one(new, "appointment_reminder", p), p, "appointment_reminder", p.channel,
              when_text(local(a_day, hour[p.key]), p.lang), "Screen repair")

    # --- the trade-in quote, two days before it expires ------------------------------------------------------
    expiring = max(q.expires_at for q in quotes.values()) - timedelta(days=2)
    assert w.run(min(q.expires_at for q in quotes.values()) - timedelta(days=2, minutes=1)) == {}
    new = w.run(daytime(expiring))
    assert len(new) == 2
    for p in ps:
        qv = quotes[p.key]
        check(w, one(new, "tradein_expiring", p), p, "tradein_expiring", p.channel,
              money_text(qv.value_cents, p.lang), when_text(qv.expires_at, p.lang))

    # --- still waiting 7 days after ready; then the pickup invites to the survey ----------------------------
    assert w.run(min(ready_at.values()) + timedelta(days=7, minutes=-1)) == {}
    waited = daytime(max(ready_at.values()) + timedelta(days=7), room=timedelta(hours=1))   # and the pass after
    new = w.run(waited)
    assert len(new) == 4
    for p in ps:
        for t, channel in ((r1[p.key], p.channel), (r3[p.key], p.other)):
            check(w, new[request_of(w, "still_waiting", ticket_id=t.id).id], p, "still_waiting", channel, t.number)
        pickup(w, r1[p.key], w.step())
    new = w.run(waited + timedelta(hours=1))
    assert len(new) == 2
    for p in ps:
        got = one(new, "survey_invitation", p)
        check(w, got, p, "survey_invitation", p.channel)
        page = httpx.get(link_in(got, "/survey"), timeout=30)
        assert page.status_code == 200 and 'name="t"' in page.text

    # --- every kind went, in English and Chinese; approval and ready by both channels -----------------------
    sent = {(g.kind, p.lang, g.channel) for g in w.got.values() for p in ps if g.to in (p.email, p.phone)}
    for kind in KINDS:
        for p in ps:
            assert (kind, p.lang, p.channel) in sent, (kind, p.lang)
    for kind in ("approval_needed", "ready_for_pickup", "repair_received", "still_waiting"):
        for p in ps:
            assert (kind, p.lang, p.other) in sent
    # nothing for "no contact": no request queued, nothing at SMTP or the gateway
    assert w.requests(customer_id=quiet.id) == []
    assert all(quiet.email not in e.rcpt_tos for e in smtp.envelopes)
    assert all(r["body"]["to"] != quiet.phone for r in gw.requests)
    # the store knows: each request sent, or cancelled (unsent) because its event no longer held
    for r in w.requests():
        if r.cancelled:
            assert r.id not in w.got and r.status == "queued", (r.kind, r.status)
        else:
            assert r.id in w.got and (r.status, r.attempts) == ("sent", 1) and r.status_at is not None, \
                (r.kind, r.status)
    # the gateway reports each SMS delivered (its webhook on an HQ process that has the secret)
    monkeypatch.setenv("ORCHARD_SMS_SECRET", "e2e-delivery-secret")
    reporter = HqServer(hq.db_url, tmp_path / "hq-webhook.log")
    reporter.start()
    try:
        with httpx.Client(base_url=reporter.url, timeout=30) as c:
            for n in range(1, len(gw.requests) + 1):
                answer = c.post(webhooks.PATH, json={"ref": f"gw-{n}", "status": "DELIVRD"},
                                headers={webhooks.SECRET_HEADER: "e2e-delivery-secret"})
                assert answer.json() == {"ok": True, "matched": True}
    finally:
        reporter.close()
    assert w.store.sync().rejected == 0
    by_sms = [r for r in w.requests() if r.channel == "sms" and not r.cancelled]
    assert len(by_sms) == len(gw.requests) and {r.status for r in by_sms} == {"delivered"}
    assert {r.status for r in w.requests() if r.channel == "email" and not r.cancelled} == {"sent"}
    assert sorted(r.kind for r in w.requests() if r.cancelled) == sorted(
        ["appointment_confirmed", "appointment_reminder", "appointment_reminder"] * 2)

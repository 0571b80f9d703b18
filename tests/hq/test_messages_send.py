"""HQ sends the customer messages stores queue (issue 22, hq/messages/): a real SQLCipher
store queues requests with core.messages.queue and syncs them to a real HQ on PostgreSQL;
HQ's worker pass (run with an injected clock) sends email to a real SMTP server on loopback
(aiosmtpd) and SMS to a loopback HTTP server standing in for a gateway; the status comes
back to the store's row at its next sync.

Templates: two small ones per language in a temp dir, so the assertions do not depend on
the wording of the shipped ones (one test renders a shipped template end to end)."""

from __future__ import annotations

import email
import email.policy
import json
import logging
import re
import threading
import uuid
from datetime import datetime, timedelta, timezone
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import httpx
import pytest
from aiosmtpd.controller import Controller
from hypothesis import given, settings as hsettings, strategies as st
from sqlalchemy import select

from core import customers, privacy
from core.clock import FixedClock
from core.care import tokens
from core.messages import queue
from core.models import Customer, MessageRequest, Store
from hq.messages import render, settings, sms, webhooks, worker
from hq.messages.smtp import SmtpSender
from hq.models import hq_message, hq_row, hq_store
from tests.hq.conftest import HqServer, free_port

T0 = datetime(2026, 12, 7, 2, 0, tzinfo=timezone.utc)          # 10:00 in Shanghai
PUBLIC = "https://hq.orchard.test"
EN_EMAIL = "alex.sender-test@example.com"
ZH_EMAIL = "wang.sender-test@example.com"
PHONE = "+8613800138000"

TEMPLATES = {
    "en/ready_for_pickup.email.txt": "Subject: Repair {ticket_number} is ready\n\nHello {customer_name},\n"
                                     "your repair {ticket_number} is ready: {amount}.\n{store_name}\n"
                                     "Unsubscribe: {unsubscribe_link}\n",
    "zh_CN/ready_for_pickup.email.txt": "Subject: 维修单{ticket_number}已修好\n\n{customer_name}您好，\n"
                                        "维修单{ticket_number}已修好，应付{amount}。\n{store_name}\n"
                                        "退订：{unsubscribe_link}\n",
    "en/ready_for_pickup.sms.txt": "{store_name}: {customer_name}, repair {ticket_number} is ready ({amount}).",
    "zh_CN/ready_for_pickup.sms.txt": "【{store_name}】{customer_name}您好，维修单{ticket_number}已修好，应付{amount}。",
    "en/appointment_reminder.sms.txt": "{store_name}: see you {starts_at}.",
    "en/points_expiring.sms.txt": "{store_name}: {points} points expire {expires_on}.",
    "en/repair_received.email.txt": "Subject: {customer_name}, we have your {device}\n\nHello {customer_name}.\n",
}


# --- real parts ----------------------------------------------------------------------------------------

@pytest.fixture
def templates(tmp_path) -> Path:
    folder = tmp_path / "templates"
    for name, text in TEMPLATES.items():
        (folder / name).parent.mkdir(parents=True, exist_ok=True)
        (folder / name).write_text(text, encoding="utf-8")
    return folder


class Inbox:
    def __init__(self):
        self.envelopes = []

    async def handle_DATA(self, server, session, envelope):
        self.envelopes.append(envelope)
        return "250 Message accepted"

    def messages(self):
        return [email.message_from_bytes(e.content, policy=email.policy.default) for e in self.envelopes]


@pytest.fixture
def smtp_server():
    inbox = Inbox()
    controller = Controller(inbox, hostname="127.0.0.1", port=free_port())
    controller.start()
    inbox.sender = SmtpSender(settings.SmtpSettings("127.0.0.1", controller.port, "none", "shop@orchard.test"))
    yield inbox
    controller.stop()


class Gateway:
    """A loopback HTTP server standing in for an SMS gateway: records each request and
    answers ``status`` (a JSON id on success)."""

    def __init__(self):
        self.requests: list[dict] = []
        self.status = 200
        self.lock = threading.Lock()
        outer = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                body = self.rfile.read(int(self.headers.get("content-length") or 0))
                with outer.lock:
                    outer.requests.append({"path": self.path, "auth": self.headers.get("authorization"),
                                           "body": json.loads(body)})
                    n, status = len(outer.requests), outer.status
                answer = json.dumps({"message_id": f"gw-{n}"} if status < 300 else {"error": "down"}).encode()
                self.send_response(status)
                self.send_header("content-type", "application/json")
                self.send_header("content-length", str(len(answer)))
                self.end_headers()
                self.wfile.write(answer)

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()
        self.adapter = sms.HttpGateway(settings.SmsSettings(
            f"http://127.0.0.1:{self.server.server_port}/send",
            '{"to": "{to}", "message": {"text": "{text}"}, "client_ref": "{ref}"}',
            ("Authorization", "Bearer gw-token-1")))

    def close(self):
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def gateway():
    g = Gateway()
    yield g
    g.close()


def add_customer(store, name: str, *, phone=None, mail=None, language="en", preference="") -> uuid.UUID:
    with store.db.session(write=True) as s:
        cid = customers.create_customer(s, store.admin, given_name=name, family_name="Tester", phone=phone,
                                        email=mail).id
        privacy.set_consent(s, store.admin, cid, "hq_transfer", True)
        c = s.get(Customer, cid)
        c.language, c.contact_preference = language, preference
    return cid


def queue_one(store, cid, kind="ready_for_pickup", *, params=None, send_after=None, now=T0) -> uuid.UUID:
    params = params if params is not None else {"ticket_number": "SH01-000123", "amount_cents": 129900,
                                                "currency": "CNY"}
    with store.db.session(write=True) as s:
        request = queue.queue_message(s, store_id=store.store_id, kind=kind, event_key=f"test:{uuid.uuid4()}",
                                      customer_id=cid, now=now, params=params, send_after=send_after)
        assert request is not None
        return request.id


def at_store(store, rid) -> MessageRequest:
    store.sync()
    with store.db.session() as s:
        r = s.get(MessageRequest, rid)
        s.expunge(r)
        return r


def hq_msg(hq, rid):
    with hq.engine.connect() as conn:
        return conn.execute(select(hq_message).where(hq_message.c.id == rid)).first()


def hq_log(caplog) -> str:
    """What HQ's own loggers wrote (the test's SMTP server logs its traffic too)."""
    return "\n".join(r.getMessage() for r in caplog.records if r.name.startswith(("orchard", "sqlalchemy", "httpx")))


class SlowGateway:
    """The loopback gateway behind sends that take ``minutes`` on the test's clock each;
    ``meanwhile(ref)`` runs (another HQ process's pass) once a send has taken its time."""

    def __init__(self, gateway: Gateway, clk: FixedClock, minutes: float, meanwhile=None):
        self.gateway, self.clock, self.minutes, self.meanwhile = gateway, clk, minutes, meanwhile

    def send(self, to_e164: str, text: str, ref: str) -> sms.SendResult:
        result = self.gateway.adapter.send(to_e164, text, ref)
        self.clock.advance(minutes=self.minutes)
        if self.meanwhile is not None:
            self.meanwhile(ref)
        return result


def set_hq_row(hq, entity: str, entity_id, **changes) -> None:
    """Change a row HQ holds (as an older version or another path may have left it)."""
    where = (hq_row.c.entity == entity, hq_row.c.entity_id == str(entity_id))
    with hq.engine.connect().execution_options(hq_write=True) as conn, conn.begin():
        data = conn.scalar(select(hq_row.c.data).where(*where))
        conn.execute(hq_row.update().where(*where).values(data={**data, **changes}))


def run(hq, now, *, smtp=None, gw=None, templates=None):
    return worker.run_once(hq.engine, now=now, smtp=smtp.sender if smtp else None,
                           sms=gw.adapter if gw else None, public_url=PUBLIC, template_dir=templates)


# --- email and SMS ------------------------------------------------------------------------------------

@pytest.mark.parametrize("hq", ["postgresql", "sqlite"], indirect=True)
def test_email_reaches_smtp_in_the_customers_language_with_an_unsubscribe_link(hq, make_store, smtp_server,
                                                                               templates, caplog):
    store = make_store("MS", hq)
    en = add_customer(store, "Alex", mail=EN_EMAIL, language="en")
    zh = add_customer(store, "小王", mail=ZH_EMAIL, language="zh_CN")
    ids = {EN_EMAIL: queue_one(store, en), ZH_EMAIL: queue_one(store, zh)}
    assert store.sync().rejected == 0

    caplog.set_level(logging.DEBUG, logger="orchard.hq")
    report = run(hq, T0, smtp=smtp_server, templates=templates)
    assert (report.sent, report.failed) == (2, 0)

    got = {m["To"]: m for m in smtp_server.messages()}
    assert set(got) == {EN_EMAIL, ZH_EMAIL}
    assert got[EN_EMAIL]["Subject"] == "Repair SH01-000123 is ready"
    assert "Hello Alex,\nyour repair SH01-000123 is ready: CN¥1,299.00." in got[EN_EMAIL].get_content().replace("\r\n", "\n")
    assert got[ZH_EMAIL]["Subject"] == "维修单SH01-000123已修好"
    assert "小王您好，\n维修单SH01-000123已修好，应付¥1,299.00。" in got[ZH_EMAIL].get_content().replace("\r\n", "\n")
    raw_zh = next(e.content for e in smtp_server.envelopes if ZH_EMAIL in e.rcpt_tos)
    subject_line = next(line for line in raw_zh.split(b"\r\n") if line.startswith(b"Subject:"))
    assert subject_line.isascii() and b"=?utf-8?" in subject_line.lower()     # an encoded UTF-8 header

    # the unsubscribe link (in the body and List-Unsubscribe) is signed for this request, kind "unsubscribe"
    with hq.engine.connect() as conn:
        key = tokens.key_from_credential_hash(conn.scalar(select(hq_store.c.credential_hash)))
    for to, rid in ids.items():
        url = re.search(r"https://\S+", got[to].get_content()).group(0)
        assert url.startswith(f"{PUBLIC}/unsubscribe?t=") and got[to]["List-Unsubscribe"] == f"<{url}>"
        token = tokens.verify(key, url.split("t=", 1)[1].split("&", 1)[0], kinds=frozenset({"unsubscribe"}))
        assert (token.invitation_id, token.visit_id, token.store_id) == (rid, rid, store.store_id)
        with pytest.raises(tokens.BadToken):         # it never answers a survey
            tokens.verify(key, url.split("t=", 1)[1].split("&", 1)[0])

    for rid in ids.values():
        row = at_store(store, rid)
        assert (row.status, row.status_reason, row.attempts, row.status_at) == ("sent", "", 1, T0)
    # HQ's log names no address, name or body
    logged = hq_log(caplog)
    for secret in (EN_EMAIL, ZH_EMAIL, "Alex", "小王", "SH01-000123", "is ready", "CN¥", "unsubscribe?t="):
        assert secret not in logged
    assert str(ids[EN_EMAIL]) in logged


@pytest.mark.parametrize("hq", ["postgresql"], indirect=True)
def test_an_sms_goes_to_the_gateway_with_the_number_in_e164(hq, make_store, gateway, templates, caplog):
    store = make_store("MG", hq)
    cid = add_customer(store, "小王", phone="13800138000", language="zh_CN")
    rid = queue_one(store, cid)
    store.sync()
    caplog.set_level(logging.DEBUG, logger="orchard.hq")
    assert run(hq, T0, gw=gateway, templates=templates).sent == 1
    [req] = gateway.requests
    assert req["auth"] == "Bearer gw-token-1" and req["path"] == "/send"
    assert req["body"] == {"to": PHONE, "message": {"text": "【Orchard MG】小王您好，维修单SH01-000123已修好，应付¥1,299.00。"},
                           "client_ref": str(rid)}
    assert hq_msg(hq, rid).provider_ref == "gw-1"
    assert at_store(store, rid).status == "sent"
    logged = hq_log(caplog)
    assert str(rid) in logged
    assert PHONE not in logged and "13800138000" not in logged and "小王" not in logged


@pytest.mark.parametrize("hq", ["postgresql"], indirect=True)
def test_a_failing_gateway_is_retried_with_back_off_then_failed_at_the_store(hq, make_store, gateway, templates):
    store = make_store("MF", hq)
    rid = queue_one(store, add_customer(store, "Alex", phone=PHONE))
    store.sync()
    gateway.status = 503                            # "not taken": certain, so retried
    steps = [T0, T0 + timedelta(minutes=1), T0 + timedelta(minutes=6), T0 + timedelta(minutes=36),
             T0 + timedelta(minutes=156)]
    for n, at in enumerate(steps[:-1], start=1):
        assert run(hq, at, gw=gateway, templates=templates).retrying == 1
        assert len(gateway.requests) == n
        # not again before the back-off has passed
        assert run(hq, at + worker.BACKOFF[n - 1] - timedelta(seconds=1), gw=gateway, templates=templates).retrying == 0
        assert len(gateway.requests) == n
        row = at_store(store, rid)
        assert (row.status, row.status_reason, row.attempts) == ("queued", "retrying", n)
    report = run(hq, steps[-1], gw=gateway, templates=templates)
    assert (report.failed, len(gateway.requests)) == (1, 5)
    row = at_store(store, rid)
    assert (row.status, row.status_reason, row.attempts, row.status_at) == ("failed", "gateway_error", 5, steps[-1])
    assert run(hq, steps[-1] + timedelta(days=1), gw=gateway, templates=templates).failed == 0
    assert len(gateway.requests) == 5


@pytest.mark.parametrize("hq", ["postgresql"], indirect=True)
def test_sms_waits_for_the_end_of_quiet_hours_while_email_goes_at_once(hq, make_store, gateway, smtp_server,
                                                                       templates):
    store = make_store("MQ", hq)                    # Asia/Shanghai: 22:00 local is 14:00 UTC
    by_sms = queue_one(store, add_customer(store, "Alex", phone=PHONE))
    by_email = queue_one(store, add_customer(store, "Bo", mail=EN_EMAIL))
    store.sync()
    evening = datetime(2026, 12, 7, 14, 0, tzinfo=timezone.utc)
    report = run(hq, evening, smtp=smtp_server, gw=gateway, templates=templates)
    assert (report.sent, report.waiting) == (1, 1)
    assert len(smtp_server.envelopes) == 1 and gateway.requests == []
    row = at_store(store, by_sms)
    assert (row.status, row.status_reason) == ("queued", "quiet_hours")
    nine = datetime(2026, 12, 8, 1, 0, tzinfo=timezone.utc)           # 09:00 the next morning, local
    assert hq_msg(hq, by_sms).next_attempt_at == nine
    assert run(hq, nine - timedelta(minutes=1), gw=gateway, templates=templates).sent == 0
    assert gateway.requests == []
    assert run(hq, nine, gw=gateway, templates=templates).sent == 1
    assert len(gateway.requests) == 1
    assert at_store(store, by_sms).status == "sent" and at_store(store, by_email).status == "sent"


@pytest.mark.parametrize("hq", ["postgresql"], indirect=True)
def test_a_reminder_waits_for_its_moment(hq, make_store, gateway, templates):
    store = make_store("MR", hq)
    starts = T0 + timedelta(days=3)
    rid = queue_one(store, add_customer(store, "Alex", phone=PHONE), "appointment_reminder",
                    params={"starts_at": starts.isoformat(), "service": "screen"}, send_after=starts - timedelta(hours=24))
    store.sync()
    assert run(hq, starts - timedelta(hours=24, minutes=1), gw=gateway, templates=templates).sent == 0
    assert gateway.requests == [] and hq_msg(hq, rid) is None
    assert run(hq, starts - timedelta(hours=24), gw=gateway, templates=templates).sent == 1
    assert gateway.requests[0]["body"]["message"]["text"] == "Orchard MR: see you Dec 10, 2026, 10:00 AM."


@pytest.mark.parametrize("hq", ["postgresql"], indirect=True)
def test_a_cancelled_request_is_not_sent_and_the_store_row_stays_its_own(hq, make_store, gateway, templates):
    store = make_store("MC", hq)
    rid = queue_one(store, add_customer(store, "Alex", phone=PHONE), send_after=T0 + timedelta(hours=1))
    other = queue_one(store, add_customer(store, "Bo", phone="+8613800138001"), send_after=T0 + timedelta(hours=1))
    with store.db.session(write=True) as s:
        r = s.get(MessageRequest, rid)
        r.cancelled, r.cancelled_at = True, T0
    store.sync()
    # the pass sends the request next to it (so it did run), and passes the cancelled one by:
    # never claimed, never counted, nothing written back
    report = run(hq, T0 + timedelta(hours=2), gw=gateway, templates=templates)
    assert report == worker.PassReport(sent=1)
    assert [r["body"]["client_ref"] for r in gateway.requests] == [str(other)]
    assert hq_msg(hq, rid) is None
    row = at_store(store, rid)
    assert (row.cancelled, row.status, row.status_reason, row.attempts) == (True, "queued", "", 0)


@pytest.mark.parametrize("hq", ["postgresql", "sqlite"], indirect=True)
def test_a_request_the_store_holds_as_already_delivered_is_history_not_work(hq, make_store, gateway, templates):
    """A store's history (a request HQ reported long ago, before its records were kept, or a
    store's imported past) is never sent again: only a request still queued at the store is work."""
    store = make_store("MH", hq)
    old = queue_one(store, add_customer(store, "Alex", phone=PHONE))
    new = queue_one(store, add_customer(store, "Bo", phone="+8613800138001"))
    with store.db.session(write=True) as s:
        r = s.get(MessageRequest, old)
        r.status, r.status_at = "delivered", T0 - timedelta(days=3)
    store.sync()
    assert run(hq, T0 + timedelta(minutes=5), gw=gateway, templates=templates) == worker.PassReport(sent=1)
    assert [r["body"]["client_ref"] for r in gateway.requests] == [str(new)]
    assert hq_msg(hq, old) is None


@pytest.mark.parametrize("hq", ["postgresql"], indirect=True)
def test_a_request_cancelled_while_it_waits_for_a_retry_is_not_sent_again(hq, make_store, gateway, templates):
    store = make_store("MX", hq)
    rid = queue_one(store, add_customer(store, "Alex", phone=PHONE))
    store.sync()
    gateway.status = 503
    assert run(hq, T0, gw=gateway, templates=templates).retrying == 1
    assert (at_store(store, rid).status, at_store(store, rid).status_reason) == ("queued", "retrying")
    with store.db.session(write=True) as s:          # the customer picked the device up meanwhile
        r = s.get(MessageRequest, rid)
        r.cancelled, r.cancelled_at = True, T0 + timedelta(seconds=30)
    store.sync()
    gateway.status = 200
    for later in (T0 + timedelta(minutes=1), T0 + timedelta(hours=3)):
        report = run(hq, later, gw=gateway, templates=templates)
        assert (report.sent, report.retrying, report.failed) == (0, 0, 0)
    assert len(gateway.requests) == 1                 # the one refused attempt only
    assert hq_msg(hq, rid) is None                    # forgotten: the store may take it up again
    assert at_store(store, rid).cancelled is True


@pytest.mark.parametrize("hq", ["postgresql"], indirect=True)
def test_a_withdrawn_consent_or_no_contact_at_hq_stops_the_message(hq, make_store, gateway, templates):
    store = make_store("MO", hq)
    promo_customer = add_customer(store, "Alex", phone=PHONE)
    with store.db.session(write=True) as s:
        privacy.set_consent(s, store.admin, promo_customer, "marketing_sms", True)
    promo = queue_one(store, promo_customer, "points_expiring", params={"points": 1200, "expires_on": "2026-12-31"})
    quiet_customer = add_customer(store, "Bo", phone="+8613800138001")
    service = queue_one(store, quiet_customer)
    with store.db.session(write=True) as s:          # after queueing: the customer withdraws, says "no contact"
        privacy.set_consent(s, store.admin, promo_customer, "marketing_sms", False)
        s.get(Customer, quiet_customer).contact_preference = "none"
    store.sync()
    assert run(hq, T0, gw=gateway, templates=templates).suppressed == 2
    assert gateway.requests == []
    assert (at_store(store, promo).status, at_store(store, promo).status_reason) == ("suppressed", "no_consent")
    assert (at_store(store, service).status, at_store(store, service).status_reason) == ("suppressed", "opted_out")


@pytest.mark.parametrize("hq", ["postgresql"], indirect=True)
def test_two_passes_at_once_send_each_request_once(hq, make_store, smtp_server, templates):
    store = make_store("MT", hq)
    ids = [queue_one(store, add_customer(store, f"C{i}", mail=f"c{i}.twice@example.com")) for i in range(6)]
    store.sync()
    start = threading.Barrier(2)
    reports = []

    def one_pass():
        start.wait()
        reports.append(run(hq, T0, smtp=smtp_server, templates=templates))
    threads = [threading.Thread(target=one_pass) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    assert sum(r.sent for r in reports) == 6
    assert sorted(m["To"] for m in smtp_server.messages()) == sorted(f"c{i}.twice@example.com" for i in range(6))
    assert run(hq, T0 + timedelta(hours=1), smtp=smtp_server, templates=templates).sent == 0
    assert len(smtp_server.envelopes) == 6
    assert {at_store(store, rid).status for rid in ids} == {"sent"}


@pytest.mark.parametrize("hq", ["postgresql"], indirect=True)
def test_bodies_are_blanked_after_thirty_days(hq, make_store, smtp_server, templates):
    store = make_store("MB", hq)
    rid = queue_one(store, add_customer(store, "Alex", mail=EN_EMAIL))
    store.sync()
    run(hq, T0, smtp=smtp_server, templates=templates)
    kept = hq_msg(hq, rid)
    assert "Hello Alex" in kept.body and kept.subject == "Repair SH01-000123 is ready"
    assert run(hq, T0 + timedelta(days=29)).purged == 0
    assert run(hq, T0 + timedelta(days=31)).purged == 1
    gone = hq_msg(hq, rid)
    assert (gone.body, gone.subject, gone.status, gone.sent_at) == (None, None, "sent", T0)


@pytest.mark.parametrize("hq", ["postgresql"], indirect=True)
def test_approval_needed_with_the_shipped_zh_template_carries_the_quote_link(hq, make_store, smtp_server):
    store = make_store("MA", hq)
    with store.db.session(write=True) as s:
        s.get(Store, store.store_id).phone = "+862155551234"
    cid = add_customer(store, "小王", mail=ZH_EMAIL, language="zh_CN")
    ticket_id = uuid.uuid4()
    with store.db.session(write=True) as s:
        rid = queue.queue_message(s, store_id=store.store_id, kind="approval_needed", event_key="t:approval",
                                  customer_id=cid, now=T0, params={"ticket_number": "MA-000007", "amount_cents": 45000,
                                                                   "currency": "CNY", "covers": ["屏幕", "人工"]}).id
    store.sync()
    # the ticket id goes in the link only (the request names no ticket here: the link is for its quote)
    with hq.engine.connect().execution_options(hq_write=True) as conn, conn.begin():
        from hq.models import hq_row
        data = conn.scalar(select(hq_row.c.data).where(hq_row.c.entity_id == str(rid)))
        conn.execute(hq_row.update().where(hq_row.c.entity_id == str(rid)).values(
            data={**data, "ticket_id": str(ticket_id)}))
    assert run(hq, T0, smtp=smtp_server).sent == 1
    [m] = smtp_server.messages()
    text = m.get_content().replace("\r\n", "\n")
    assert "¥450.00" in text and "屏幕、人工" in text and "小王" in text and "+862155551234" in text
    link = next(w for w in text.split() if "/approve?t=" in w)
    with hq.engine.connect() as conn:
        key = tokens.key_from_credential_hash(conn.scalar(select(hq_store.c.credential_hash)))
    token = tokens.verify(key, link.split("t=", 1)[1].split("&", 1)[0], kinds=frozenset({"quote"}))
    assert (token.visit_id, token.invitation_id) == (ticket_id, rid)
    assert token.expires_at > T0 + timedelta(days=6)



@pytest.mark.parametrize("hq", ["postgresql"], indirect=True)
def test_a_malformed_request_fails_with_its_reason_and_the_others_are_still_sent(hq, make_store, smtp_server,
                                                                                 templates):
    store = make_store("MV", hq)
    first = queue_one(store, add_customer(store, "Alex", mail="a.malformed@example.com"))
    # a survey invitation naming a visit kind no survey has ("quote" is an approval link's)
    bad = queue_one(store, add_customer(store, "Bo", mail="b.malformed@example.com"), "survey_invitation",
                    params={"invitation_id": str(uuid.uuid4()), "visit_kind": "quote", "visit_id": str(uuid.uuid4())})
    last = queue_one(store, add_customer(store, "Cy", mail="c.malformed@example.com"))
    store.sync()
    report = run(hq, T0, smtp=smtp_server, templates=templates)
    assert (report.sent, report.failed) == (2, 1)
    assert sorted(m["To"] for m in smtp_server.messages()) == ["a.malformed@example.com", "c.malformed@example.com"]
    assert (hq_msg(hq, bad).status, hq_msg(hq, bad).reason) == ("failed", "invalid_request")
    row = at_store(store, bad)
    assert (row.status, row.status_reason, row.status_at) == ("failed", "invalid_request", T0)
    assert {at_store(store, rid).status for rid in (first, last)} == {"sent"}
    # later passes do not trip on it again
    assert run(hq, T0 + timedelta(minutes=5), smtp=smtp_server, templates=templates) == worker.PassReport()
    assert len(smtp_server.envelopes) == 2


@pytest.mark.parametrize("hq", ["postgresql"], indirect=True)
def test_an_ambiguous_gateway_answer_is_failed_not_retried(hq, make_store, gateway, templates):
    store = make_store("MW", hq)
    cid = add_customer(store, "Alex", phone=PHONE)
    for n, code in enumerate((502, 504, 500), start=1):    # a proxy may have passed the text on
        rid = queue_one(store, cid)
        store.sync()
        gateway.status = code
        report = run(hq, T0, gw=gateway, templates=templates)
        assert (report.failed, report.retrying, len(gateway.requests)) == (1, 0, n), code
        row = at_store(store, rid)
        assert (row.status, row.status_reason, row.attempts) == ("failed", "gateway_error", 1)
    gateway.status = 200
    assert run(hq, T0 + timedelta(hours=3), gw=gateway, templates=templates).sent == 0
    assert len(gateway.requests) == 3                      # never a second text for those
    rid = queue_one(store, cid)
    store.sync()
    gateway.status = 429                                   # "too many requests": certainly not taken
    assert run(hq, T0, gw=gateway, templates=templates).retrying == 1
    gateway.status = 200
    assert run(hq, T0 + timedelta(minutes=1), gw=gateway, templates=templates).sent == 1
    assert (at_store(store, rid).status, len(gateway.requests)) == ("sent", 5)


@pytest.mark.parametrize("hq", ["postgresql"], indirect=True)
def test_each_claim_and_record_reads_the_clock_so_a_long_pass_is_not_taken_for_stuck(hq, make_store, gateway,
                                                                                    templates):
    store = make_store("MK", hq)
    ids = [queue_one(store, add_customer(store, f"C{i}", phone=f"+861380013810{i}")) for i in range(3)]
    store.sync()
    clk = FixedClock(T0)
    others = []

    def other_process(ref):          # another HQ process's pass, 30 minutes into this one
        if ref == str(ids[-1]):
            others.append(worker.run_once(hq.engine, now=clk(), sms=gateway.adapter, public_url=PUBLIC,
                                          template_dir=templates))
    report = worker.run_once(hq.engine, clock=clk, sms=SlowGateway(gateway, clk, 10, other_process),
                             public_url=PUBLIC, template_dir=templates)
    assert report.sent == 3 and others[0] == worker.PassReport()
    assert len(gateway.requests) == 3
    for n, rid in enumerate(ids, start=1):
        assert hq_msg(hq, rid).sent_at == T0 + timedelta(minutes=10 * n)
        row = at_store(store, rid)
        assert (row.status, row.status_at) == ("sent", T0 + timedelta(minutes=10 * n))


@pytest.mark.parametrize("hq", ["postgresql"], indirect=True)
def test_a_send_that_outlives_the_stuck_limit_stays_failed_as_interrupted(hq, make_store, gateway, templates,
                                                                          caplog):
    store = make_store("MI", hq)
    rid = queue_one(store, add_customer(store, "Alex", phone=PHONE))
    store.sync()
    clk = FixedClock(T0)
    others = []

    def other_process(ref):          # the send took 16 minutes: another process gives it up
        others.append(worker.run_once(hq.engine, now=clk(), sms=gateway.adapter, public_url=PUBLIC,
                                      template_dir=templates))
    caplog.set_level(logging.INFO, logger="orchard.hq")
    report = worker.run_once(hq.engine, clock=clk, sms=SlowGateway(gateway, clk, 16, other_process),
                             public_url=PUBLIC, template_dir=templates)
    assert (others[0].failed, report.sent, report.failed) == (1, 0, 0)
    msg = hq_msg(hq, rid)
    assert (msg.status, msg.reason, msg.sent_at) == ("failed", "interrupted", None)   # the first final state
    row = at_store(store, rid)
    assert (row.status, row.status_reason, row.status_at) == ("failed", "interrupted", T0 + timedelta(minutes=16))
    [warning] = [r.getMessage() for r in caplog.records if r.name.startswith("orchard") and r.levelno == logging.WARNING]
    assert str(rid) in warning and "ended sent" in warning and "already failed (interrupted)" in warning
    assert PHONE not in hq_log(caplog) and "Alex" not in hq_log(caplog)
    assert run(hq, T0 + timedelta(hours=1), gw=gateway, templates=templates) == worker.PassReport()
    assert len(gateway.requests) == 1


@pytest.mark.parametrize("hq", ["postgresql"], indirect=True)
def test_quiet_hours_are_judged_at_each_messages_own_moment(hq, make_store, gateway, templates):
    store = make_store("ML", hq)                    # Asia/Shanghai
    first = queue_one(store, add_customer(store, "Alex", phone=PHONE))
    second = queue_one(store, add_customer(store, "Bo", phone="+8613800138001"))
    store.sync()
    clk = FixedClock(datetime(2026, 12, 7, 12, 50, tzinfo=timezone.utc))          # 20:50 local
    report = worker.run_once(hq.engine, clock=clk, sms=SlowGateway(gateway, clk, 15), public_url=PUBLIC,
                             template_dir=templates)
    assert (report.sent, report.waiting) == (1, 1)       # the second one's moment is 21:05 local
    assert [r["body"]["client_ref"] for r in gateway.requests] == [str(first)]
    assert hq_msg(hq, second).next_attempt_at == datetime(2026, 12, 8, 1, 0, tzinfo=timezone.utc)
    row = at_store(store, second)
    assert (row.status, row.status_reason, row.status_at) == ("queued", "quiet_hours",
                                                              datetime(2026, 12, 7, 13, 5, tzinfo=timezone.utc))


@pytest.mark.parametrize("hq", ["postgresql"], indirect=True)
def test_a_line_break_in_a_name_does_not_break_the_email_subject(hq, make_store, smtp_server, templates):
    store = make_store("MN", hq)
    cid = add_customer(store, "Alex", mail=EN_EMAIL)
    rid = queue_one(store, cid, "repair_received", params={"ticket_number": "SH01-000124", "device": "iPhone 13"})
    store.sync()
    # the store refuses such a name today; a row HQ holds from elsewhere may still carry one
    set_hq_row(hq, "customer", cid, given_name="Al\rex\u2028Jr")
    report = run(hq, T0, smtp=smtp_server, templates=templates)
    assert (report.sent, report.failed) == (1, 0)
    [m] = smtp_server.messages()
    assert m["Subject"] == "Al ex Jr, we have your iPhone 13"
    assert at_store(store, rid).status == "sent"

# --- the gateway's delivery report ----------------------------------------------------------------------

@pytest.mark.parametrize("hq", ["postgresql"], indirect=True)
def test_a_delivery_report_marks_the_message_delivered_at_the_store(hq, make_store, gateway, templates,
                                                                    monkeypatch, tmp_path):
    store = make_store("MD", hq)
    rid = queue_one(store, add_customer(store, "Alex", phone=PHONE))
    store.sync()
    run(hq, T0, gw=gateway, templates=templates)
    monkeypatch.setenv("ORCHARD_SMS_SECRET", "delivery-secret-1")
    server = HqServer(hq.db_url, tmp_path / "hq-webhook.log")     # a second HQ process with the secret
    server.start()
    try:
        with httpx.Client(base_url=server.url, timeout=30) as c:
            assert c.post(webhooks.PATH, json={"ref": "gw-1", "status": "DELIVRD"}).status_code == 401
            assert c.post(webhooks.PATH, json={"ref": "gw-1", "status": "DELIVRD"},
                          headers={webhooks.SECRET_HEADER: "wrong"}).status_code == 401
            assert at_store(store, rid).status == "sent"
            ok = c.post(webhooks.PATH, json={"ref": "gw-1", "status": "DELIVRD"},
                        headers={webhooks.SECRET_HEADER: "delivery-secret-1"})
            assert ok.status_code == 200 and ok.json() == {"ok": True, "matched": True}
            unknown = c.post(webhooks.PATH, json={"ref": "gw-999", "status": "failed"},
                             headers={webhooks.SECRET_HEADER: "delivery-secret-1"})
            assert unknown.status_code == 200 and unknown.json()["matched"] is False
    finally:
        server.close()
    assert hq_msg(hq, rid).status == "delivered"
    assert at_store(store, rid).status == "delivered"
    assert PHONE not in (tmp_path / "hq-webhook.log").read_text()


# --- rules without a server ------------------------------------------------------------------------------

@hsettings(max_examples=200, deadline=None)
@given(st.datetimes(min_value=datetime(2020, 1, 1), max_value=datetime(2035, 1, 1), timezones=st.just(timezone.utc)),
       st.sampled_from(["Asia/Shanghai", "Europe/London", "America/New_York"]))
def test_quiet_hours_end_at_nine_local_and_only_evenings_and_nights_are_quiet(now, tz):
    from zoneinfo import ZoneInfo
    local = now.astimezone(ZoneInfo(tz))
    until = worker.quiet_until(now, tz)
    quiet = local.hour >= 21 or local.hour < 9
    assert (until is not None) == quiet
    if until is not None:
        end = until.astimezone(ZoneInfo(tz))
        assert (end.hour, end.minute) == (9, 0) and now < until <= now + timedelta(hours=12, minutes=1)


def test_settings_refuse_plain_smtp_to_another_host_and_keep_secrets_out_of_sight(tmp_path):
    base = {"ORCHARD_SMTP_HOST": "mail.example.com", "ORCHARD_SMTP_FROM": "shop@example.com"}
    with pytest.raises(settings.SettingsError, match="ORCHARD_SMTP_TLS"):
        settings.from_env({**base, "ORCHARD_SMTP_TLS": "none"})
    with pytest.raises(settings.SettingsError):
        SmtpSender(settings.SmtpSettings("mail.example.com", 25, "none", "shop@example.com"))
    secret_file = tmp_path / "pw"
    secret_file.write_text("s3cret-pw\n")
    got = settings.from_env({**base, "ORCHARD_SMTP_USER": "shop", "ORCHARD_SMTP_PASSWORD_FILE": str(secret_file),
                             "ORCHARD_SMS_URL": "https://sms.example.com/v1/send",
                             "ORCHARD_SMS_AUTH_HEADER": "Authorization: Bearer tok-123"})
    assert got.smtp is not None and (got.smtp.port, got.smtp.tls, got.smtp.password) == (587, "starttls", "s3cret-pw")
    assert got.sms is not None and got.sms.auth_header == ("Authorization", "Bearer tok-123")
    assert "s3cret-pw" not in repr(got) and "tok-123" not in repr(got)
    with pytest.raises(settings.SettingsError, match="ORCHARD_SMS_URL"):
        settings.from_env({"ORCHARD_SMS_URL": "http://sms.example.com/send"})
    with pytest.raises(settings.SettingsError, match="ORCHARD_SMS_BODY"):
        settings.from_env({"ORCHARD_SMS_URL": "https://sms.example.com/send", "ORCHARD_SMS_BODY": '{"to": "{to}"}'})


def test_the_gateway_body_stays_json_whatever_the_text_holds():
    body = sms.fill('{"to": "{to}", "msg": "{text}", "n": 1}', {"to": PHONE, "text": 'say "hi"\nnow {x}'})
    assert body == {"to": PHONE, "msg": 'say "hi"\nnow {x}', "n": 1}


def test_a_template_places_known_values_only():
    render.check("Hello {customer_name}, {{braces}}")
    for bad, code in (("{customer_name.__class__}", "bad_placeholder"), ("{amount:>99}", "bad_placeholder"),
                      ("{password}", "unknown_placeholder"), ("{oops", "bad_placeholder")):
        with pytest.raises(render.TemplateError) as info:
            render.check(bad)
        assert info.value.code == code

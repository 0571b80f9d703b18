"""A customer's opt-out reaches every store that serves them (issue 22, hq/optout.py): two
real SQLCipher stores serve one customer through a real HQ on PostgreSQL; the customer
replies STOP (or TD, 退订) to a text, or confirms the unsubscribe link of an e-mail; after
both stores sync, each holds the channel's marketing consent withdrawn (channel
``sms_reply`` / ``link``) and the contact preference ``none``. A second opt-out writes
nothing; a stranger's number and any other text change nothing; the webhook needs the
shared secret; HQ's log holds neither the number nor the token."""

from __future__ import annotations

import uuid
from datetime import datetime, timedelta, timezone

import httpx
import pytest
from sqlalchemy import func, select

from core import clock, customers, privacy
from core.care import invitations, tokens
from core.models import Customer, MessageRequest
from core.sync import client as sync_client
from hq import optout
from hq.models import hq_row

SECRET = "gateway-shared-secret-7f3a"
PHONE = "+8613900139011"
EMAIL = "mei.optout@example.com"


def hq_now(hq) -> datetime:
    with httpx.Client(base_url=hq.url, timeout=30) as c:
        ms = c.get("/v1/health").json()["server_time_ms"]
    return datetime.fromtimestamp(ms / 1000, timezone.utc)


@pytest.fixture
def gateway_secret(hq, monkeypatch):
    """HQ restarted with the gateway's shared secret in its environment."""
    monkeypatch.setenv(optout.ENV_SECRET, SECRET)
    hq.restart()
    yield SECRET


def served_by_two(hq, make_store, preference: str):
    """A customer of store A (home) who also visited store B (B fetched them from HQ), with
    both marketing consents granted and ``preference``; both stores synced."""
    a, b = make_store("OA", hq), make_store("OB", hq)
    with a.db.session(write=True) as s:
        cid = customers.create_customer(s, a.admin, given_name="Mei", family_name="Chen", phone=PHONE,
                                        email=EMAIL).id
        for purpose in ("hq_transfer", "marketing_sms", "marketing_email"):
            privacy.set_consent(s, a.admin, cid, purpose, True)
        s.get(Customer, cid).contact_preference = preference
    assert a.sync().rejected == 0
    assert sync_client.fetch_customer(b.db, b.admin, phone=PHONE) == [cid]
    b.sync()
    return a, b, cid


def consents(store, cid) -> dict[str, privacy.ConsentState]:
    with store.db.session() as s:
        return privacy.current_consents(s, store.admin, cid)


def preference(store, cid) -> str:
    with store.db.session() as s:
        return s.get(Customer, cid).contact_preference


def consent_rows_at_hq(hq) -> int:
    with hq.engine.connect() as conn:
        return conn.scalar(select(func.count()).select_from(hq_row).where(hq_row.c.entity == "consent"))


def inbound(hq, body: dict, secret: str | None = SECRET, *, form: bool = False) -> httpx.Response:
    headers = {optout.SECRET_HEADER: secret} if secret is not None else {}
    with httpx.Client(base_url=hq.url, timeout=30) as c:
        if form:
            return c.post(optout.PATH, data=body, headers=headers)
        return c.post(optout.PATH, json=body, headers=headers)


def test_an_sms_stop_withdraws_the_consent_and_the_preference_at_every_store(hq, make_store, gateway_secret):
    a, b, cid = served_by_two(hq, make_store, "sms")
    before = consent_rows_at_hq(hq)

    # the gateway must prove itself; other words and strangers change nothing
    assert inbound(hq, {"from": PHONE, "text": "STOP"}, secret=None).status_code == 403
    assert inbound(hq, {"from": PHONE, "text": "STOP"}, secret="wrong").status_code == 403
    for body in ({"from": PHONE, "text": "thanks, see you"}, {"from": PHONE, "text": "stop it please"},
                 {"from": "+8613900139999", "text": "STOP"}, {"text": "STOP"}, {"from": PHONE}):
        answer = inbound(hq, body)
        assert answer.status_code == 200 and answer.json()["opted_out"] == 0, body
    assert consent_rows_at_hq(hq) == before

    # " td " in a form, as many Chinese gateways post it
    answer = inbound(hq, {"from": PHONE, "text": " td "}, form=True)
    assert answer.status_code == 200 and answer.json()["opted_out"] == 1
    assert consent_rows_at_hq(hq) == before + 1
    for store in (a, b):
        store.sync()
        held = consents(store, cid)
        assert (held["marketing_sms"].granted, held["marketing_sms"].channel) == (False, "sms_reply")
        assert held["marketing_email"].granted is True, "only the channel the customer stopped"
        assert preference(store, cid) == "none", "service texts stop too"

    # 退订 again: already in force, nothing new is written
    assert inbound(hq, {"from": PHONE, "text": "退订"}).json()["opted_out"] == 1
    assert consent_rows_at_hq(hq) == before + 1
    log = hq.log.read_text(errors="replace")
    assert PHONE not in log and PHONE[1:] not in log


def test_stop_keeps_a_preference_for_another_channel(hq, make_store, gateway_secret):
    """A customer who hears from the stores by e-mail keeps that when they stop texts."""
    a, b, cid = served_by_two(hq, make_store, "email")
    assert inbound(hq, {"from": PHONE, "text": "Stop."}).json()["opted_out"] == 1
    for store in (a, b):
        store.sync()
        assert consents(store, cid)["marketing_sms"].granted is False
        assert preference(store, cid) == "email"


def unsubscribe_token(store, cid, *, expires_at: datetime, kind: str = "unsubscribe") -> tuple[uuid.UUID, str]:
    """A message request of the store's for the customer by e-mail, and its unsubscribe link's token."""
    with store.db.session(write=True) as s:
        req = MessageRequest(store_id=store.store_id, customer_id=cid, kind="repair_received",
                             event_key=f"test:{uuid.uuid4()}", channel="email", language="en",
                             params={"ticket_number": "OA01-000001"})
        s.add(req)
        s.flush()
        rid = req.id
    key = invitations.survey_link(store.db).key        # the store's key: from its HQ credential
    return rid, tokens.make(key, store_id=store.store_id, invitation_id=rid, visit_kind=kind, visit_id=rid,
                            expires_at=expires_at)


def test_the_unsubscribe_link_does_the_same_for_email_and_a_get_changes_nothing(hq, make_store):
    a, b, cid = served_by_two(hq, make_store, "email")
    now = hq_now(hq)
    with clock.pinned(now):
        _, token = unsubscribe_token(a, cid, expires_at=now + timedelta(days=365))
        _, expired = unsubscribe_token(a, cid, expires_at=now - timedelta(minutes=1))
        _, survey_kind = unsubscribe_token(a, cid, expires_at=now + timedelta(days=3), kind="ticket")
    assert a.sync().rejected == 0
    before = consent_rows_at_hq(hq)
    with httpx.Client(base_url=hq.url, timeout=30) as c:
        page = c.get("/unsubscribe", params={"t": token})        # a mail scanner follows the link
        assert page.status_code == 200 and 'id="confirm"' in page.text and "Stop e-mails" in page.text
        assert EMAIL not in page.text and "Mei" not in page.text
        zh = c.get("/unsubscribe", params={"t": token, "lang": "zh"})
        assert "退订" in zh.text and '<html lang="zh-CN">' in zh.text
        assert consent_rows_at_hq(hq) == before
        for bad, status in ((expired, 410), (survey_kind, 400), (token[:-2] + "AA", 400), ("nope", 400)):
            refused = c.post("/unsubscribe", data={"t": bad, "lang": "en"})
            assert refused.status_code == status, bad
        assert consent_rows_at_hq(hq) == before
        done = c.post("/unsubscribe", data={"t": token, "lang": "en"})
        assert done.status_code == 200 and "You are unsubscribed" in done.text
        again = c.post("/unsubscribe", data={"t": token, "lang": "zh_CN"})
        assert again.status_code == 200 and "您已退订" in again.text
        assert c.get("/unsubscribe", params={"t": token}).status_code == 200
    assert consent_rows_at_hq(hq) == before + 1, "one withdrawal, however often it is confirmed"
    for store in (a, b):
        store.sync()
        held = consents(store, cid)
        assert (held["marketing_email"].granted, held["marketing_email"].channel) == (False, "link")
        assert held["marketing_sms"].granted is True
        assert preference(store, cid) == "none"
    assert token not in hq.log.read_text(errors="replace")


def test_a_stop_word_is_one_of_the_words_trimmed_and_in_any_case():
    for text in ("STOP", "stop", " Stop ", "TD", "td\n", "退订", "取消", "STOP!", "退订。"):
        assert optout.is_stop(text), text
    for text in ("", "stopp", "please stop", "T D", None, 7, "x" * 100):
        assert not optout.is_stop(text), text


def test_after_stop_a_ticket_set_to_sms_gets_no_text_queued_or_sent(hq, make_store, gateway_secret):
    """The customer hears by e-mail but their ticket is set to SMS; a text is queued and at
    HQ when they reply STOP: HQ suppresses it (``opted_out``), and the store, once synced,
    queues no new text for that ticket (e-mail still goes)."""
    from zoneinfo import ZoneInfo

    from core.messages import queue
    from core.models import Device, RepairTicket
    from hq.messages import worker

    a, _, cid = served_by_two(hq, make_store, "email")
    now = hq_now(hq)
    params = {"ticket_number": "OA-000001", "amount_cents": 1000, "currency": "CNY"}

    def ask(s, key, preference):
        return queue.queue_message(s, store_id=a.store_id, kind="ready_for_pickup", event_key=key, customer_id=cid,
                                   now=now, params=params, ticket_id=tid, ticket_preference=preference)
    with clock.pinned(now), a.db.session(write=True) as s:
        device = Device(customer_id=cid, model="iPhone 13")
        s.add(device)
        s.flush()
        ticket = RepairTicket(store_id=a.store_id, number="OA-000001", customer_id=cid, device_id=device.id,
                              status="ready", reported_fault="screen", contact_preference="sms")
        s.add(ticket)
        s.flush()
        tid = ticket.id
        before = ask(s, "test:before", "sms")
        assert before is not None and before.channel == "sms"
        rid = before.id
    assert a.sync().rejected == 0
    assert inbound(hq, {"from": PHONE, "text": "STOP"}).json()["opted_out"] == 1

    local = now.astimezone(ZoneInfo("Asia/Shanghai"))          # midday at the store: no quiet hours
    noon = (local.replace(hour=12, minute=0, second=0, microsecond=0) + timedelta(days=1)).astimezone(timezone.utc)
    report = worker.run_once(hq.engine, now=noon)
    assert (report.suppressed, report.sent) == (1, 0)
    a.sync()
    with a.db.session() as s:
        row = s.get(MessageRequest, rid)
        assert (row.status, row.status_reason) == ("suppressed", "opted_out")
    assert preference(a, cid) == "email" and consents(a, cid)["marketing_sms"].channel == "sms_reply"
    with clock.pinned(now), a.db.session(write=True) as s:
        assert ask(s, "test:after", "sms") is None
        by_email = ask(s, "test:email", "email")
        assert by_email is not None and by_email.channel == "email"

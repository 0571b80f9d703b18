"""HQ's approval page (hq/links.py, issue 22) against a real HQ on PostgreSQL, a real enrolled
SQLCipher store and Debian's chromium at phone size: the store quotes a repair above the
customer's limit and asks for approval; the customer opens the signed link from the message,
sees that ticket's quote only (number, device, lines, total by core.money) in English or
Chinese and approves once; the store's ticket moves on after its sync with the channel
"link". A reused, expired, tampered link and a survey's link are refused; refusing works;
a quote answered at the counter no longer waits for an answer."""

from __future__ import annotations

import importlib.util
import uuid
from datetime import datetime, timedelta

import httpx
from selenium.webdriver.common.by import By
from sqlalchemy import select

from core import clock, customers, formatting, privacy
from core.care import invitations, tokens
from core.models import Device, MessageRequest, Part, RepairTicket
from core.repairs import quoting
from hq.models import hq_link_use, hq_row
from tests.hq_console.conftest import browser  # noqa: F401 - fixture
from tests.hq_console.pages import PHONE, hq_now, phone, press, shot, wait_for

CUSTOMER = ("Mei", "Chen", "13900139022")


def quoted_ticket(store, part_id: uuid.UUID, number: str) -> tuple[uuid.UUID, int, uuid.UUID]:
    """A ticket of a customer's iPhone 13 quoted above their limit (a screen and labour), and
    its approval_needed request (queued by the store's own code when it does, else written
    here as the store would). Returns the ticket, its total and the request's id."""
    with store.db.session(write=True) as s:
        cid = customers.create_customer(s, store.admin, given_name=CUSTOMER[0], family_name=CUSTOMER[1],
                                        phone=CUSTOMER[2]).id
        privacy.set_consent(s, store.admin, cid, "hq_transfer", True)
        device = Device(customer_id=cid, model="iPhone 13")
        s.add(device)
        s.flush()
        ticket = RepairTicket(store_id=store.store_id, number=number, customer_id=cid, device_id=device.id,
                              status="diagnosing", reported_fault="cracked screen", approval_limit_cents=0)
        s.add(ticket)
        s.flush()
        tid = ticket.id
    with store.db.session(write=True) as s:
        result = quoting.quote(s, store.admin, tid, diagnosis="Cracked screen", lines=[(part_id, 1)],
                               labour_cents=3000)
        assert result.needs_approval and result.ticket.status == "awaiting_approval"
        total = result.total_cents
    with store.db.session(write=True) as s:
        req = s.scalar(select(MessageRequest).where(MessageRequest.ticket_id == tid,
                                                    MessageRequest.kind == "approval_needed"))
        if req is None:
            req = MessageRequest(store_id=store.store_id, customer_id=cid, kind="approval_needed",
                                 event_key=f"ticket:{tid}:approval", ticket_id=tid, channel="sms", language="en",
                                 params={"ticket_number": number, "amount_cents": total, "currency": "USD"})
            s.add(req)
            s.flush()
        return tid, total, req.id


def link(store, ticket_id, request_id, expires_at: datetime, kind: str = "quote") -> str:
    key = invitations.survey_link(store.db).key        # the store's key: from its HQ credential
    return tokens.make(key, store_id=store.store_id, invitation_id=request_id, visit_kind=kind, visit_id=ticket_id,
                       expires_at=expires_at)


def answers_at_hq(hq) -> list[dict]:
    with hq.engine.connect() as conn:
        return [dict(r.data) for r in conn.execute(select(hq_row).where(hq_row.c.entity == "link_answer"))]


def setup(hq, make_store, code: str):
    store = make_store(code, hq, publisher=True)      # a publisher: its part reaches HQ with its name
    with store.db.session(write=True) as s:
        part = Part(sku=f"SCR-{code}", name="Screen assembly", price_cents=12900)
        s.add(part)
        s.flush()
        return store, part.id


def test_the_customer_approves_once_on_a_phone_and_the_ticket_moves_on(hq, make_store, browser):  # noqa: F811
    store, part_id = setup(hq, make_store, "AP01")
    now = hq_now(hq)
    with clock.pinned(now):
        tid, total, rid = quoted_ticket(store, part_id, "AP01-000101")
        token = link(store, tid, rid, now + timedelta(days=7))
        expired = link(store, tid, rid, now - timedelta(minutes=2))
        survey = link(store, tid, rid, now + timedelta(days=7), kind="ticket")
        assert store.sync().rejected == 0
    url = f"{hq.url}/approve?t={token}"
    with httpx.Client(base_url=hq.url, timeout=30) as c:      # expired (the same request's link, made shorter)
        page = c.get("/approve", params={"t": expired})
        assert page.status_code == 410 and "This link has expired" in page.text
        assert c.post("/approve", data={"t": expired, "answer": "approve"}).status_code == 410
    assert answers_at_hq(hq) == []

    phone(browser)
    browser.delete_all_cookies()
    browser.get(url)
    wait_for(browser, "#answer")
    assert browser.find_element(By.TAG_NAME, "h1").text == "Your repair quote"
    assert browser.find_element(By.ID, "ticket-number").text == "AP01-000101"
    assert browser.find_element(By.ID, "device").text == "iPhone 13"
    rows = [r.text for r in browser.find_elements(By.CSS_SELECTOR, "#quote tbody tr")]
    assert rows == ["Screen assembly $129.00", "Labour $30.00"]
    assert browser.find_element(By.ID, "total").text == formatting.money(total, "USD", "en") == "$159.00"
    body = browser.find_element(By.TAG_NAME, "body").text
    assert CUSTOMER[0] not in body and CUSTOMER[2][-4:] not in body and "cracked" not in body.lower()
    assert browser.execute_script("return document.documentElement.scrollWidth") <= PHONE[0]
    shot(browser, "approve_en")
    press(browser, browser.find_element(By.CSS_SELECTOR, '.langs a[lang="zh-CN"]'))
    assert browser.find_element(By.TAG_NAME, "h1").text == "您的维修报价"
    assert browser.find_element(By.ID, "approve").text == "同意维修"
    shot(browser, "approve_zh")
    press(browser, browser.find_element(By.ID, "approve"))
    assert browser.find_element(By.TAG_NAME, "h1").text == "谢谢，您已同意维修"
    shot(browser, "approve_zh_thanks")
    assert browser.get_cookies() == []

    [answer] = answers_at_hq(hq)
    assert (answer["ticket_id"], answer["request_id"], answer["answer"], answer["store_id"]) == (
        str(tid), str(rid), "approved", str(store.store_id))

    # the same link again (or the expired one of its request), tampered, or a survey's link: refused
    browser.get(url)
    wait_for(browser, "#state-answered")
    with httpx.Client(base_url=hq.url, timeout=30) as c:
        again = c.post("/approve", data={"t": token, "answer": "refuse", "lang": "en"})
        assert again.status_code == 409 and "This quote has been answered" in again.text
        for bad, status, words in ((expired, 409, "This quote has been answered"),
                                   (token[:-2] + ("AA" if token[-2:] != "AA" else "BB"), 400, "This link is not valid"),
                                   (survey, 400, "This link is not valid"), ("", 400, "This link is not valid")):
            page = c.get("/approve", params={"t": bad})
            assert page.status_code == status and words in page.text, bad
            assert c.post("/approve", data={"t": bad, "answer": "approve"}).status_code == status
            assert "AP01-000101" not in page.text and "Traceback" not in page.text
    with hq.engine.connect() as conn:
        assert len(conn.execute(select(hq_link_use)).all()) == 1
    assert len(answers_at_hq(hq)) == 1

    # the store pulls the answer and applies it: the repair goes on, approved by link
    with clock.pinned(hq_now(hq)):
        assert store.sync().rejected == 0
        if importlib.util.find_spec("core.messages.links") is not None:
            from core.messages import links as store_links
            assert store_links.apply_link_answers(store.db) == 1
            with store.db.session() as s:
                t = s.get(RepairTicket, tid)
                assert (t.approval, t.approval_channel) == ("approved", "link")
                assert t.status in ("in_repair", "awaiting_parts")
    assert token not in hq.log.read_text(errors="replace")


def test_refusing_works_and_a_quote_answered_at_the_counter_no_longer_waits(hq, make_store):
    store, part_id = setup(hq, make_store, "AP02")
    now = hq_now(hq)
    with clock.pinned(now):
        refused_tid, _, refused_rid = quoted_ticket(store, part_id, "AP02-000201")
        counter_tid, _, counter_rid = quoted_ticket(store, part_id, "AP02-000202")
        refuse = link(store, refused_tid, refused_rid, now + timedelta(days=7))
        counter = link(store, counter_tid, counter_rid, now + timedelta(days=7))
        crossed = link(store, counter_tid, refused_rid, now + timedelta(days=7))   # another ticket's request
        assert store.sync().rejected == 0
    with httpx.Client(base_url=hq.url, timeout=30) as c:
        assert c.get("/approve", params={"t": counter}).status_code == 200
        assert c.get("/approve", params={"t": crossed}).status_code == 400
        odd = c.post("/approve", data={"t": refuse, "answer": "maybe", "lang": "en"})
        assert odd.status_code == 400 and 'id="answer"' in odd.text
        done = c.post("/approve", data={"t": refuse, "answer": "refuse", "lang": "en"})
        assert done.status_code == 200 and "you refused the quote" in done.text
    with clock.pinned(hq_now(hq)):
        with store.db.session(write=True) as s:       # the customer called the store instead
            quoting.record_approval(s, store.admin, counter_tid, approved=True, channel="phone")
        assert store.sync().rejected == 0
    with httpx.Client(base_url=hq.url, timeout=30) as c:
        for method in ("get", "post"):
            page = (c.get("/approve", params={"t": counter, "lang": "zh"}) if method == "get" else
                    c.post("/approve", data={"t": counter, "answer": "approve", "lang": "zh_CN"}))
            assert page.status_code == 409 and "此报价已无需答复" in page.text
    assert [(a["ticket_id"], a["answer"]) for a in answers_at_hq(hq)] == [(str(refused_tid), "refused")]
    if importlib.util.find_spec("core.messages.links") is not None:
        from core.messages import links as store_links
        with clock.pinned(hq_now(hq)):
            store.sync()
            assert store_links.apply_link_answers(store.db) == 1
        with store.db.session() as s:
            t = s.get(RepairTicket, refused_tid)
            assert (t.approval, t.approval_channel, t.status) == ("refused", "link", "cancelled")

"""HQ's survey page (hq/survey.py, issue 21) against a real HQ on PostgreSQL, a real enrolled
SQLCipher store and Debian's chromium at phone size: the store prints an invitation (its
token signed with its HQ credential), the customer answers once on the phone in Chinese,
a reused, expired or tampered link is refused, and the answer reaches the store by sync,
counts in its satisfaction report and opens the manager's call back. A visit is answered
once whichever way; the comment is held to the store's rule for free text, kept without the
customer's name when they withdrew HQ transfer; a link cannot run longer than any store may set.
The answer names who handed the device over at the counter, never the technician."""

from __future__ import annotations

import importlib.util
import io
import logging
import threading
import uuid
from concurrent.futures import ThreadPoolExecutor
from datetime import datetime, timedelta, timezone

import httpx
import pytest
from selenium.webdriver.common.by import By
from sqlalchemy import func, select

from core import clock, customers, privacy, staff
from core.care import invitations, tokens
from core.care import rules as care_rules
from core.models import RepairEvent, RepairTicket, Survey, SurveyInvitation
from core.permissions import Role
from core.report_data.manager import satisfaction_report
from hq import logs
from hq.models import hq_row, hq_survey_answer
from tests.hq_console.conftest import browser  # noqa: F401 - fixture
from tests.hq_console.pages import hq_now, phone, press, shot, wait_for

COMMENT_ZH = "取机等了四十分钟，屏幕还有划痕。"


def visit(store) -> tuple[uuid.UUID, uuid.UUID]:
    """A customer (consenting to HQ transfer) and a repair ticket of theirs at ``store``."""
    with store.db.session(write=True) as s:
        cid = customers.create_customer(s, store.admin, given_name="Mei", family_name="Chen",
                                        phone="13900139000").id
        privacy.set_consent(s, store.admin, cid, "hq_transfer", True)
    with store.db.session(write=True) as s:
        ticket = RepairTicket(store_id=store.store_id, number=f"SV-{uuid.uuid4().hex[:6]}", customer_id=cid,
                              reported_fault="screen")
        s.add(ticket)
        s.flush()
        return cid, ticket.id


def invitation(hq, store, customer_id, ticket_id, expires_at: datetime) -> tuple[uuid.UUID, str]:
    """The store's invitation row and the token its receipt's QR code carries."""
    with store.db.session(write=True) as s:
        inv = SurveyInvitation(store_id=store.store_id, customer_id=customer_id, ticket_id=ticket_id,
                               expires_at=expires_at)
        s.add(inv)
        s.flush()
        inv_id = inv.id
    link = invitations.survey_link(store.db)      # the store's key: from its HQ credential (keyring)
    assert link is not None and link.base_url == hq.url
    key = link.key
    return inv_id, tokens.make(key, store_id=store.store_id, invitation_id=inv_id, visit_kind="ticket",
                               visit_id=ticket_id, expires_at=expires_at)


def answers_at_hq(hq) -> int:
    with hq.engine.connect() as conn:
        return conn.scalar(select(func.count()).select_from(hq_survey_answer))


def surveys_at_hq(hq) -> list[dict]:
    with hq.engine.connect() as conn:
        return [dict(r.data) for r in conn.execute(select(hq_row).where(hq_row.c.entity == "survey"))]


def fits_a_phone(browser, width: int) -> None:
    phone(browser, width, 780)
    assert browser.execute_script("return document.documentElement.scrollWidth") <= width, \
        f"the page scrolls sideways at {width} px"
    small = browser.execute_script("""
        return [...document.querySelectorAll('.choices label, button, .langs a')].map(e => {
            const r = e.getBoundingClientRect(); return [e.textContent.trim(), r.width, r.height]; })
          .filter(([t, w, h]) => w < 44 || h < 44);""")
    assert small == [], f"tap targets under 44 px at {width} px: {small}"


def test_a_customer_answers_once_on_a_phone_and_the_store_gets_it_by_sync(hq, make_store, browser):  # noqa: F811
    store = make_store("SV01", hq)
    now = hq_now(hq)
    with clock.pinned(now):
        cid, ticket_id = visit(store)
        inv_id, token = invitation(hq, store, cid, ticket_id, now + timedelta(days=14))
        _, expired = invitation(hq, store, cid, ticket_id, now - timedelta(minutes=2))
        store.sync()
    url = f"{hq.url}/survey?t={token}"

    # the English page on a phone (the browser says en-US), then the visible switch to Chinese
    phone(browser)
    browser.delete_all_cookies()
    browser.get(url)
    wait_for(browser, "#survey")
    assert browser.find_element(By.TAG_NAME, "h1").text == "How did we do?"
    assert len(browser.find_elements(By.CSS_SELECTOR, ".nps .choices label")) == 11
    assert len(browser.find_elements(By.CSS_SELECTOR, ".csat .choices label")) == 5
    fits_a_phone(browser, 360)
    phone(browser)
    shot(browser, "survey_en")
    press(browser, browser.find_element(By.CSS_SELECTOR, '.langs a[lang="zh-CN"]'))
    assert browser.find_element(By.TAG_NAME, "h1").text == "我们做得怎么样？"
    assert browser.find_element(By.TAG_NAME, "html").get_attribute("lang") == "zh-CN"
    fits_a_phone(browser, 360)
    phone(browser)

    # NPS 3, CSAT 2 by tapping the big buttons; the comment in Chinese (set by script, as an IME would)
    browser.find_element(By.CSS_SELECTOR, 'label[for="nps-3"]').click()
    browser.find_element(By.CSS_SELECTOR, 'label[for="csat-2"]').click()
    browser.execute_script("document.getElementById('comment').value = arguments[0]", COMMENT_ZH)
    assert browser.find_element(By.ID, "nps-3").is_selected() and browser.find_element(By.ID, "csat-2").is_selected()
    shot(browser, "survey_zh")
    press(browser, browser.find_element(By.ID, "send"))
    assert browser.find_element(By.TAG_NAME, "h1").text == "感谢您的回答"
    shot(browser, "survey_zh_thanks")
    assert browser.get_cookies() == [], "the page needs no cookie and sets none"

    # HQ holds the single-use record and the store's survey row, nothing about the person on the page
    assert answers_at_hq(hq) == 1
    [row] = surveys_at_hq(hq)
    assert (row["nps"], row["csat"], row["comment"], row["channel"], row["language"]) == (
        3, 2, COMMENT_ZH, "receipt", "zh_CN")
    assert (row["invitation_id"], row["ticket_id"], row["customer_id"], row["store_id"]) == (
        str(inv_id), str(ticket_id), str(cid), str(store.store_id))

    # the same link again: answered, in the browser and to a second POST
    browser.get(url + "&lang=zh")
    wait_for(browser, "#state-answered")
    assert browser.find_element(By.TAG_NAME, "h1").text == "谢谢，此问卷已经回答过了"
    with httpx.Client(base_url=hq.url, timeout=30) as c:
        again = c.get("/survey", params={"t": token})
        assert again.status_code == 409 and "this survey has been answered" in again.text
        second = c.post("/survey", data={"t": token, "nps": "10", "csat": "5", "lang": "en"})
        assert second.status_code == 409 and "this survey has been answered" in second.text
        # expired: closed, whether looked at or answered
        closed = c.get("/survey", params={"t": expired})
        assert closed.status_code == 410 and "This survey has closed" in closed.text
        assert c.post("/survey", data={"t": expired, "nps": "9"}).status_code == 410
        assert "set-cookie" not in closed.headers
    assert answers_at_hq(hq) == 1 and len(surveys_at_hq(hq)) == 1

    # the store pulls the answer: its survey row, its report, the call back after a low answer
    with clock.pinned(hq_now(hq)) as later:
        store.sync()
        with store.db.session() as s:
            [survey] = s.scalars(select(Survey)).all()
            assert (survey.nps, survey.csat, survey.comment, survey.channel, survey.invitation_id,
                    survey.ticket_id, survey.customer_id) == (3, 2, COMMENT_ZH, "receipt", inv_id, ticket_id, cid)
            day = survey.at.replace(tzinfo=timezone.utc).astimezone(timezone(timedelta(hours=8))).date()
            report = satisfaction_report(s, store.admin, day - timedelta(days=1), day + timedelta(days=1),
                                         now=later.at)
        assert (report.figures.surveys, report.figures.nps_answers, report.detractors) == (1, 1, 1)
        assert report.csat_distribution == (0, 1, 0, 0, 0)
        assert [c.text for c in report.comments] == [COMMENT_ZH]
        if importlib.util.find_spec("core.care.surveys") is not None:
            from core.care import surveys
            from core.models import CareTask
            if hasattr(surveys, "open_missing_calls"):
                with store.db.session(write=True) as s:
                    assert surveys.open_missing_calls(s, store_id=store.store_id, now=later.at) == 1
                with store.db.session(write=True) as s:
                    assert surveys.open_missing_calls(s, store_id=store.store_id, now=later.at) == 0
                with store.db.session() as s:
                    [task] = s.scalars(select(CareTask)).all()
                    assert (task.kind, task.survey_id) == ("detractor_call", survey.id)

    # HQ's log names neither the token nor the customer's words
    text = hq.log.read_text(errors="replace")
    assert token not in text and COMMENT_ZH not in text


def _tampered(token: str) -> str:
    """The same token with one character of its signature changed."""
    last = token[-2]
    return token[:-2] + ("A" if last != "A" else "B") + token[-1]


def test_a_link_that_is_not_a_store_s_own_is_not_valid(hq, make_store):
    store = make_store("SV02", hq)
    now = hq_now(hq)
    with clock.pinned(now):
        cid, ticket_id = visit(store)
        inv_id, token = invitation(hq, store, cid, ticket_id, now + timedelta(days=14))
    other_key = tokens.key_from_credential("not-the-store-credential")
    forged = tokens.make(other_key, store_id=store.store_id, invitation_id=inv_id, visit_kind="ticket",
                         visit_id=ticket_id, expires_at=now + timedelta(days=14))
    unknown_store = tokens.make(other_key, store_id=uuid.uuid4(), invitation_id=inv_id, visit_kind="ticket",
                                visit_id=ticket_id, expires_at=now + timedelta(days=14))
    with httpx.Client(base_url=hq.url, timeout=30) as c:
        for bad in (_tampered(token), forged, unknown_store, "abc", "", token + "A", token[:-1] + "\x00"):
            page = c.get("/survey", params={"t": bad})
            assert page.status_code == 400 and "This link is not valid" in page.text, repr(bad)
            assert "Traceback" not in page.text and str(inv_id) not in page.text
            answered = c.post("/survey", data={"t": bad, "nps": "9", "csat": "5"})
            assert answered.status_code == 400 and "This link is not valid" in answered.text
        assert c.get("/survey").status_code == 400
        assert c.get("/survey", params={"t": token}).status_code == 200      # the real one still works
    assert answers_at_hq(hq) == 0 and surveys_at_hq(hq) == []


def test_a_wrong_answer_is_shown_again_with_the_field_s_message_and_answers_nothing(hq, make_store):
    store = make_store("SV03", hq)
    now = hq_now(hq)
    with clock.pinned(now):
        cid, ticket_id = visit(store)
        _, token = invitation(hq, store, cid, ticket_id, now + timedelta(days=14))
    cases = [
        ({"nps": "11"}, "Choose a number from 0 to 10."),
        ({"nps": "-1", "csat": "4"}, "Choose a number from 0 to 10."),
        ({"nps": "٣"}, "Choose a number from 0 to 10."),             # a digit, but not 0-9
        ({"csat": "0"}, "Choose a number from 1 to 5."),
        ({"csat": "5\x00"}, "Choose a number from 1 to 5."),
        ({}, "Choose a score for at least one of the two questions."),
        ({"comment": "only words"}, "Choose a score for at least one of the two questions."),
        ({"nps": "7", "comment": "x" * 1001}, "The comment can be at most 1000 characters."),
        ({"nps": "7", "comment": "bad\x00byte"}, "The comment cannot hold control characters."),
    ]
    with httpx.Client(base_url=hq.url, timeout=30) as c:
        for fields, message in cases:
            page = c.post("/survey", data={"t": token, "lang": "en", **fields})
            assert page.status_code == 400 and message in page.text, (fields, page.text[:300])
            assert 'id="survey"' in page.text, "the form again, to put right"
        zh = c.post("/survey", data={"t": token, "lang": "zh_CN", "nps": "11"})
        assert zh.status_code == 400 and "请选择 0 到 10 之间的数字。" in zh.text
        kept = c.post("/survey", data={"t": token, "nps": "8", "csat": "9", "comment": "kept"})
        assert 'id="nps-8" value="8" checked' in kept.text and ">kept</textarea>" in kept.text
        assert answers_at_hq(hq) == 0
        # an answer with CSAT only, in English by the phone's language, then a full comment of 1000 characters
        done = c.post("/survey", data={"t": token, "csat": "5", "comment": "好" * 1000},
                      headers={"accept-language": "en-GB,en;q=0.8"})
        assert done.status_code == 200 and "Thank you for your answer" in done.text
    [row] = surveys_at_hq(hq)
    assert (row["nps"], row["csat"], row["comment"], row["language"]) == (None, 5, "好" * 1000, "en")


def test_the_language_follows_the_phone_and_the_link(hq, make_store):
    store = make_store("SV04", hq)
    now = hq_now(hq)
    with clock.pinned(now):
        cid, ticket_id = visit(store)
        _, token = invitation(hq, store, cid, ticket_id, now + timedelta(days=14))
    with httpx.Client(base_url=hq.url, timeout=30) as c:
        zh = c.get("/survey", params={"t": token}, headers={"accept-language": "zh-CN,zh;q=0.9,en;q=0.5"})
        assert zh.status_code == 200 and "我们做得怎么样？" in zh.text and '<html lang="zh-CN">' in zh.text
        en = c.get("/survey", params={"t": token, "lang": "en"}, headers={"accept-language": "zh-CN"})
        assert "How did we do?" in en.text and '<meta name="viewport"' in en.text
        assert "default-src 'none'" in en.headers["content-security-policy"]
        bad = c.get("/survey", params={"t": "nope"}, headers={"accept-language": "zh-CN"})
        assert bad.status_code == 400 and "此链接无效" in bad.text


def test_two_answers_at_once_make_one(hq, make_store):
    """Two phones (or a double tap) answer the same link at the same moment: one answer is
    written, the other is told the survey was answered."""
    store = make_store("SV05", hq)
    now = hq_now(hq)
    with clock.pinned(now):
        cid, ticket_id = visit(store)
        _, token = invitation(hq, store, cid, ticket_id, now + timedelta(days=14))
    start = threading.Barrier(4)

    def answer(n: int) -> int:
        with httpx.Client(base_url=hq.url, timeout=30) as c:
            start.wait()
            return c.post("/survey", data={"t": token, "nps": str(n), "lang": "en"}).status_code

    with ThreadPoolExecutor(4) as pool:
        codes = sorted(pool.map(answer, (1, 5, 9, 10)))
    assert codes == [200, 409, 409, 409]
    assert answers_at_hq(hq) == 1 and len(surveys_at_hq(hq)) == 1


def test_hq_s_access_log_keeps_the_path_and_never_the_token():
    out = io.StringIO()
    handler = logs.handler(out)
    record = logging.LogRecord("uvicorn.access", logging.INFO, __file__, 1, '%s - "%s %s HTTP/%s" %d',
                               ("203.0.113.9:51000", "GET", "/survey?t=AXQBokxp60RyaZ-secret-token", "1.1", 410),
                               None)
    handler.handle(record)
    line = out.getvalue()
    assert "GET /survey 410" in line
    assert "secret-token" not in line and "203.0.113.9" not in line


@pytest.mark.parametrize("hq", ["postgresql", "sqlite"], indirect=True)
def test_a_visit_is_answered_once_whichever_way_it_was_answered(hq, make_store):
    """A second invitation's link for a visit answered by the first link, and a link for a
    visit answered on the store's display, both say the survey was answered and write nothing."""
    store = make_store("SV06", hq)
    now = hq_now(hq)
    with clock.pinned(now):
        cid, ticket_id = visit(store)
        _, first = invitation(hq, store, cid, ticket_id, now + timedelta(days=14))
        _, second = invitation(hq, store, cid, ticket_id, now + timedelta(days=14))
        _, shown_ticket = visit(store)
        _, at_display = invitation(hq, store, cid, shown_ticket, now + timedelta(days=14))
        with store.db.session(write=True) as s:       # answered on the store's display
            s.add(Survey(store_id=store.store_id, customer_id=cid, ticket_id=shown_ticket, nps=9,
                         channel="display", at=now))
        assert store.sync().rejected == 0
    with httpx.Client(base_url=hq.url, timeout=30) as c:
        assert c.get("/survey", params={"t": second}).status_code == 200     # not answered yet
        assert c.post("/survey", data={"t": first, "nps": "6", "lang": "en"}).status_code == 200
        for token in (second, at_display):
            page = c.get("/survey", params={"t": token})
            assert page.status_code == 409 and "this survey has been answered" in page.text
            answer = c.post("/survey", data={"t": token, "nps": "10", "lang": "en"})
            assert answer.status_code == 409 and "this survey has been answered" in answer.text
    assert answers_at_hq(hq) == 1
    assert sorted((r["channel"], r["ticket_id"]) for r in surveys_at_hq(hq)) == sorted(
        [("receipt", str(ticket_id)), ("display", str(shown_ticket))])


def test_a_comment_is_held_to_the_store_s_rule_for_free_text(hq, make_store):
    store = make_store("SV07", hq)
    now = hq_now(hq)
    with clock.pinned(now):
        cid, ticket_id = visit(store)
        _, token = invitation(hq, store, cid, ticket_id, now + timedelta(days=14))
    message = "The comment cannot hold control characters."
    with httpx.Client(base_url=hq.url, timeout=30) as c:
        for bad in ("fine \u202egnp.exe", "C1 \x85 next line", "lone\rreturn", "isolate \u2066x\u2069"):
            page = c.post("/survey", data={"t": token, "nps": "7", "comment": bad, "lang": "en"})
            assert page.status_code == 400 and message in page.text, repr(bad)
            assert 'id="comment-error"' in page.text
        assert answers_at_hq(hq) == 0
        done = c.post("/survey", data={"t": token, "nps": "7", "comment": "Cafe\u0301 ok\r\nthanks", "lang": "en"})
        assert done.status_code == 200
    [row] = surveys_at_hq(hq)
    assert row["comment"] == "Caf\u00e9 ok\nthanks"                 # NFC, line breaks kept


def test_a_customer_who_withdrew_hq_transfer_keeps_their_comment_without_their_name(hq, make_store):
    store = make_store("SV08", hq)
    now = hq_now(hq)
    with clock.pinned(now):
        cid, ticket_id = visit(store)
        inv_id, token = invitation(hq, store, cid, ticket_id, now + timedelta(days=14))
        with store.db.session(write=True) as s:
            privacy.set_consent(s, store.admin, cid, "hq_transfer", False)
        assert store.sync().rejected == 0
    with httpx.Client(base_url=hq.url, timeout=30) as c:
        done = c.post("/survey", data={"t": token, "nps": "4", "comment": COMMENT_ZH, "lang": "zh_CN"})
        assert done.status_code == 200
    [row] = surveys_at_hq(hq)
    assert (row["comment"], row["customer_id"], row["ticket_id"]) == (COMMENT_ZH, None, str(ticket_id))
    with clock.pinned(hq_now(hq)):
        assert store.sync().rejected == 0
    with store.db.session() as s:
        [survey] = s.scalars(select(Survey)).all()
        assert (survey.comment, survey.customer_id, survey.invitation_id, survey.nps) == (COMMENT_ZH, None, inv_id, 4)
    assert COMMENT_ZH not in hq.log.read_text(errors="replace")


def test_a_link_that_runs_longer_than_any_store_may_set_is_not_valid(hq, make_store):
    store = make_store("SV09", hq)
    now = hq_now(hq)
    longest = timedelta(days=care_rules.SETTINGS["survey_token_days"][2])
    with clock.pinned(now):
        cid, ticket_id = visit(store)
        _, too_long = invitation(hq, store, cid, ticket_id, now + longest + timedelta(days=1))
        _, longest_allowed = invitation(hq, store, cid, ticket_id, now + longest)
    with httpx.Client(base_url=hq.url, timeout=30) as c:
        page = c.get("/survey", params={"t": too_long})
        assert page.status_code == 400 and "This link is not valid" in page.text
        assert c.post("/survey", data={"t": too_long, "nps": "9"}).status_code == 400
        assert c.get("/survey", params={"t": longest_allowed}).status_code == 200
    assert answers_at_hq(hq) == 0


def test_the_answer_names_who_handed_the_device_over_never_the_technician(hq, make_store):
    """A receipt's answer names the associate on the ticket's "collected" history entry (the
    technician's CSAT comes from the ticket itself); a ticket HQ holds no collection for names
    no one."""
    store = make_store("SV10", hq)
    now = hq_now(hq)
    with clock.pinned(now):
        with store.db.session(write=True) as s:
            tech = staff.create_staff(s, store.admin, display_name="Tess Tech", role=Role.TECHNICIAN,
                                      password="password-22", pin="2468").id
            associate = staff.create_staff(s, store.admin, display_name="Sam Counter", role=Role.ASSOCIATE,
                                           password="password-33", pin="1357").id
        cid, collected = visit(store)
        _, not_collected = visit(store)
        with store.db.session(write=True) as s:
            for ticket_id in (collected, not_collected):
                s.get(RepairTicket, ticket_id).technician_id = tech
                s.add(RepairEvent(ticket_id=ticket_id, at=now - timedelta(hours=3), staff_id=tech,
                                  from_status="quality_check", to_status="ready", note_code="qc_passed"))
            s.add(RepairEvent(ticket_id=collected, at=now - timedelta(hours=1), staff_id=associate,
                              from_status="ready", to_status="collected", note_code="collected"))
        _, handed_over = invitation(hq, store, cid, collected, now + timedelta(days=14))
        _, still_ready = invitation(hq, store, cid, not_collected, now + timedelta(days=14))
        assert store.sync().rejected == 0
    with httpx.Client(base_url=hq.url, timeout=30) as c:
        for token in (handed_over, still_ready):
            assert c.post("/survey", data={"t": token, "nps": "9", "csat": "5", "lang": "en"}).status_code == 200
    assert {r["ticket_id"]: r["staff_id"] for r in surveys_at_hq(hq)} == {
        str(collected): str(associate), str(not_collected): None}
    with clock.pinned(hq_now(hq)):
        assert store.sync().rejected == 0
    with store.db.session() as s:
        assert dict(s.execute(select(Survey.ticket_id, Survey.staff_id)).all()) == {
            collected: associate, not_collected: None}

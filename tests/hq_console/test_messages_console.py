"""Customer messages at the console (issue 22): a Chinese template edited, previewed with the
sample filled in and refused for an unknown placeholder in Debian's chromium; a test send that
reaches an SMTP server and an SMS gateway on loopback (an HQ process started with those
settings); the delivery log without addresses or bodies, cut to a regional manager's region;
the set-up page without secrets. Real HQ on PostgreSQL."""

from __future__ import annotations

import email
import email.policy
import json
import socketserver
import threading
import uuid
from datetime import datetime, timedelta, timezone
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from html import unescape

import pytest
from selenium.webdriver.common.by import By
from sqlalchemy import insert, select, update

from hq.console import messages as msgs
from hq.models import hq_message, hq_message_template, hq_store
from tests.hq.conftest import HqServer
from tests.hq_console.conftest import Console, audit_rows, region, signed_in, user
from tests.hq_console.pages import press, sign_in, wait_for
from tests.hq_console.test_care import field_error

BASE = "/console/messages"
ZH_SMS = BASE + "/repair_received/zh_CN/sms"


def _type(browser, css: str, value: str) -> None:
    el = browser.find_element(By.CSS_SELECTOR, css)
    el.clear()
    el.send_keys(value)


def _template_row(hq, kind: str, lang: str, channel: str):
    t = hq_message_template.c
    with hq.engine.connect() as conn:
        return conn.execute(select(t.subject, t.body).where(t.kind == kind, t.language == lang,
                                                            t.channel == channel)).first()


def test_a_chinese_sms_template_is_edited_previewed_and_refused_for_an_unknown_placeholder(hq, browser):
    user(hq, "ada", "admin")
    sign_in(browser, hq, "ada")
    browser.get(hq.url + BASE)
    wait_for(browser, "#templates")
    row = browser.find_element(By.ID, "t-repair_received-zh_CN-sms").text
    assert "Repair received" in row and "file" in row                       # the shipped file is in use
    press(browser, browser.find_element(By.CSS_SELECTOR, "#t-repair_received-zh_CN-sms a"))
    assert "The file's template is in use." in browser.find_element(By.ID, "source").text
    assert browser.find_element(By.ID, "f-body").get_attribute("value").startswith("【{store_name}】")

    words = "【{store_name}】{customer_name}您好，您的{device}已收到，单号{ticket_number}。"
    _type(browser, "#f-body", words)
    press(browser, browser.find_element(By.ID, "preview"))
    shown = browser.find_element(By.ID, "preview-body").text
    assert shown == "【Orchard】小王您好，您的iPhone 13已收到，单号SH01-000123。"
    assert browser.find_element(By.ID, "sms-length").text.startswith("43 characters · 1 segment · Unicode")
    assert _template_row(hq, "repair_received", "zh_CN", "sms") is None     # a preview keeps nothing
    press(browser, browser.find_element(By.ID, "save"))
    assert "The template is saved" in browser.find_element(By.TAG_NAME, "main").text
    assert _template_row(hq, "repair_received", "zh_CN", "sms").body == words

    _type(browser, "#f-body", words + "{imei}")
    press(browser, browser.find_element(By.ID, "save"))
    problem = browser.find_element(By.ID, "e-body").text
    assert problem.startswith("Unknown placeholder {imei}: this message may use {customer_name}")
    assert browser.find_element(By.ID, "f-body").get_attribute("aria-invalid") == "true"
    assert _template_row(hq, "repair_received", "zh_CN", "sms").body == words  # nothing saved

    browser.get(hq.url + BASE)
    assert "edited at HQ" in wait_for(browser, "#t-repair_received-zh_CN-sms").text
    browser.get(hq.url + ZH_SMS)
    press(browser, wait_for(browser, "#reset"))
    assert "The file's template is in use." in browser.find_element(By.ID, "source").text
    assert _template_row(hq, "repair_received", "zh_CN", "sms") is None
    assert [a[1:3] for a in audit_rows(hq, "message.%")] == [
        ("message.template", "repair_received/zh_CN/sms"), ("message.reset", "repair_received/zh_CN/sms")]


def test_bad_forms_are_refused_beside_their_fields_and_only_an_admin_edits(hq, console):
    user(hq, "ada", "admin")
    user(hq, "aud", "auditor")
    ada = signed_in(console, "ada")
    page = BASE + "/approval_needed/en/email"
    bad = ada.post(page + "/save", {"subject": "", "body": "Pay {amount:>9} now"}, page=page)
    assert bad.status_code == 400
    assert field_error(bad.text, "subject") == "Write the subject."
    assert field_error(bad.text, "body").startswith("Unknown placeholder {amount}")
    unpaired = ada.post(page + "/save", {"subject": "Quote {ticket_number", "body": "x"}, page=page)
    assert field_error(unpaired.text, "subject") == ("A brace { or } does not pair up; write {{ or }} for a "
                                                     "brace itself.")
    link = ada.post(BASE + "/repair_received/en/sms/save", {"body": "Approve: {link}"},
                    page=BASE + "/repair_received/en/sms")
    assert field_error(link.text, "body").startswith("Unknown placeholder {link}")   # only approval / survey
    assert ada.get(BASE + "/no_such_kind/en/sms").status_code == 404
    assert _template_row(hq, "approval_needed", "en", "email") is None

    aud = signed_in(console, "aud")
    assert aud.get(page).status_code == 200                                      # reads and previews
    preview = aud.post(page + "/preview", {"subject": "Quote {ticket_number}", "body": "{amount}: {link}"},
                       page=page)
    assert "Quote SH01-000123" in unescape(preview.text) and "CN¥1,299.00" in unescape(preview.text)
    assert aud.post(page + "/save", {"subject": "s", "body": "b"}, page=page).status_code == 403
    assert aud.post(page + "/test", {"subject": "s", "body": "b", "to": "a@b.cn"}, page=page).status_code == 403
    assert _template_row(hq, "approval_needed", "en", "email") is None


# --- a test send through real loopback servers ---------------------------------------------------

class _Smtp(socketserver.StreamRequestHandler):
    """Just enough SMTP to take one message; what it took goes to ``server.received``."""

    def handle(self) -> None:
        self.wfile.write(b"220 sink ESMTP\r\n")
        while line := self.rfile.readline():
            verb = line[:4].upper()
            if verb in (b"EHLO", b"HELO"):
                self.wfile.write(b"250-sink\r\n250-8BITMIME\r\n250 SMTPUTF8\r\n")
            elif verb == b"DATA":
                self.wfile.write(b"354 go on\r\n")
                data = b""
                while (chunk := self.rfile.readline()) not in (b".\r\n", b""):
                    data += chunk[1:] if chunk.startswith(b"..") else chunk
                self.server.received.append(data)                     # type: ignore[attr-defined]
                self.wfile.write(b"250 queued\r\n")
            elif verb == b"QUIT":
                self.wfile.write(b"221 bye\r\n")
                return
            else:
                self.wfile.write(b"250 ok\r\n")


class _Gateway(BaseHTTPRequestHandler):
    def do_POST(self) -> None:
        body = self.rfile.read(int(self.headers["content-length"]))
        self.server.received.append((dict(self.headers), json.loads(body)))   # type: ignore[attr-defined]
        answer = b'{"id": "gw-1"}'
        self.send_response(200)
        self.send_header("content-type", "application/json")
        self.send_header("content-length", str(len(answer)))
        self.end_headers()
        self.wfile.write(answer)

    def log_message(self, *args) -> None:
        pass


def _serve(server):
    server.received = []
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server


@pytest.fixture
def channels_hq(hq, pg_database, tmp_path, monkeypatch):
    """A second HQ process on the same (reset) database, started with SMTP and an SMS gateway
    on loopback; yields (server, smtp sink, gateway)."""
    smtp = _serve(socketserver.ThreadingTCPServer(("127.0.0.1", 0), _Smtp))
    gateway = _serve(ThreadingHTTPServer(("127.0.0.1", 0), _Gateway))
    for name, value in {"ORCHARD_SMTP_HOST": "127.0.0.1", "ORCHARD_SMTP_PORT": str(smtp.server_address[1]),
                        "ORCHARD_SMTP_TLS": "none", "ORCHARD_SMTP_FROM": "hq@orchard.test",
                        "ORCHARD_SMS_URL": f"http://127.0.0.1:{gateway.server_address[1]}/send?key=k-123",
                        "ORCHARD_SMS_AUTH_HEADER": "Authorization: Bearer gw-secret-77",
                        "ORCHARD_HQ_PUBLIC_URL": "https://hq.orchard.test"}.items():
        monkeypatch.setenv(name, value)
    server = HqServer(pg_database, tmp_path / "hq-channels.log")
    server.start()
    yield server, smtp, gateway
    server.close()
    for s in (smtp, gateway):
        s.shutdown()
        s.server_close()


def test_a_test_send_reaches_the_smtp_server_and_the_gateway_and_keeps_no_address(channels_hq):
    server, smtp, gateway = channels_hq
    user(server, "ada", "admin")
    ada = Console(server)
    try:
        assert ada.sign_in("ada").status_code == 303
        setup = ada.get(BASE + "/channels").text
        assert f"127.0.0.1:{smtp.server_address[1]}" in setup and "/send" in setup
        assert "gw-secret-77" not in setup and "k-123" not in setup and "set (not shown)" in setup

        page = BASE + "/ready_for_pickup/zh_CN/email"
        form = {"subject": "{customer_name}，维修单{ticket_number}可以取机了",
                "body": "应付{amount}。\n退订：{unsubscribe_link}", "to": "kim@example.cn"}
        sent = ada.post(page + "/test", form, page=page)
        assert sent.status_code == 200 and "The test message was handed to the server." in sent.text
        assert len(smtp.received) == 1
        mail = email.message_from_bytes(smtp.received[0], policy=email.policy.default)
        assert mail["To"] == "kim@example.cn" and mail["Subject"] == "小王，维修单SH01-000123可以取机了"
        body = mail.get_content()
        assert "应付¥1,299.00" in body and "https://hq.orchard.test/unsubscribe?t=" in body

        sms_page = BASE + "/still_waiting/en/sms"
        sent = ada.post(sms_page + "/test", {"body": "{store_name}: {ticket_number} waits {days} days",
                                             "to": "+86 138 0013 8000"}, page=sms_page)
        assert sent.status_code == 200
        headers, payload = gateway.received[0]
        assert headers["Authorization"] == "Bearer gw-secret-77"
        assert payload["to"] == "+8613800138000" and payload["text"] == "Orchard: SH01-000123 waits 7 days"

        wrong = ada.post(sms_page + "/test", {"body": "hi", "to": "0138"}, page=sms_page)
        assert field_error(wrong.text, "to").startswith("Give a phone number with its country code")
        assert len(gateway.received) == 1
    finally:
        ada.close()
    tests = audit_rows(server, "message.test")
    assert [t[2:] for t in tests] == [("ready_for_pickup/zh_CN/email", "sent"), ("still_waiting/en/sms", "sent")]
    assert not any("kim@" in str(t) or "138" in str(t) for t in audit_rows(server))


def test_a_test_send_without_a_gateway_says_so(hq, console):
    user(hq, "ada", "admin")
    ada = signed_in(console, "ada")
    page = BASE + "/still_waiting/en/sms"
    failed = ada.post(page + "/test", {"body": "{ticket_number}", "to": "+8613800138000"}, page=page)
    assert failed.status_code == 502
    assert "The test message was not sent:" in unescape(failed.text)
    assert "no: no SMS is sent" in ada.get(BASE + "/channels").text


# --- the delivery log ---------------------------------------------------------------------------

def _store(hq, code: str, region_id: int) -> uuid.UUID:
    hq.enrolment(code)
    store_id = uuid.uuid4()
    with hq.engine.connect().execution_options(hq_write=True) as conn, conn.begin():
        conn.execute(update(hq_store).where(hq_store.c.code == code).values(store_id=store_id, region_id=region_id))
    return store_id


def _message(hq, store_id: uuid.UUID, kind: str, status: str, at: datetime, **kw) -> None:
    with hq.engine.connect().execution_options(hq_write=True) as conn, conn.begin():
        conn.execute(insert(hq_message).values(id=uuid.uuid4(), store_id=store_id, kind=kind, channel="sms",
                                               status=status, created_at=at, **kw))


def test_the_log_shows_a_failed_message_with_its_reason_and_a_region_sees_only_its_stores(hq, console):
    east, west = region(hq, "East"), region(hq, "West")
    sh, bj = _store(hq, "SH01", east), _store(hq, "BJ01", west)
    at = datetime(2026, 3, 2, 9, 0, tzinfo=timezone.utc)
    _message(hq, sh, "ready_for_pickup", "failed", at, reason="gateway_error", attempts=5,
             body="Orchard: Alex, ring +8613800138000")
    _message(hq, sh, "repair_received", "delivered", at + timedelta(minutes=5), attempts=1, sent_at=at,
             delivered_at=at + timedelta(minutes=6), subject="", body="to kim@example.cn")
    _message(hq, bj, "appointment_reminder", "sent", at + timedelta(minutes=9), attempts=1, sent_at=at)
    user(hq, "ada", "admin")
    user(hq, "rex", "regional", region_id=west)

    ada = signed_in(console, "ada")
    everything = unescape(ada.get(BASE + "/log").text)
    assert all(k in everything for k in ("Ready for pickup", "Repair received", "Appointment reminder"))
    failed = unescape(ada.get(BASE + "/log?status=failed").text)
    assert "Ready for pickup" in failed and "the SMS gateway refused it" in failed and "Repair received" not in failed
    assert '<td class="num">5</td>' in failed
    for secret in ("Alex", "+8613800138000", "kim@example.cn", "ring"):
        assert secret not in everything
    options = failed[failed.index('id="f-status"'):]
    assert options.index('value="failed"') < options.index('value="sent"')          # failed first

    rex = signed_in(console, "rex")
    theirs = unescape(rex.get(BASE + "/log").text)
    assert "Appointment reminder" in theirs and "BJ01" in theirs
    assert "Ready for pickup" not in theirs and "SH01" not in theirs
    assert "SH01" not in unescape(rex.get(BASE + "/log?store=SH01").text)
    assert rex.get(BASE + "/repair_received/en/sms").status_code == 200
    assert rex.post(BASE + "/repair_received/en/sms/save", {"body": "x"},
                    page=BASE + "/repair_received/en/sms").status_code == 403


def test_sms_length_counts_characters_and_segments():
    assert (msgs.sms_length("a" * 160).segments, msgs.sms_length("a" * 161).segments) == (1, 2)
    assert msgs.sms_length("a" * 306).segments == 2 and msgs.sms_length("a" * 307).segments == 3
    assert msgs.sms_length("€" * 80).segments == 1 and msgs.sms_length("€" * 81).segments == 2   # two septets each
    zh = msgs.sms_length("您" * 70)
    assert (zh.characters, zh.segments, zh.unicode) == (70, 1, True)
    assert msgs.sms_length("您" * 71).segments == 2 and msgs.sms_length("您" * 135).segments == 3
    assert msgs.sms_length("").segments == 0

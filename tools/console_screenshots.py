"""Screenshots of every page of HQ's web console, English and Chinese, at 1280x800.

    .venv/bin/python -m tools.console_screenshots --out docs/screenshots/console

A developer tool (not installed). It builds two demo stores (core.demo) in a temporary
folder, starts a real ``orchard-hq serve`` on a temporary SQLite file, registers the stores
in two regions with the console's own functions, enrols and syncs them (SH01 publishes the
demo's reference data), makes a price-book draft and one in review, an admin and a user with
two-step sign-in, then signs in with Debian's headless chromium (selenium) and saves
``<out>/<lang>/<page>.png`` for each page, and the pages a customer's phone opens (390x844, no
console session): the survey page a receipt's QR code opens (an invitation of SH01's), the
approval page of a quote's message (``approve.png``, then ``approve-done.png`` after approving:
a real link HQ makes, :mod:`hq.messages.links`, for one of SH01's tickets awaiting approval) and
the unsubscribe page of an e-mail (``unsubscribe.png``). The picture is the page's whole height at a width
of 1280 (the first 800 pixels are what a 1280x800 screen shows). It prints each page that
scrolls sideways, so text that does not fit is found without looking.

Needs ``chromium`` and ``chromium-driver`` (``bash scripts/dev.sh test`` installs them).
Everything it makes is demo data; the temporary folder is removed at the end.
"""

from __future__ import annotations

import argparse
import socket
import subprocess
import sys
import tempfile
import time
import uuid
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CHROMIUM = "/usr/bin/chromium"
CHROMEDRIVER = "/usr/bin/chromedriver"
WIDTH, HEIGHT = 1280, 800
PHONE = (390, 844)                  # the survey page, as a customer's phone shows it
MAX_HEIGHT = 3000                   # a longer page is cut at this height in its picture
PASSWORD = "screens-only-9-demo"    # demo users of a throw-away HQ
PASSPHRASE = "screens-only"
LANGS = ("en", "zh_CN")
STORES = (("SH01", "Orchard Shanghai Xintiandi 果园上海新天地", "East China", 7),
          ("BJ01", "Orchard Beijing Sanlitun 果园北京三里屯", "North China", 11))


@dataclass
class Chain:
    url: str
    customer_id: str
    member_number: str
    draft_id: int
    review_id: int
    survey_url: str = ""            # HQ's survey page for one of SH01's collected repairs
    approve_urls: tuple[str, ...] = ()  # quote links of SH01's tickets awaiting approval, one per language
    unsubscribe_url: str = ""       # the unsubscribe link of one of SH01's messages


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _start_hq(db_url: str, log: Path) -> tuple[subprocess.Popen, str]:
    port = _free_port()
    out = open(log, "ab")
    proc = subprocess.Popen([sys.executable, "-m", "hq.cli", "serve", "--db", db_url, "--host", "127.0.0.1",
                             "--port", str(port)], cwd=ROOT, stdout=out, stderr=out, stdin=subprocess.DEVNULL)
    out.close()
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError("HQ exited; see " + str(log))
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.5).close()
            return proc, f"http://127.0.0.1:{port}"
        except OSError:
            time.sleep(0.1)
    proc.kill()
    raise RuntimeError("HQ did not start in time")


def _seed(folder: Path, engine, url: str) -> Chain:
    """Two synced demo stores, a third store never enrolled, drafts, users."""
    from sqlalchemy import select, update

    from core import staff
    from core.db import StoreDatabase
    from core.demo import STORE_TZ, build_demo
    from core.models.loyalty import LoyaltyAccount
    from core.permissions import Role
    from core.sync import client as sync_client
    from core.vault import KdfParams
    from hq.console import accounts, stores
    from hq.console import pricebooks as pb
    from hq.models import hq_store

    admin_id = accounts.create_user(engine, "admin", "Lin Wei", "admin", PASSWORD)
    regions: dict[str, int] = {}
    member = survey_url = ""
    for code, name, region_name, seed in STORES:
        if region_name not in regions:
            regions[region_name] = stores.create_region(engine, region_name, by=admin_id)
        db = StoreDatabase.create(folder / f"{code}.db", passphrase=PASSPHRASE,
                                  kdf=KdfParams(memory_kib=1024, iterations=1, lanes=1))
        try:
            info = build_demo(db, customers=60, seed=seed, store_code=code)
            one_time = stores.create_store(engine, stores.StoreForm(
                code=code, name=name, region_id=regions[region_name], timezone=STORE_TZ, currency="CNY",
                address="", opening_hours="10:00-22:00"), by=admin_id)
            if code == "SH01":          # the demo's reference data comes from this store
                with engine.connect().execution_options(hq_write=True) as conn, conn.begin():
                    conn.execute(update(hq_store).where(hq_store.c.code == code).values(publisher=True))
            with db.session() as s:
                admin = staff.actor_for(staff.get_staff(s, info.staff_with_role(Role.ADMIN)[0].staff_id))
                if not member:
                    member = s.scalars(select(LoyaltyAccount.member_number)
                                       .order_by(LoyaltyAccount.member_number)).first() or ""
            sync_client.enrol(db, admin, url, one_time)
            with sync_client.SyncClient(db) as c:
                c.sync()
            if code == "SH01":
                survey_url = _survey_invitation(db, admin)
        finally:
            db.close()
    stores.create_store(engine, stores.StoreForm(
        code="GZ01", name="Orchard Guangzhou Tianhe 果园广州天河", region_id=regions["East China"],
        timezone=STORE_TZ, currency="CNY", address="", opening_hours=""), by=admin_id)
    pricing = accounts.create_user(engine, "pricing", "Zhou Min", "pricing", PASSWORD)
    accounts.create_user(engine, "east", "Chen Jing", "regional", PASSWORD, region_id=regions["East China"])
    accounts.create_user(engine, "auditor", "Wang Fang", "auditor", PASSWORD)
    secret = accounts.new_totp_secret()
    second = accounts.create_user(engine, "admin2", "Li Na", "admin", PASSWORD)
    accounts.enable_totp(engine, second, secret, accounts.totp_now(secret))
    draft = pb.create_draft(engine, {"version": "2027-01", "title": "Spring 2027", "start": "copy"}, by=admin_id)
    review = pb.create_draft(engine, {"version": "2026-12b", "title": "December corrections", "start": "copy"},
                             by=pricing)
    pb.submit(engine, review, by=pricing)
    from hq.console import customers
    viewer = accounts.get_user(engine, admin_id)
    assert viewer is not None
    found = customers.search(engine, viewer, "member", member)
    _deliver(engine, url)
    approve, unsubscribe = _message_links(engine, url, "SH01")
    return Chain(url, str(found[0].id) if found else "", member, draft, review, survey_url, approve, unsubscribe)


class _Gateway:
    """A loopback HTTP server standing in for an SMS gateway (as the tests' one): it takes
    each message but refuses every fifth with a 400 answer, so the log shows a failure."""

    def __init__(self) -> None:
        import json
        import threading
        from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
        count = [0]

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                self.rfile.read(int(self.headers.get("content-length") or 0))
                count[0] += 1
                refused = count[0] % 5 == 0
                answer = json.dumps({"error": "invalid number"} if refused else {"message_id": f"gw-{count[0]}"})
                self.send_response(400 if refused else 200)
                self.send_header("content-type", "application/json")
                self.send_header("content-length", str(len(answer)))
                self.end_headers()
                self.wfile.write(answer.encode())

            def log_message(self, *args) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()
        self.url = f"http://127.0.0.1:{self.server.server_port}/send"

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


def _deliver(engine, url: str) -> None:
    """One pass of HQ's message worker (hq.messages.worker.run_once) over the stores' due
    requests, e-mail to a loopback SMTP server (aiosmtpd) and SMS to :class:`_Gateway`, so the
    delivery log has messages in it. Run at night, the pass is run as of 20:30 the evening
    before (the stores' time), else every SMS would wait for the end of quiet hours."""
    from datetime import datetime, timedelta
    from zoneinfo import ZoneInfo

    from aiosmtpd.controller import Controller

    from core import clock
    from core.demo import STORE_TZ

    from hq.messages import settings, worker
    from hq.messages.sms import HttpGateway
    from hq.messages.smtp import SmtpSender

    class Inbox:
        async def handle_DATA(self, server, session, envelope) -> str:
            return "250 Message accepted"

    smtp = Controller(Inbox(), hostname="127.0.0.1", port=_free_port())
    smtp.start()
    gateway = _Gateway()
    now = clock.now()
    if worker.quiet_until(now, STORE_TZ) is not None:
        local = now.astimezone(ZoneInfo(STORE_TZ))
        evening = datetime.combine(local.date(), datetime.min.time().replace(hour=20, minute=30), local.tzinfo)
        now = (evening if evening <= local else evening - timedelta(days=1)).astimezone(now.tzinfo)
    try:
        worker.run_once(engine, now=now, public_url=url,
                        smtp=SmtpSender(settings.SmtpSettings("127.0.0.1", smtp.port, "none", "shop@orchard.test")),
                        sms=HttpGateway(settings.SmsSettings(gateway.url)))
    finally:
        gateway.close()
        smtp.stop()


def _message_links(engine, url: str, code: str) -> tuple[tuple[str, ...], str]:
    """The links HQ puts in the store's messages (hq.messages.links), as its worker makes
    them: a quote link for each ``approval_needed`` request HQ holds whose ticket still waits
    for that quote (hq.links.check_quote says so), one per language, and the unsubscribe link
    of the store's first request by e-mail (an e-mail carries one)."""
    from sqlalchemy import select

    from core import clock
    from hq import links as pages
    from hq.messages import links
    from hq.models import hq_row, hq_store
    now = clock.now()
    approve: list[str] = []
    unsubscribe = ""
    with engine.connect() as conn:
        store = conn.execute(select(hq_store.c.store_id, hq_store.c.credential_hash)
                             .where(hq_store.c.code == code)).one()
        requests = conn.execute(select(hq_row.c.entity_id, hq_row.c.data).where(
            hq_row.c.entity == "message_request", hq_row.c.owner_store_id == store.store_id,
            hq_row.c.deleted.is_(False)).order_by(hq_row.c.entity_id)).all()
        for entity_id, data in requests:
            request_id = uuid.UUID(entity_id)
            if not unsubscribe and data.get("channel") == "email":
                unsubscribe = links.unsubscribe_url(url, store.credential_hash, store_id=store.store_id,
                                                    request_id=request_id, now=now)
            if data.get("kind") != "approval_needed" or not data.get("ticket_id") or len(approve) == len(LANGS):
                continue
            link = links.approval_url(url, store.credential_hash, store_id=store.store_id, request_id=request_id,
                                      ticket_id=uuid.UUID(data["ticket_id"]), now=now)
            try:
                pages.check_quote(conn, link.split("?t=", 1)[1], now)
            except pages.Refused:
                continue
            approve.append(link)
    return tuple(approve), unsubscribe


def _survey_invitation(db, actor) -> str:
    """The link a receipt's QR code carries (core.care.invitations) for the newest collected
    repair that can still be asked about; "" when there is none."""
    from sqlalchemy import select

    from core.care import invitations
    from core.models import RepairTicket
    link = invitations.survey_link(db)
    if link is None:
        return ""
    with db.session(write=True) as s:
        for ticket_id in s.scalars(select(RepairTicket.id).where(RepairTicket.status == "collected")
                                   .order_by(RepairTicket.collected_at.desc())):
            inv = invitations.invite(s, actor, link, ticket_id=ticket_id)
            if inv is not None:
                return inv.url
    return ""


def _browser():
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service
    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for arg in ("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu",
                f"--window-size={WIDTH},{HEIGHT}", "--lang=en-US", "--no-first-run", "--hide-scrollbars"):
        options.add_argument(arg)
    driver = webdriver.Chrome(service=Service(CHROMEDRIVER), options=options)
    driver.set_window_size(WIDTH, HEIGHT)
    return driver


_OVERFLOW = """
const out = [];
const doc = document.documentElement;
if (doc.scrollWidth > doc.clientWidth) out.push('page ' + doc.scrollWidth + 'px wide');
for (const el of document.querySelectorAll('.scroll, td, th, button, label, a, input, select')) {
  if (el.scrollWidth > el.clientWidth + 1 && el.clientWidth > 0 && getComputedStyle(el).overflowX !== 'visible')
    out.push((el.id || el.className || el.tagName) + ' ' + el.scrollWidth + '>' + el.clientWidth);
}
return out;
"""


class Shooter:
    def __init__(self, driver, base: str, out: Path):
        self.driver, self.base, self.out = driver, base, out
        self.problems: list[str] = []
        self.saved: list[Path] = []

    def go(self, path: str) -> None:
        self.driver.get(self.base + path)

    def shot(self, lang: str, name: str) -> None:
        d = self.driver
        d.set_window_size(WIDTH, HEIGHT)
        for found in d.execute_script(_OVERFLOW):
            self.problems.append(f"{lang}/{name}: {found}")
        tall = int(d.execute_script("return document.documentElement.scrollHeight"))
        # the window's outer height includes no toolbar in headless mode
        d.set_window_size(WIDTH, max(HEIGHT, min(tall, MAX_HEIGHT)))
        path = self.out / lang / f"{name}.png"
        path.parent.mkdir(parents=True, exist_ok=True)
        d.save_screenshot(str(path))
        d.set_window_size(WIDTH, HEIGHT)
        self.saved.append(path)

    def phone_shot(self, lang: str, name: str, url: str, then: tuple[str, str] | None = None) -> None:
        """A page as a phone shows it (PHONE), its whole height; ``then`` = (button's CSS,
        name): press that button and take the page it leads to as well."""
        d = self.driver
        d.execute_cdp_cmd("Emulation.setDeviceMetricsOverride",
                          {"width": PHONE[0], "height": PHONE[1], "deviceScaleFactor": 1, "mobile": True})
        try:
            d.get(url)
            self.phone_capture(lang, name)
            if then is not None:
                from selenium.webdriver.common.by import By
                from selenium.webdriver.support import expected_conditions as ec
                from selenium.webdriver.support.ui import WebDriverWait
                button = d.find_element(By.CSS_SELECTOR, then[0])
                button.click()
                WebDriverWait(d, 15).until(ec.staleness_of(button))
                self.phone_capture(lang, then[1])
        finally:
            d.execute_cdp_cmd("Emulation.clearDeviceMetricsOverride", {})

    def phone_capture(self, lang: str, name: str) -> None:
        import base64
        d = self.driver
        if int(d.execute_script("return document.documentElement.scrollWidth")) > PHONE[0]:
            self.problems.append(f"{lang}/{name}: scrolls sideways at {PHONE[0]} px")
        data = d.execute_cdp_cmd("Page.captureScreenshot", {"format": "png", "captureBeyondViewport": True})
        path = self.out / lang / f"{name}.png"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(base64.b64decode(data["data"]))
        self.saved.append(path)

    def fill(self, css: str, text: str) -> None:
        from selenium.webdriver.common.by import By
        el = self.driver.find_element(By.CSS_SELECTOR, css)
        el.clear()
        el.send_keys(text)

    def click(self, css: str) -> None:
        from selenium.webdriver.common.by import By
        self.driver.find_element(By.CSS_SELECTOR, css).click()

    def sign_in(self, username: str) -> None:
        self.go("/console/sign-in")
        self.fill("input[name=username]", username)
        self.fill("input[name=password]", PASSWORD)
        self.click("form[action='/console/sign-in'] button[type=submit]")


def shoot(driver, chain: Chain, out: Path, lang: str) -> Shooter:
    s = Shooter(driver, chain.url, out)
    driver.delete_all_cookies()
    s.go(f"/console/lang/{lang}?next=/console/sign-in")
    s.shot(lang, "sign-in")
    s.sign_in("admin2")                         # an admin with two-step sign-in: asked for the code
    s.shot(lang, "sign-in-code")
    driver.delete_all_cookies()
    s.go(f"/console/lang/{lang}?next=/console/sign-in")
    s.fill("input[name=username]", "admin")
    s.fill("input[name=password]", "not-the-password")
    s.click("form[action='/console/sign-in'] button[type=submit]")
    s.shot(lang, "sign-in-wrong")
    s.sign_in("admin")
    pages = [("home", "/console/"), ("stores", "/console/stores"), ("store", "/console/stores/SH01"),
             ("store-unenrolled", "/console/stores/GZ01"), ("pricebooks", "/console/pricebooks"),
             ("pricebook-draft", f"/console/pricebooks/{chain.draft_id}"),
             ("pricebook-review", f"/console/pricebooks/{chain.review_id}/review"),
             ("reference", "/console/reference"), ("reference-services", "/console/reference/services"),
             ("reference-parts", "/console/reference/parts"), ("reference-loyalty", "/console/reference/loyalty"),
             ("figures", "/console/figures"), ("customers", "/console/customers"),
             ("escalations", "/console/escalations"), ("care", "/console/care"),
             ("care-complaint", "/console/care/complaint"), ("messages", "/console/messages"),
             ("messages-log", "/console/messages/log"), ("messages-channels", "/console/messages/channels")]
    if chain.customer_id:
        pages.append(("customer", f"/console/customers/{chain.customer_id}"))
    pages += [("users", "/console/users"), ("user", "/console/users/2"), ("audit", "/console/audit"),
              ("account", "/console/account"), ("not-found", "/console/stores/NOPE")]
    for name, path in pages:
        s.go(path)
        s.shot(lang, name)
    s.go("/console/customers")                 # a search: the key travels in the form's body
    from selenium.webdriver.support.ui import Select
    from selenium.webdriver.common.by import By
    Select(driver.find_element(By.ID, "key-kind")).select_by_value("member")
    s.fill("#key", chain.member_number)
    s.click("#find")
    s.shot(lang, "customers-found")
    s.go("/console/messages/approval_needed/zh_CN/sms")     # a template previewed with the sample filled in
    s.click("#preview")
    s.shot(lang, "messages-preview")
    s.go("/console/stores/GZ01")               # a new one-time enrolment code, shown once
    s.click("form[action='/console/stores/GZ01/code'] button[type=submit]")
    s.shot(lang, "store-code")
    if chain.survey_url:
        driver.delete_all_cookies()             # the customer's phone: no console session
        s.phone_shot(lang, "survey", f"{chain.survey_url}&lang={lang}")
    driver.delete_all_cookies()
    i = LANGS.index(lang)                       # each language answers a quote of its own: a link works once
    if i < len(chain.approve_urls):
        s.phone_shot(lang, "approve", f"{chain.approve_urls[i]}&lang={lang}", then=("#approve", "approve-done"))
    else:
        print(f"{lang}: no approval page: none of SH01's tickets waits for approval at HQ", file=sys.stderr)
    if chain.unsubscribe_url:                   # the confirmation only: opening the link changes nothing
        s.phone_shot(lang, "unsubscribe", f"{chain.unsubscribe_url}&lang={lang}")
    return s


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m tools.console_screenshots",
                                 description="screenshots of every HQ console page, English and Chinese")
    ap.add_argument("--out", type=Path, default=ROOT / "docs" / "screenshots" / "console")
    args = ap.parse_args(argv)
    from hq.db import make_engine, migrate
    with tempfile.TemporaryDirectory(prefix="console-shots-") as tmp:
        folder = Path(tmp)
        db_url = f"sqlite:///{folder / 'hq.sqlite'}"
        engine = make_engine(db_url)
        migrate(engine)
        proc, url = _start_hq(db_url, folder / "hq.log")
        driver = None
        try:
            chain = _seed(folder, engine, url)
            driver = _browser()
            problems: list[str] = []
            count = 0
            for lang in LANGS:
                s = shoot(driver, chain, args.out, lang)
                problems += s.problems
                count += len(s.saved)
            print(f"{count} screenshots in {args.out}")
            for p in problems:
                print("does not fit:", p)
        finally:
            if driver is not None:
                driver.quit()
            proc.terminate()
            proc.wait(10)
            engine.dispose()
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""Customers at HQ in the console (issue 20), against a real HQ process on PostgreSQL and
real encrypted store databases: find a customer by a full key sent in a POST body (never in
a URL, never in HQ's log or the audit log), their page (the stores that serve them, the
on-demand fetches that showed them), the data-subject export (JSON with every row, a PDF
in English and Chinese) and an erasure at HQ that a store which served them applies at its
next pull. Auditors read but neither export nor erase; every form needs its CSRF token."""

from __future__ import annotations

import io
import json
import os
import uuid
from pathlib import Path

from pypdf import PdfReader
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import Select
from sqlalchemy import select

from core import customers as core_customers
from core import privacy
from core.loyalty import enrolment as loyalty
from core.models import Customer, Device
from core.sync import client as sync_client
from hq.models import hq_access, hq_erased, hq_row
from tests.hq_console.conftest import PASSWORD, csrf_of, signed_in, user
from tests.hq_console.conftest import audit_rows as _audit
from tests.hq_console.pages import wait_for as _wait

PHONE, EMAIL = "+8613312345678", "zhang.wei.private@example.net"
SERIAL = "SN-PRIVATE-42"


def _person(store) -> tuple[uuid.UUID, str]:
    """张伟 at ``store``: phone, email, a device, ``hq_transfer`` granted, a member."""
    with store.db.session(write=True) as s:
        c = core_customers.create_customer(s, store.admin, given_name="伟", family_name="张", phone="13312345678",
                                           email=EMAIL)
        cid = c.id
        s.add(Device(customer_id=cid, kind="phone", model="Pear 15", serial=SERIAL))
    with store.db.session(write=True) as s:
        privacy.set_consent(s, store.admin, cid, "hq_transfer", True)
    with store.db.session(write=True) as s:
        terms = loyalty.enrollment_form(s, store.admin, cid).terms_version
        member = loyalty.enroll(s, store.admin, cid, terms_version=terms, programme=True).member_number
    return cid, member


def _served_customer(hq, make_store):
    """Store SA has the customer and syncs; store SB fetches them on demand (by phone) and
    pulls: both serve them, and HQ's fetch log names them."""
    a = make_store("SA", hq)                            # HQ names them "Store SA", "Store SB"
    b = make_store("SB", hq)
    cid, member = _person(a)
    a.sync()
    assert sync_client.fetch_customer(b.db, b.admin, phone="13312345678", region="CN") == [cid]
    b.sync()
    return a, b, cid, member


def _admin(hq, console, name: str = "ada", role: str = "admin"):
    user(hq, name, role)
    return signed_in(console, name)


def _find(c, kind: str, key: str):
    return c.post("/console/customers", {"kind": kind, "key": key})


def test_find_by_a_full_key_in_a_post_body_never_in_a_url_or_a_log(hq, console, make_store):
    a = make_store("SA", hq)
    cid, member = _person(a)
    with a.db.session(write=True) as s:                 # no hq_transfer consent: stores cannot fetch them,
        other = core_customers.create_customer(s, a.admin, given_name="Li", family_name="Na",   # HQ staff can
                                               phone="13399990000").id
    a.sync()
    c = _admin(hq, console)

    form = c.get("/console/customers")
    assert form.status_code == 200 and 'method="post" action="/console/customers"' in form.text
    for kind, key in (("phone", "+86 133 1234 5678"), ("email", EMAIL.upper()), ("member", f" {member} ")):
        r = _find(c, kind, key)
        assert r.status_code == 200, (kind, r.text[-500:])
        assert f'href="/console/customers/{cid}"' in r.text and "张伟" in r.text and member in r.text
        if kind != "member":                             # (a member number is a column of the result)
            assert key not in r.text                     # the key is not echoed back into the form
    r = _find(c, "phone", "+8613399990000")
    assert f'href="/console/customers/{other}"' in r.text and "Li Na" in r.text

    # not found: a key nobody has, and a partial key (refused before any search)
    r = _find(c, "phone", "+8613300000000")
    assert r.status_code == 200 and 'id="nobody"' in r.text and "/console/customers/" + str(cid) not in r.text
    r = _find(c, "phone", "12345678")
    assert r.status_code == 400 and 'id="found"' not in r.text
    r = _find(c, "email", "zhang.wei")
    assert r.status_code == 400 and 'id="found"' not in r.text
    # a key in a query string is not a search
    r = c.get("/console/customers", params={"kind": "phone", "key": PHONE})
    assert r.status_code == 200 and 'id="results"' not in r.text

    # every search audited by kind of key and customers shown; the key itself nowhere
    searches = [e for e in _audit(hq) if e[1] == "customer.search"]
    assert [e[2] for e in searches] == ["phone", "email", "member", "phone", "phone"]
    assert str(cid) in searches[0][3] and searches[0][3].startswith("1 shown")
    assert searches[3][3] == f"1 shown: {other}" and searches[4][3] == "0 shown"
    everything = json.dumps(_audit(hq), ensure_ascii=False) + Path(hq.log).read_text(errors="replace")
    for secret in (PHONE, "13312345678", EMAIL, EMAIL.upper(), member, "zhang.wei", "8613300000000"):
        assert secret not in everything, secret


def test_the_page_shows_serving_stores_and_fetches_and_exports_json_and_pdf(hq, console, make_store):
    a, b, cid, member = _served_customer(hq, make_store)
    c = _admin(hq, console)
    page = c.get(f"/console/customers/{cid}")
    assert page.status_code == 200
    served = page.text.split('id="served"')[1].split("</ul>")[0]
    assert "SA" in served and "Store SA" in served and "SB" in served and "Store SB" in served
    fetches = page.text.split('id="access"')[1].split("</table>")[0]
    assert "SB" in fetches and "phone" in fetches and "SA" not in fetches
    assert member in page.text and PHONE in page.text and SERIAL in page.text
    assert "hq_transfer" in page.text and "in force" in page.text
    assert c.get(f"/console/customers/{uuid.uuid4()}").status_code == 404

    r = c.post(f"/console/customers/{cid}/export.json", {}, page=f"/console/customers/{cid}")
    assert r.status_code == 200 and r.headers["content-type"].startswith("application/json")
    assert "attachment" in r.headers["content-disposition"]
    data = r.json()
    with hq.engine.connect() as conn:
        held = {(e, i) for e, i in conn.execute(select(hq_row.c.entity, hq_row.c.entity_id)
                                                .where(hq_row.c.customer_id == cid))}
    assert {(x["entity"], x["id"]) for x in data["rows"]} == held
    assert {"customer", "device", "consent", "loyalty_account", "loyalty_entry"} <= {e for e, _ in held}
    profile = next(x["data"] for x in data["rows"] if x["entity"] == "customer")
    assert (profile["phone_e164"], profile["email"], profile["family_name"]) == (PHONE, EMAIL, "张")
    assert {s["store_code"] for s in data["served_by"]} == {"SA", "SB"}
    assert [(x["store_code"], x["key_kind"]) for x in data["access_log"]] == [("SB", "phone")]
    assert data["generated"]["by"] == "ada"

    texts = {}
    for lang in ("en", "zh_CN"):
        c.http.cookies.set("hq_lang", lang, path="/console")
        r = c.post(f"/console/customers/{cid}/export.pdf", {}, page=f"/console/customers/{cid}")
        assert r.status_code == 200 and r.content.startswith(b"%PDF")
        texts[lang] = "\n".join(p.extract_text() for p in PdfReader(io.BytesIO(r.content)).pages)
    assert "张伟" in texts["en"] and "Data-subject request" in texts["en"] and "Store SB" in texts["en"]
    assert "张伟" in texts["zh_CN"] and "数据主体请求" in texts["zh_CN"] and "为其服务的门店" in texts["zh_CN"]
    assert member in texts["zh_CN"] and "SB" in texts["zh_CN"]

    exports = [(e[1], e[2], e[3]) for e in _audit(hq) if e[1] == "customer.export"]
    assert exports == [("customer.export", str(cid), "json"), ("customer.export", str(cid), "pdf"),
                       ("customer.export", str(cid), "pdf")]


def test_erasure_at_hq_blanks_them_at_a_store_that_served_them(hq, console, make_store):
    a, b, cid, member = _served_customer(hq, make_store)
    c = _admin(hq, console)
    page = f"/console/customers/{cid}"
    r = c.post(page + "/erase", {"confirm": "erase please"}, page=page)
    assert r.status_code == 400 and "Not erased" in r.text
    with hq.engine.connect() as conn:
        assert conn.scalar(select(hq_erased.c.customer_id).where(hq_erased.c.customer_id == cid)) is None

    r = c.post(page + "/erase", {"confirm": member.lower()}, page=page)
    assert r.status_code == 303 and r.headers["location"].endswith(page + "?msg=customer_erased")
    shown = c.get(page).text
    assert "erased" in shown.split('id="erasure"')[1][:200] and "at HQ" in shown and PHONE not in shown
    assert 'id="erase-form"' not in shown
    assert (c.post(page + "/erase", {"confirm": "ERASE"}, page="/console/customers").status_code == 409)
    ada = next(e[0] for e in _audit(hq) if e[1] == "customer.erase")
    assert ada is not None and [e[2] for e in _audit(hq) if e[1] == "customer.erase"] == [str(cid)]

    # the store that fetched them (and the one that made them) blank the person on their next pull
    for store in (b, a):
        store.sync()
        with store.db.session() as s:
            row = s.get(Customer, cid)
            assert row.erased is True and (row.given_name, row.family_name, row.phone_e164, row.email) == \
                ("", "", None, None)
            assert [d.serial for d in s.scalars(select(Device).where(Device.customer_id == cid))] == [None]
    # HQ finds them by no key any more, and a store cannot fetch them either
    assert 'id="nobody"' in _find(c, "phone", PHONE).text
    assert 'id="nobody"' in _find(c, "member", member).text
    with hq.engine.connect() as conn:
        assert conn.scalar(select(hq_erased.c.store_id).where(hq_erased.c.customer_id == cid)) is None
        text = json.dumps([r.data for r in conn.execute(select(hq_row).where(hq_row.c.customer_id == cid))],
                          ensure_ascii=False)
    assert PHONE not in text and EMAIL not in text and SERIAL not in text and "张" not in text


def test_an_auditor_reads_but_cannot_export_or_erase_and_forms_need_their_token(hq, console, make_store):
    a, b, cid, member = _served_customer(hq, make_store)
    page = f"/console/customers/{cid}"
    aud = _admin(hq, console, "audrey", "auditor")
    assert _find(aud, "phone", PHONE).status_code == 200
    shown = aud.get(page)
    assert shown.status_code == 200 and 'id="dsr"' not in shown.text
    token = csrf_of(shown.text)
    for action in ("/export.json", "/export.pdf", "/erase"):
        r = aud.post(page + action, {"confirm": "ERASE"}, csrf=token)
        assert r.status_code == 403 and PHONE not in r.text, action
    user(hq, "rita", "pricing")
    pricing = console()
    assert pricing.sign_in("rita").status_code == 303
    assert pricing.get("/console/customers").status_code == 403 and pricing.get(page).status_code == 403

    admin = _admin(hq, console)
    for bad in (None, "", "x" * 43, token):               # the auditor's token is not the admin's
        assert admin.post(page + "/erase", {"confirm": "ERASE"}, csrf=bad).status_code == 403
        assert admin.post(page + "/export.json", {}, csrf=bad).status_code == 403
        assert admin.post("/console/customers", {"kind": "phone", "key": PHONE}, csrf=bad).status_code == 403
    with hq.engine.connect() as conn:
        assert conn.scalar(select(hq_erased.c.customer_id).where(hq_erased.c.customer_id == cid)) is None
        assert conn.execute(select(hq_access)).first() is not None
    assert not [e for e in _audit(hq) if e[1] in ("customer.export", "customer.erase")]


def test_in_the_browser_find_a_customer_and_see_where_they_are_served(hq, browser, make_store):
    a, b, cid, member = _served_customer(hq, make_store)
    user(hq, "ada")
    shots = os.environ.get("CONSOLE_SHOTS")            # a folder: also save the pages as PNG
    for lang in ("en", "zh_CN"):
        browser.delete_all_cookies()
        browser.get(hq.url + "/console/sign-in")
        browser.add_cookie({"name": "hq_lang", "value": lang, "path": "/console"})
        browser.get(hq.url + "/console/sign-in?next=/console/customers")
        _wait(browser, "#username").send_keys("ada")
        browser.find_element(By.ID, "password").send_keys(PASSWORD)
        browser.find_element(By.ID, "sign-in").click()
        Select(_wait(browser, "#key-kind")).select_by_value("phone")
        browser.find_element(By.ID, "key").send_keys(PHONE)
        browser.find_element(By.ID, "find").click()
        _wait(browser, "#found a")
        assert PHONE not in browser.current_url and "key=" not in browser.current_url
        if shots:
            browser.save_screenshot(f"{shots}/customers_find_{lang}.png")
        browser.find_element(By.CSS_SELECTOR, "#found a").click()
        assert _wait(browser, "#customer-name").text == "张伟"
        served = browser.find_element(By.ID, "served").text
        assert "SA" in served and "SB" in served
        assert "SB" in browser.find_element(By.ID, "access").text
        for size in ((768, 1024), (1280, 800)):          # a tablet, then the desktop again
            browser.set_window_size(*size)
            assert browser.execute_script("return document.documentElement.scrollWidth <= window.innerWidth")
        if shots:
            browser.save_screenshot(f"{shots}/customers_view_{lang}.png")
            browser.execute_script("window.scrollTo(0, document.body.scrollHeight)")
            browser.save_screenshot(f"{shots}/customers_view_bottom_{lang}.png")

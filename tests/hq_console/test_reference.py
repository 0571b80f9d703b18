"""Service types and skills, parts and prices, loyalty rules: drafted, reviewed and published
from the console against a real HQ process on PostgreSQL, then pulled by a real encrypted
store that books with the new service type's duration and earns with the new rules."""

from __future__ import annotations

import re
import threading
import time
from datetime import date, timedelta

import pytest
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import Select
from sqlalchemy import select, text

from core import appointments as ap, clock, customers, loyalty, staff
from core.appointments import TemplateView, local_instant
from core.models import Part, Purchase, ServiceType
from core.permissions import Role
from hq import publish as hq_publish
from hq.console import accounts, reference
from hq.console.accounts import ConsoleError
from hq.models import hq_console_audit, hq_reference_draft, hq_user
from tests.hq.util import hq_rows
from tests.hq_console.conftest import csrf_of, region, user
from tests.hq_console.pages import wait_for as _wait, press as _press, sign_in as _sign_in

SERVICES, PARTS, LOYALTY = "/console/reference/services", "/console/reference/parts", "/console/reference/loyalty"
DAY = date(2030, 6, 3)                      # a Monday: the store opens 09:00-19:00


def signed_in(console, username):
    c = console()
    assert c.sign_in(username).status_code == 303
    return c


def draft_id(hq, kind):
    with hq.engine.connect() as conn:
        return conn.scalar(select(hq_reference_draft.c.id).where(hq_reference_draft.c.kind == kind)
                           .order_by(hq_reference_draft.c.id.desc()).limit(1))


def draft_status(hq, kind):
    with hq.engine.connect() as conn:
        return conn.scalar(select(hq_reference_draft.c.status).where(hq_reference_draft.c.id == draft_id(hq, kind)))


def act(c, page, kind_id, action, data=None):
    return c.post(f"{page}/drafts/{kind_id}/{action}", data or {}, page=page)


def audit_log(hq):
    with hq.engine.connect() as conn:
        return [(r.username, r.action) for r in conn.execute(
            select(hq_user.c.username, hq_console_audit.c.action)
            .select_from(hq_console_audit.join(hq_user, hq_user.c.id == hq_console_audit.c.user_id))
            .where(hq_console_audit.c.action.like("reference.%")).order_by(hq_console_audit.c.id))]


def field_error(html, name):
    found = re.search(rf'<p class="error" id="e-{name}">([^<]*)</p>', html)
    return found.group(1) if found else None


SOLDER = {"code": "micro_solder", "name": "Micro soldering", "duration_min": "90", "buffer_min": "15",
          "required_skill": "", "new_skill": "soldering", "price": "129.50", "is_repair": "1", "active": "1"}


def test_a_service_type_goes_from_draft_to_a_store_that_books_it_for_its_duration(hq, console, make_store):
    user(hq, "pia", "pricing")
    user(hq, "pete", "pricing")
    pia = signed_in(console, "pia")
    page = pia.get(SERVICES)
    assert page.status_code == 200 and "HQ holds no service types yet." in page.text
    assert pia.post(SERVICES + "/drafts", {"title": "Soldering"}, page=SERVICES).status_code == 303
    sid = draft_id(hq, "services")

    # wrong fields: each message beside its field, what was typed kept, nothing saved
    bad = act(pia, SERVICES, sid, "item", {**SOLDER, "code": "Micro Solder", "duration_min": "4", "price": "12,9.5x"})
    assert bad.status_code == 400
    assert field_error(bad.text, "code") == "A code is 1 to 24 lower-case letters, digits or underscores."
    assert field_error(bad.text, "duration_min") == "Give whole minutes from 5 to 480."
    assert field_error(bad.text, "price") == "Give a price such as 49 or 49.50."
    assert field_error(bad.text, "name") is None and 'value="Micro soldering"' in bad.text
    assert 'id="f-code" name="code" value="Micro Solder"' in bad.text and 'aria-invalid="true"' in bad.text

    assert act(pia, SERVICES, sid, "item", SOLDER).status_code == 303
    page = pia.get(SERVICES).text
    assert "added" in page and "Micro soldering" in page and "129.50" in page
    assert re.search(r"<td>Soldering|<td>soldering</td>", page)         # the new skill is listed
    assert act(pia, SERVICES, sid, "submit").status_code == 303 and draft_status(hq, "services") == "review"

    # the drafter cannot publish it; nothing reaches HQ's rows
    mine = act(pia, SERVICES, sid, "publish")
    assert mine.status_code == 403 and "A second person publishes" in mine.text
    assert hq_rows(hq, "service_type") == {}

    pete = signed_in(console, "pete")
    review = pete.get(SERVICES).text
    assert 'id="publish"' in review and "Micro soldering" in review
    assert act(pete, SERVICES, sid, "publish").status_code == 303
    assert draft_status(hq, "services") == "published"
    (row,) = hq_rows(hq, "service_type").values()
    assert (row["data"]["code"], row["data"]["duration_min"], row["data"]["price_cents"]) == ("micro_solder", 90, 12950)
    assert audit_log(hq) == [("pia", "reference.draft"), ("pia", "reference.item"), ("pia", "reference.submit"),
                             ("pete", "reference.publish")]
    assert "Published: stores take it on their next sync." in pete.get(SERVICES + "?msg=published").text

    # a real store pulls it and books a technician with the skill for 90 + 15 minutes
    store = make_store("SA", hq)
    assert store.sync().rejected == 0
    with store.db.session(write=True) as s:
        service = s.scalars(select(ServiceType).where(ServiceType.code == "micro_solder")).one()
        assert (service.duration_min, service.buffer_min, service.required_skill) == (90, 15, "soldering")
        solderer = staff.create_staff(s, store.admin, display_name="Li Qiang", role=Role.TECHNICIAN,
                                      password="password-1", pin=None, skills=["soldering"])
        other = staff.create_staff(s, store.admin, display_name="Tom Becker", role=Role.TECHNICIAN,
                                   password="password-1", pin=None, skills=["screen"])
        for t in (solderer, other):
            ap.set_week_template(s, store.admin, t.id, [TemplateView(wd, "work", 9 * 60, 18 * 60) for wd in range(6)])
        service_id = service.id
    with store.db.session() as s:
        slots = ap.find_slots(s, store.admin, service_id, DAY, now=local_instant("Asia/Shanghai", DAY, 8 * 60))
    assert slots and {x.technician for x in slots} == {"Li Qiang"}
    assert all(x.ends_at - x.starts_at == timedelta(minutes=90) for x in slots)
    assert all(x.blocked_until - x.starts_at == timedelta(minutes=105) for x in slots)
    assert slots[-1].blocked_until <= local_instant("Asia/Shanghai", DAY, 18 * 60)

    # pete deactivates it in a second draft, pia publishes; the store stops offering it
    assert pete.post(SERVICES + "/drafts", {"title": "Stop soldering"}, page=SERVICES).status_code == 303
    second = draft_id(hq, "services")
    assert act(pete, SERVICES, second, "active", {"code": "micro_solder", "active": ""}).status_code == 303
    assert "deactivated" in pete.get(SERVICES).text
    act(pete, SERVICES, second, "submit")
    assert act(pia, SERVICES, second, "publish").status_code == 303
    store.sync()
    with store.db.session() as s:
        assert s.get(ServiceType, service_id).active is False
        assert [t.code for t in ap.list_service_types(s, store.admin)] == []


@pytest.mark.parametrize("hq", ["postgresql", "sqlite"], indirect=True)      # sqlite: the demo's HQ
def test_parts_and_prices_change_by_sku_and_reach_a_store(hq, console, make_store):
    user(hq, "pia", "pricing")
    user(hq, "ada", "admin")
    pia, ada = signed_in(console, "pia"), signed_in(console, "ada")
    pia.post(PARTS + "/drafts", {"title": "iPhone 15 screens"}, page=PARTS)
    first = draft_id(hq, "parts")
    bad = act(pia, PARTS, first, "item", {"sku": "no spaces", "name": "", "price": "-3"})
    assert bad.status_code == 400
    assert field_error(bad.text, "sku") and field_error(bad.text, "name") and field_error(bad.text, "price")
    act(pia, PARTS, first, "item", {"sku": "scr-ip15", "name": "iPhone 15 screen", "price": "899", "fits": "iPhone 15"})
    act(pia, PARTS, first, "submit")
    assert act(ada, PARTS, first, "publish").status_code == 303
    store = make_store("SP", hq)
    store.sync()
    with store.db.session() as s:
        part = s.scalars(select(Part).where(Part.sku == "SCR-IP15")).one()
        assert (part.name, part.price_cents, part.fits) == ("iPhone 15 screen", 89900, "iPhone 15")

    # a new price: the diff shows what is in force beside the draft
    ada.post(PARTS + "/drafts", {"title": "Cheaper screens"}, page=PARTS)
    second = draft_id(hq, "parts")
    act(ada, PARTS, second, "item", {"sku": "SCR-IP15", "name": "iPhone 15 screen", "price": "799.00",
                                     "fits": "iPhone 15"})
    changes = ada.get(PARTS).text
    table = changes[changes.index('id="changes"'):changes.index("</table>", changes.index('id="changes"'))]
    assert "changed" in table and "Price: 899.00" in table and "Price: <strong>799.00</strong>" in table
    assert "Name" not in table                        # only what changes
    act(ada, PARTS, second, "submit")
    # pia returns it with a note; ada resubmits; pia publishes
    assert act(pia, PARTS, second, "return", {"note": "Check the supplier's price"}).status_code == 303
    assert draft_status(hq, "parts") == "draft" and "Check the supplier&#39;s price" in pia.get(PARTS).text
    act(ada, PARTS, second, "submit")
    assert act(pia, PARTS, second, "publish").status_code == 303
    store.sync()
    with store.db.session() as s:
        assert s.get(Part, part.id).price_cents == 79900
    closed = act(pia, PARTS, second, "withdraw")
    assert closed.status_code == 409 and "published or withdrawn" in closed.text
    assert [a for _, a in audit_log(hq)].count("reference.publish") == 2


def rules_form(version, valid_from, **over):
    form = {"version": version, "valid_from": valid_from, "earn_unit": "1.00", "earn_purchase": "3",
            "earn_ticket": "2", "bonus_welcome": "500", "bonus_birthday": "100", "bonus_tradein": "300",
            "expiry_days": "365",
            "tier_code_0": "silver", "tier_min_0": "0", "tier_discount_0": "0",
            "tier_code_1": "gold", "tier_min_1": "8000", "tier_priority_1": "1", "tier_discount_1": "10",
            "tier_code_2": "platinum", "tier_min_2": "20000", "tier_priority_2": "1", "tier_discount_2": "15"}
    return {**form, **over}


def test_loyalty_rules_published_from_hq_are_the_rules_a_store_earns_by(hq, console, make_store):
    user(hq, "lia", "loyalty")
    user(hq, "leo", "loyalty")
    lia = signed_in(console, "lia")
    assert "The stores' built-in rules" in lia.get(LOYALTY).text
    lia.post(LOYALTY + "/drafts", {"title": "Rules for next year"}, page=LOYALTY)
    rid = draft_id(hq, "loyalty")
    today = clock.system_clock().date()            # HQ's process runs on the machine's clock
    bad = act(lia, LOYALTY, rid, "rules", rules_form("", (today - timedelta(days=1)).isoformat(),
                                                     tier_min_0="500", earn_purchase="many"))
    assert bad.status_code == 400
    assert field_error(bad.text, "version").startswith("A version is 1 to 20")
    assert field_error(bad.text, "valid_from") == "The first day cannot be in the past."
    assert field_error(bad.text, "earn_purchase") == "Give a whole number from 0 to 1000."
    assert field_error(bad.text, "tier_min_0") is None       # checked once the rest is right
    bad = act(lia, LOYALTY, rid, "rules", rules_form("2027.1", today.isoformat(), tier_min_0="500"))
    assert field_error(bad.text, "tier_min_0") == "The entry tier starts at 0."

    assert act(lia, LOYALTY, rid, "rules", rules_form("2027.1", today.isoformat())).status_code == 303
    diff = lia.get(LOYALTY).text
    assert "Points per unit: purchases" in diff and "<strong>3</strong>" in diff and "(changed)" in diff
    act(lia, LOYALTY, rid, "submit")
    leo = signed_in(console, "leo")
    assert act(leo, LOYALTY, rid, "publish").status_code == 303
    assert "Version 2027.1, since" in leo.get(LOYALTY).text

    # a real store pulls the rules: the welcome bonus and the earn rate are HQ's
    store = make_store("SL", hq)
    store.sync()
    now = clock.system_clock().replace(microsecond=0)
    with clock.pinned(now), store.db.session(write=True) as s:
        rules = loyalty.current_rules(s, store.admin)
        assert (rules.version, rules.points_per_unit["purchase"], rules.expiry_days) == ("2027.1", 3, 365)
        assert [t.code for t in rules.tiers] == ["platinum", "gold", "silver"]
        cid = customers.create_customer(s, store.admin, given_name="Anna", family_name="Smith").id
        member = loyalty.enroll(s, store.admin, cid, terms_version=rules.terms_version, programme=True, now=now)
        assert member.balance == 500
        bought = Purchase(customer_id=cid, at=now, description="iPhone 16", sku="IP16", total_cents=12345)
        s.add(bought)
        s.flush()
        earned = loyalty.earn(s, store.admin, member.id, ref_type="purchase", ref_id=bought.id, now=now)
    assert earned.entry.points == 123 * 3 and earned.balance == 500 + 369

    # the version cannot be published twice
    lia.post(LOYALTY + "/drafts", {"title": "Again"}, page=LOYALTY)
    again = act(lia, LOYALTY, draft_id(hq, "loyalty"), "rules", rules_form("2027.1", today.isoformat()))
    assert field_error(again.text, "version") == "Version 2027.1 is published already."


def test_each_role_edits_only_its_own_kind_and_every_form_needs_its_token(hq, console):
    for name, role in (("pia", "pricing"), ("lia", "loyalty"), ("otto", "auditor"), ("ada", "admin")):
        user(hq, name, role)
    pia, lia, otto = signed_in(console, "pia"), signed_in(console, "lia"), signed_in(console, "otto")
    # pricing reads the loyalty rules and cannot change them
    page = pia.get(LOYALTY)
    assert page.status_code == 200 and 'id="start-draft"' not in page.text and 'id="no-draft"' in page.text
    assert pia.post(LOYALTY + "/drafts", {"title": "x"}, page=LOYALTY).status_code == 403
    # loyalty reads parts and cannot change them
    assert 'id="start-draft"' not in lia.get(PARTS).text
    assert lia.post(PARTS + "/drafts", {"title": "x"}, page=PARTS).status_code == 403
    # an auditor reads all three and changes nothing
    for path in ("/console/reference", SERVICES, PARTS, LOYALTY):
        r = otto.get(path)
        assert r.status_code == 200 and 'id="start-draft"' not in r.text, path
    for path in (SERVICES, PARTS, LOYALTY):
        assert otto.post(path + "/drafts", {"title": "x"}, page=path).status_code == 403
    # a draft pia started cannot be moved on by the loyalty role either
    pia.post(SERVICES + "/drafts", {"title": "<script>alert(1)</script>"}, page=SERVICES)
    sid = draft_id(hq, "services")
    shown = otto.get(SERVICES).text
    assert "Draft: &lt;script&gt;alert(1)&lt;/script&gt;" in shown and "<script>" not in shown
    assert act(lia, SERVICES, sid, "item", SOLDER).status_code == 403
    assert act(otto, SERVICES, sid, "withdraw").status_code == 403
    # a regional manager does not see reference data at all
    user(hq, "rita", "regional", region_id=region(hq, "East"))
    assert signed_in(console, "rita").get(SERVICES).status_code == 403
    # CSRF: no token or another session's: 403, nothing changes
    for token in (None, "", "x" * 43, csrf_of_other(console)):
        r = pia.post(f"{SERVICES}/drafts/{sid}/item", SOLDER, csrf=token)
        assert r.status_code == 403 and "did not come from this console" in r.text
        assert lia.post(LOYALTY + "/drafts", {"title": "x"}, csrf=token).status_code == 403
    with hq.engine.connect() as conn:
        assert conn.scalar(select(hq_reference_draft.c.data).where(hq_reference_draft.c.id == sid))["items"] == {}
        assert conn.scalar(select(hq_reference_draft.c.id).where(hq_reference_draft.c.kind == "loyalty")) is None
    # one open draft per kind
    again = pia.post(SERVICES + "/drafts", {"title": "Second"}, page=SERVICES)
    assert again.status_code == 409 and "open draft already" in again.text


def test_a_second_reviewer_waits_for_the_first_and_publishes_nothing(hq, console, monkeypatch):
    """Two reviewers press Publish at once: the draft's row is locked while the first one's
    rows are written, so the second finds it published (on PostgreSQL, HQ's database)."""
    ids = {name: user(hq, name, "pricing") for name in ("pia", "pete", "paul")}
    pia = signed_in(console, "pia")
    pia.post(PARTS + "/drafts", {"title": "Batteries"}, page=PARTS)
    pid = draft_id(hq, "parts")
    act(pia, PARTS, pid, "item", {"sku": "BAT-IP14", "name": "iPhone 14 battery", "price": "299"})
    act(pia, PARTS, pid, "submit")
    writing, release = threading.Event(), threading.Event()
    calls = []
    real = hq_publish.publish

    def held(engine, changes, **kw):
        calls.append(len(changes))
        writing.set()
        assert release.wait(60)
        return real(engine, changes, **kw)
    monkeypatch.setattr(hq_publish, "publish", held)
    outcome = {}

    def press(name):
        try:
            outcome[name] = reference.publish(hq.engine, "parts", pid, accounts.get_user(hq.engine, ids[name]))
        except ConsoleError as exc:
            outcome[name] = (exc.status, exc.message)
    first = threading.Thread(target=press, args=("pete",))
    first.start()
    assert writing.wait(30)
    second = threading.Thread(target=press, args=("paul",))
    second.start()
    deadline = time.monotonic() + 30
    try:
        with hq.engine.connect() as conn:        # paul's request waits on the draft's row lock
            while conn.scalar(text("SELECT count(*) FROM pg_stat_activity WHERE wait_event_type = 'Lock' "
                                   "AND datname = current_database()")) < 1:
                assert time.monotonic() < deadline and len(calls) == 1, "the second publish did not wait"
                conn.rollback()
    finally:
        release.set()
    first.join(60)
    second.join(60)
    assert calls == [1]
    assert outcome == {"pete": 1, "paul": (409, "This draft was published or withdrawn: nothing more can be done "
                                                "with it.")}
    assert [a for _, a in audit_log(hq)].count("reference.publish") == 1


def csrf_of_other(console):
    """A real token, of another person's session."""
    return csrf_of(signed_in(console, "ada").get(SERVICES).text)


# --- in a real browser ------------------------------------------------------------------------------

def test_drafting_and_publishing_a_service_type_in_the_browser(hq, browser):
    user(hq, "pia", "pricing")
    user(hq, "pete", "pricing")
    _sign_in(browser, hq, "pia")
    _press(browser, browser.find_element(By.LINK_TEXT, "Services, parts, loyalty"))
    assert _wait(browser, "#tab-services").get_attribute("aria-current") == "page"
    _press(browser, _wait(browser, "#start"))
    assert _wait(browser, ".notice").text == "Draft started."
    form = {"f-code": "micro_solder", "f-name": "Micro soldering", "f-duration_min": "4", "f-buffer_min": "15",
            "f-price": "129.50"}
    for field_id, value in form.items():
        box = browser.find_element(By.ID, field_id)
        box.clear()
        box.send_keys(value)
    Select(browser.find_element(By.ID, "f-required_skill")).select_by_value("board")
    _press(browser, browser.find_element(By.ID, "save-item"))
    # the message sits beside the duration, and the rest is still filled in
    assert _wait(browser, "#e-duration_min").text == "Give whole minutes from 5 to 480."
    assert browser.find_element(By.ID, "f-duration_min").get_attribute("aria-describedby") == "e-duration_min"
    assert browser.find_element(By.ID, "f-name").get_attribute("value") == "Micro soldering"
    duration = browser.find_element(By.ID, "f-duration_min")
    duration.clear()
    duration.send_keys("90")
    _press(browser, browser.find_element(By.ID, "save-item"))
    assert _wait(browser, ".notice").text == "The draft is saved."
    assert "added" in browser.find_element(By.ID, "changes").text
    _press(browser, browser.find_element(By.ID, "submit"))
    assert _wait(browser, "#draft-status").text == "in review"
    assert browser.find_element(By.ID, "second-person").is_displayed()

    _sign_in(browser, hq, "pete")
    browser.get(hq.url + SERVICES)
    _press(browser, _wait(browser, "#publish"))
    assert _wait(browser, ".notice").text == "Published: stores take it on their next sync."
    row = browser.find_element(By.ID, "svc-micro_solder").text
    assert "Micro soldering" in row and "90" in row and "129.50" in row and "Logic boards" in row
    assert "Pia" in browser.find_element(By.ID, "history").text
    overflow = browser.execute_script("return document.documentElement.scrollWidth - "
                                      "document.documentElement.clientWidth")
    assert overflow <= 0

"""The escalations queue (issue 20) against a real HQ process on PostgreSQL and real enrolled
encrypted store databases: a store raises an escalation over HTTP (core.sync.escalations),
the regional manager of its region sees and works it in the console, another region's
manager and an auditor do not; steps allowed and refused (ONE table); overdue marks with a
pinned clock; notes both ways (the store reads HQ's note); every change audited; CSRF."""

from __future__ import annotations

import os
import uuid
from datetime import datetime, timedelta, timezone
from zoneinfo import ZoneInfo

import pytest
from selenium.webdriver.common.by import By
from sqlalchemy import select, update

from core import clock
from core.errors import PermissionDenied
from core.permissions import Actor, Role
from core.sync import escalations as store_side
from core.sync.client import HqRefused, SyncError
from hq import escalations
from hq.common import StoreAuth
from hq.console.accounts import get_user
from hq.models import hq_console_audit, hq_escalation, hq_escalation_note, hq_store
from tests.hq_console.conftest import PASSWORD, audit_rows, region, user
from tests.hq_console.conftest import signed_in as _signed_in
from tests.hq_console.pages import wait_for as _wait

CUSTOMER = uuid.UUID("6f1c2a9e-0b7d-4a51-9c3e-2d8f7a6b5c41")
SUMMARY = "Screen repair failed twice; customer asks for a refund"


def _stores(hq, make_store):
    """SA in North (Asia/Shanghai), SB in South; a regional manager for each."""
    north, south = region(hq, "North"), region(hq, "South")
    a, b = make_store("SA", hq), make_store("SB", hq)
    with hq.engine.begin() as conn:
        conn.execute(update(hq_store).where(hq_store.c.code == "SA").values(region_id=north,
                                                                            timezone="Asia/Shanghai"))
        conn.execute(update(hq_store).where(hq_store.c.code == "SB").values(region_id=south,
                                                                            timezone="Europe/London"))
    user(hq, "nora", "regional", region_id=north)
    user(hq, "sam", "regional", region_id=south)
    return a, b


def _audit(hq) -> list[tuple]:
    return audit_rows(hq, "escalation.%")


def _state(hq, esc_id: int) -> str:
    with hq.engine.connect() as conn:
        return conn.scalar(select(hq_escalation.c.state).where(hq_escalation.c.id == esc_id))


def test_a_store_raises_one_its_regional_manager_sees_it_others_do_not(hq, console, make_store):
    a, b = _stores(hq, make_store)
    ref = uuid.uuid4()
    esc = store_side.raise_escalation(a.db, a.admin, kind="complaint", priority="high", summary=SUMMARY,
                                      customer_id=CUSTOMER, ref=ref)
    assert (esc.state, esc.priority, esc.customer_id, esc.overdue) == ("new", "high", CUSTOMER, False)
    assert esc.due_at - esc.created_at == timedelta(hours=24)
    # the answer was lost and the store sends it again: still one escalation
    again = store_side.raise_escalation(a.db, a.admin, kind="complaint", priority="high", summary=SUMMARY,
                                        customer_id=CUSTOMER, ref=ref)
    assert again.id == esc.id
    with hq.engine.connect() as conn:
        assert conn.scalar(select(hq_escalation.c.store_code).where(hq_escalation.c.id == esc.id)) == "SA"
        assert len(conn.execute(select(hq_escalation)).all()) == 1

    nora = _signed_in(console, "nora")
    page = nora.get("/console/escalations")
    assert page.status_code == 200 and SUMMARY in page.text and 'href="/console/escalations"' in page.text
    assert "Due (Asia/Shanghai)" in page.text               # the zone her region's stores share
    assert nora.get(f"/console/escalations/{esc.id}").status_code == 200

    sam = _signed_in(console, "sam")
    assert SUMMARY not in sam.get("/console/escalations").text
    refused = sam.get(f"/console/escalations/{esc.id}")
    assert refused.status_code == 403 and SUMMARY not in refused.text
    assert sam.post(f"/console/escalations/{esc.id}", {"step": "acknowledge"},
                    page="/console/escalations").status_code == 403
    assert _state(hq, esc.id) == "new"

    user(hq, "otto", "auditor")                               # no escalations.handle: no access at all
    otto = _signed_in(console, "otto")
    assert otto.get("/console/escalations").status_code == 403
    assert 'href="/console/escalations"' not in otto.get("/console/").text
    user(hq, "ada", "admin")
    assert SUMMARY in _signed_in(console, "ada").get("/console/escalations").text

    # a store sees its own only, and cannot write on another store's
    assert [e.id for e in store_side.my_escalations(a.db, a.admin)] == [esc.id]
    assert store_side.my_escalations(b.db, b.admin) == []
    with pytest.raises(SyncError):
        store_side.add_note(b.db, b.admin, esc.id, "We will look at it")
    # an associate may not raise one; contact details never go in the text
    associate = Actor(uuid.uuid4(), a.store_id, Role.ASSOCIATE)
    with pytest.raises(PermissionDenied):
        store_side.raise_escalation(a.db, associate, kind="complaint", summary="Screen broken again")
    for bad in ("Call her on 133 1234 5678", "write to zhang.wei@example.net", "bell\x07 rings"):
        with pytest.raises(SyncError):
            store_side.raise_escalation(a.db, a.admin, kind="complaint", summary=bad)
    with pytest.raises(HqRefused):                             # a store without a credential
        with hq.engine.begin() as conn:
            conn.execute(update(hq_store).where(hq_store.c.code == "SB").values(credential_hash=None))
        store_side.my_escalations(b.db, b.admin)
    assert [(u, act, target) for u, act, target, _ in _audit(hq)] == [(None, "escalation.raise", f"#{esc.id} SA")]


def test_steps_allowed_and_refused_and_notes_both_ways(hq, console, make_store):
    a, _ = _stores(hq, make_store)
    esc = store_side.raise_escalation(a.db, a.admin, kind="overdue_complaint", summary=SUMMARY,
                                      customer_id=CUSTOMER)
    nora = _signed_in(console, "nora")
    nora_id = dict((name, i) for i, name in _user_ids(hq))["nora"]
    path = f"/console/escalations/{esc.id}"

    # CSRF: missing or wrong token -> 403, nothing changes
    assert nora.post(path, {"step": "acknowledge"}, csrf=None).status_code == 403
    assert nora.post(path, {"step": "acknowledge"}, csrf="not-the-token").status_code == 403
    assert _state(hq, esc.id) == "new"

    refused = nora.post(path, {"step": "resolve"})             # new -> resolved is not in the table
    assert refused.status_code == 409 and "not allowed" in refused.text and _state(hq, esc.id) == "new"
    bare = nora.post(path, {"step": "return", "note": "  "})    # returning needs a note
    assert bare.status_code == 400 and "needs one saying why" in bare.text and _state(hq, esc.id) == "new"
    personal = nora.post(path, {"step": "note", "note": "Ring the customer on 13312345678"})
    assert personal.status_code == 400 and "13312345678" not in personal.text

    assert nora.post(path, {"step": "acknowledge"}).status_code == 303
    page = nora.get(path).text
    assert 'value="start"' in page and 'value="acknowledge"' not in page and 'value="reopen"' not in page
    assert nora.post(path, {"step": "start", "note": "Looking at the repair history"}).status_code == 303

    # the store answers; HQ sees it
    store_side.add_note(a.db, a.admin, esc.id, "Customer prefers a replacement device")
    assert "Customer prefers a replacement device" in nora.get(path).text

    hq_note = "Offer a loan phone and a second repair at no charge"
    assert nora.post(path, {"step": "return", "note": hq_note}).status_code == 303
    assert _state(hq, esc.id) == "returned"
    assert nora.post(path, {"step": "resolve"}).status_code == 409          # returned -> resolved: no

    # the store reads HQ's notes and the state at its next look
    before = clock.system_clock() - timedelta(minutes=5)
    mine = store_side.my_escalations(a.db, a.admin, since=before)
    assert [(e.id, e.state, e.overdue) for e in mine] == [(esc.id, "returned", False)]
    notes = [(n.from_hq, n.role, n.action, n.text) for n in mine[0].notes]
    assert notes == [(True, "regional", "start", "Looking at the repair history"),
                     (False, None, None, "Customer prefers a replacement device"),
                     (True, "regional", "return", hq_note)]
    assert mine[0].notes[1].staff_id == a.admin.staff_id
    assert store_side.my_escalations(a.db, a.admin, since=clock.system_clock() + timedelta(hours=1)) == []

    assert nora.post(path, {"step": "reopen"}).status_code == 303
    assert nora.post(path, {"step": "resolve"}).status_code == 303 and _state(hq, esc.id) == "resolved"

    trail = [(u, act, detail) for u, act, _, detail in _audit(hq)]
    assert trail == [(None, "escalation.raise", f"kind=overdue_complaint priority=normal staff={a.admin.staff_id}"),
                     (nora_id, "escalation.acknowledge", "new->acknowledged"),
                     (nora_id, "escalation.start", "acknowledged->in_progress with a note"),
                     (None, "escalation.store_note", f"staff={a.admin.staff_id}"),
                     (nora_id, "escalation.return", "in_progress->returned with a note"),
                     (nora_id, "escalation.reopen", "returned->in_progress"),
                     (nora_id, "escalation.resolve", "in_progress->resolved")]
    with hq.engine.connect() as conn:                          # no note text in the audit log
        assert all(hq_note not in str(r) for r in conn.execute(select(hq_console_audit)))
        assert conn.scalar(select(hq_escalation_note.c.text).where(
            hq_escalation_note.c.action == "return")) == hq_note


def test_due_times_and_overdue_marks_follow_the_clock(hq, console, make_store):
    a, _ = _stores(hq, make_store)
    auth = StoreAuth(a.store_id, "SA", False)
    nora = get_user(hq.engine, dict((name, i) for i, name in _user_ids(hq))["nora"])
    t0 = datetime(2026, 3, 7, 9, 0, tzinfo=timezone.utc)
    with clock.pinned(t0) as pinned:
        high = escalations.raise_escalation(hq.engine, auth, _body("Refund refused at the counter", "high"),
                                            clock.now())
        pinned.advance(hours=1)
        normal = escalations.raise_escalation(hq.engine, auth, _body("Repair delayed a week", "normal"), clock.now())
        assert high["due_at"] == (t0 + timedelta(hours=24)).isoformat()
        assert normal["due_at"] == (t0 + timedelta(hours=73)).isoformat()
        pinned.advance(hours=22, minutes=59)                  # 23:59 after the first: nothing overdue
        assert [e.overdue(clock.now()) for e in escalations.queue(hq.engine, nora, clock.now())] == [False, False]
        pinned.advance(minutes=2)                             # 24:01: the high one is overdue, and first
        found = escalations.queue(hq.engine, nora, clock.now())
        assert [(e.id, e.overdue(clock.now())) for e in found] == [(high["id"], True), (normal["id"], False)]
        escalations.act(hq.engine, nora, high["id"], "acknowledge", "", clock.now())
        escalations.act(hq.engine, nora, high["id"], "resolve", "", clock.now())   # resolved: no longer overdue
        pinned.advance(hours=72)
        found = escalations.queue(hq.engine, nora, clock.now())
        assert [(e.id, e.overdue(clock.now())) for e in found] == [(normal["id"], True), (high["id"], False)]

    # the real HQ process marks by its own clock: one raised 30 h ago (a high one) is overdue now
    with clock.pinned(clock.system_clock() - timedelta(hours=30)):
        late = escalations.raise_escalation(hq.engine, auth, _body("Battery swelling after repair", "high"),
                                            clock.now())
    page = _signed_in(console, "nora").get("/console/escalations?state=new&tz=America/New_York").text
    assert "Due (America/New_York)" in page and "overdue by 6 h" in page
    due_ny = datetime.fromisoformat(late["due_at"]).astimezone(ZoneInfo("America/New_York"))
    assert due_ny.strftime("%Y-%m-%d %H:%M") in page
    # March's normal one (months overdue by now) comes first, then this one; the resolved one is not "new"
    assert page.index("Repair delayed a week") < page.index("Battery swelling") and "Refund refused" not in page
    assert page.count('class="warn overdue-mark"') == 2
    assert [e.overdue for e in store_side.my_escalations(a.db, a.admin) if e.id == late["id"]] == [True]


def _body(summary: str, priority: str) -> dict:
    return {"ref": str(uuid.uuid4()), "kind": "complaint", "priority": priority, "summary": summary,
            "staff_id": str(uuid.uuid4())}


def _user_ids(hq) -> list[tuple[int, str]]:
    from hq.models import hq_user
    with hq.engine.connect() as conn:
        return [tuple(r) for r in conn.execute(select(hq_user.c.id, hq_user.c.username))]


def test_in_the_browser_the_regional_manager_works_the_queue(hq, browser, make_store):
    a, _ = _stores(hq, make_store)
    esc = store_side.raise_escalation(a.db, a.admin, kind="complaint", priority="high", summary=SUMMARY,
                                      customer_id=CUSTOMER)
    shots = os.environ.get("CONSOLE_SHOTS")
    for lang in ("en", "zh_CN"):
        browser.delete_all_cookies()
        browser.get(hq.url + "/console/sign-in")
        browser.add_cookie({"name": "hq_lang", "value": lang, "path": "/console"})
        browser.get(hq.url + "/console/sign-in?next=/console/escalations")
        _wait(browser, "#username").send_keys("nora")
        browser.find_element(By.ID, "password").send_keys(PASSWORD)
        browser.find_element(By.ID, "sign-in").click()
        _wait(browser, "#escalation-list")
        assert SUMMARY in browser.find_element(By.ID, "escalation-list").text
        for size in ((768, 1024), (1280, 800)):
            browser.set_window_size(*size)
            assert browser.execute_script("return document.documentElement.scrollWidth <= window.innerWidth")
        if shots:
            browser.save_screenshot(f"{shots}/escalations_queue_{lang}.png")
        browser.find_element(By.CSS_SELECTOR, f"a[href^='/console/escalations/{esc.id}']").click()
        if lang == "en":
            _wait(browser, "#esc-note").send_keys("Checking the repair history")
            browser.find_element(By.ID, "step-acknowledge").click()
            assert "The escalation is updated." in _wait(browser, ".notice").text
            assert browser.find_element(By.ID, "esc-state").text == "acknowledged"
            assert "Checking the repair history" in browser.find_element(By.ID, "esc-notes").text
        else:
            assert _wait(browser, "#esc-state").text == "已确认"
        if shots:
            browser.save_screenshot(f"{shots}/escalations_view_{lang}.png")


def test_malformed_store_requests_are_refused_with_a_code_and_no_credential_is_401(hq, make_store):
    from core.sync import credentials
    from tests.hq.conftest import hq_get, hq_post
    a, _ = _stores(hq, make_store)
    auth = {"Authorization": f"Bearer {credentials.load(a.db)}"}
    staff = str(a.admin.staff_id)
    cases = [
        hq_get(hq, "/v1/escalations?since=yesterday", headers=auth),
        hq_get(hq, "/v1/escalations?since=2026-12-01T00:00:00", headers=auth),          # no offset
        hq_post(hq, "/v1/escalations", headers=auth, content=b"not json"),
        hq_post(hq, "/v1/escalations", headers=auth, json={"ref": str(uuid.uuid4()), "kind": "gossip",
                                                           "summary": "x", "staff_id": staff}),
        hq_post(hq, "/v1/escalations", headers=auth, json={"ref": "nope", "kind": "complaint", "summary": "x",
                                                           "staff_id": staff}),
        hq_post(hq, "/v1/escalations", headers=auth, json={"ref": str(uuid.uuid4()), "kind": "complaint",
                                                           "summary": ["x"], "staff_id": staff}),
        hq_post(hq, "/v1/escalations/abc/notes", headers=auth, json={"text": "x", "staff_id": staff}),
    ]
    assert [r.status_code for r in cases] == [400] * len(cases)
    assert all(r.json()["code"] for r in cases)
    assert hq_post(hq, "/v1/escalations/1/notes", headers=auth, json={"text": "x", "staff_id": staff}
                   ).status_code == 404
    assert hq_get(hq, "/v1/escalations").status_code == 401
    assert hq_post(hq, "/v1/escalations", json={"kind": "complaint"}).status_code == 401
    with hq.engine.connect() as conn:
        assert conn.execute(select(hq_escalation)).all() == []

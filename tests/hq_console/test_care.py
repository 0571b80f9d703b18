"""Customer care at HQ (issue 21): complaint rules, response scripts and care settings drafted,
reviewed by a second person and published from the console (real HQ on PostgreSQL, Debian's
chromium), pulled by a real encrypted store whose core.care.rules then answer with HQ's values;
and a complaint opened at HQ that the store receives with channel "hq" and its classify clock."""

from __future__ import annotations

from html import unescape
import re
from datetime import timedelta

from selenium.webdriver.common.by import By
from sqlalchemy import select, update

from core import customers
from core.care import rules as care_rules
from core.models import Feedback
from hq.models import hq_reference_draft, hq_store
from tests.hq.util import hq_rows
from tests.hq_console.conftest import audit_rows, region, signed_in, user
from tests.hq_console.pages import press, sign_in, wait_for

CARE, COMPLAINT = "/console/care", "/console/care/complaint"
PRIVACY_ZH = {"acknowledge": "感谢您告诉我们，我们非常重视您的隐私。", "ask": "请问是哪一项资料、在什么时候被使用？",
              "offer": "可以立即删除相关资料并书面确认。", "escalate": "涉及资料外泄时，立即上报区域经理。"}


def field_error(html: str, name: str) -> str | None:
    found = re.search(rf'<p class="error" id="e-{name}">([^<]*)</p>', html)
    return unescape(found.group(1)) if found else None


def care_draft(hq) -> tuple[int, str]:
    with hq.engine.connect() as conn:
        row = conn.execute(select(hq_reference_draft.c.id, hq_reference_draft.c.status)
                           .where(hq_reference_draft.c.kind == "care").order_by(hq_reference_draft.c.id.desc())
                           .limit(1)).first()
    return (row.id, row.status) if row else (0, "")


def _type(browser, css: str, value: str) -> None:
    el = browser.find_element(By.CSS_SELECTOR, css)
    el.clear()
    el.send_keys(value)


def test_rules_and_a_chinese_script_published_in_the_browser_reach_a_store(hq, browser, make_store):
    user(hq, "ada", "admin")
    user(hq, "ben", "admin")
    store = make_store("SA", hq)
    with store.db.session() as s:                    # before HQ publishes: the built-in rules
        assert care_rules.rule(s, "major") == care_rules.DEFAULT_RULES["major"]
        assert care_rules.script(s, "privacy", "zh_CN") is None

    sign_in(browser, hq, "ada")
    browser.get(hq.url + CARE)
    wait_for(browser, "#defaults")
    assert browser.find_element(By.ID, "rule-minor").text.split()[:2] == ["Minor", "72"]
    press(browser, browser.find_element(By.ID, "start"))
    _type(browser, "#f-major_resolve_hours", "12")
    _type(browser, "#f-moderate_escalate_overdue_hours", "")          # never escalates for being late
    press(browser, browser.find_element(By.ID, "save-rules"))
    assert "The draft rules are saved." in browser.find_element(By.TAG_NAME, "main").text
    press(browser, browser.find_element(By.ID, "script-tab-privacy"))
    for part, words in PRIVACY_ZH.items():
        _type(browser, f"#f-zh_CN_{part}", words)
    _type(browser, "#f-en_acknowledge", "Thank you for telling us; your privacy matters to us.")
    press(browser, browser.find_element(By.ID, "save-script"))
    _type(browser, "#f-setting_survey_invite_days", "45")
    press(browser, browser.find_element(By.ID, "save-settings"))
    changes = browser.find_element(By.ID, "changes").text
    assert "Major Resolve within (hours) 24 12" in changes and PRIVACY_ZH["offer"] in changes
    press(browser, browser.find_element(By.ID, "submit"))
    assert browser.find_element(By.ID, "draft-status").text == "in review"
    assert browser.find_elements(By.ID, "publish") == []               # ada drafted it: not hers to publish
    assert browser.find_element(By.ID, "second-person").is_displayed()

    sign_in(browser, hq, "ben")
    browser.get(hq.url + CARE)
    press(browser, wait_for(browser, "#publish"))
    assert "Published: stores take it on their next sync." in browser.find_element(By.TAG_NAME, "main").text
    assert browser.find_elements(By.ID, "defaults") == []
    assert browser.find_element(By.ID, "rule-major").text.split()[:2] == ["Major", "12"]
    assert care_draft(hq)[1] == "published"
    assert [a[1] for a in audit_rows(hq, "reference.%")] == [
        "reference.draft", "reference.care", "reference.care", "reference.care", "reference.submit",
        "reference.publish"]

    # the Chinese page shows the same values in Chinese words
    browser.get(hq.url + "/console/lang/zh_CN?next=" + CARE)
    wait_for(browser, "#rules")
    assert browser.find_element(By.ID, "rule-major").text.split()[:2] == ["重大", "12"]
    assert PRIVACY_ZH["ask"] in browser.find_element(By.ID, "scripts-privacy").text

    assert store.sync().rejected == 0
    with store.db.session() as s:
        major = care_rules.rule(s, "major")
        assert (major.resolve_hours, major.business_hours, major.escalate_at_once) == (12, False, True)
        assert care_rules.rule(s, "moderate").escalate_overdue_hours is None
        assert care_rules.rule(s, "minor") == care_rules.DEFAULT_RULES["minor"]       # unchanged: no row sent
        zh = care_rules.script(s, "privacy", "zh_CN")
        assert zh is not None and (zh.acknowledge, zh.ask, zh.offer, zh.escalate) == tuple(PRIVACY_ZH.values())
        en = care_rules.script(s, "privacy", "en")
        assert en is not None and en.acknowledge.startswith("Thank you for telling us")
        assert care_rules.script(s, "billing", "zh_CN") is None
        assert care_rules.setting(s, "survey_invite_days") == 45
        assert care_rules.setting(s, "follow_up_days") == care_rules.SETTINGS["follow_up_days"][0]
    assert len(hq_rows(hq, "complaint_rule")) == 2 and len(hq_rows(hq, "care_setting")) == 1


def test_bad_values_are_refused_beside_their_fields_and_nothing_is_saved(hq, console):
    user(hq, "ada", "admin")
    ada = signed_in(console, "ada")
    assert ada.post(CARE + "/drafts", {"title": "Care"}, page=CARE).status_code == 303
    did, _ = care_draft(hq)
    form = {f"{s}_resolve_hours": "48" for s in ("minor", "moderate", "major")}
    bad = ada.post(f"{CARE}/drafts/{did}/rules", {**form, "minor_resolve_hours": "0",
                                                  "major_escalate_overdue_hours": "soon"}, page=CARE)
    assert bad.status_code == 400
    assert field_error(bad.text, "minor_resolve_hours") == "Give whole hours from 1 to 720."
    assert field_error(bad.text, "major_escalate_overdue_hours") == (
        "Give whole hours from 0 to 720, or leave it empty for never.")
    assert field_error(bad.text, "moderate_resolve_hours") is None
    assert 'id="f-major_escalate_overdue_hours" name="major_escalate_overdue_hours" size="5" maxlength="6" ' \
           'value="soon"' in bad.text                                     # what was typed is kept

    settings = {f"setting_{k}": str(v[0]) for k, v in care_rules.SETTINGS.items()}
    bad = ada.post(f"{CARE}/drafts/{did}/settings", {**settings, "setting_survey_token_days": "91"}, page=CARE)
    assert field_error(bad.text, "setting_survey_token_days") == "Give a whole number from 1 to 90."

    bad = ada.post(f"{CARE}/drafts/{did}/script", {"category": "billing", "en_ask": "Which\x00invoice?",
                                                   "zh_CN_offer": "退" * 1001}, page=CARE)
    assert bad.status_code == 400
    assert field_error(bad.text, "en_ask") == "A text cannot hold control characters."
    assert field_error(bad.text, "zh_CN_offer") == "At most 1000 characters."

    assert 'id="no-changes"' in ada.get(CARE).text                     # nothing was saved
    assert [a[1] for a in audit_rows(hq, "reference.%")] == ["reference.draft"]
    # an empty draft cannot go to review
    assert ada.post(f"{CARE}/drafts/{did}/submit", {}, page=CARE).status_code == 400
    assert care_draft(hq)[1] == "draft"


def _served_customer(store):
    with store.db.session(write=True) as s:
        cid = customers.create_customer(s, store.admin, given_name="Lan", family_name="Zhou").id
    assert store.sync().rejected == 0
    return cid


def test_a_complaint_opened_at_hq_reaches_the_store_with_its_classify_clock(hq, console, make_store):
    user(hq, "ada", "admin")
    a, b = make_store("SA", hq), make_store("SB", hq)
    cid = _served_customer(a)
    other = _served_customer(b)
    ada = signed_in(console, "ada")
    assert 'href="/console/care/complaint"' in ada.get(CARE).text
    words = "The screen you replaced flickers again; 13312345678"

    bad = ada.post(COMPLAINT, {"store": "SA", "customer": str(other), "text": words, "category": "product"})
    assert bad.status_code == 400
    assert field_error(bad.text, "customer") == "This store does not serve that customer."
    bad = ada.post(COMPLAINT, {"store": "", "customer": "not-a-uuid", "text": " ", "category": "weather"})
    assert field_error(bad.text, "store") == "Choose an enrolled store."
    assert field_error(bad.text, "customer").startswith("A customer id is a UUID")
    assert field_error(bad.text, "text") == "Write the customer's words."
    assert field_error(bad.text, "category") == "Choose a category from the list, or none."
    assert hq_rows(hq, "feedback") == {}

    done = ada.post(COMPLAINT, {"store": "SA", "customer": str(cid), "text": words, "category": ""})
    assert done.status_code == 303 and "flickers" not in done.headers["location"]
    assert "The complaint is opened" in ada.get(done.headers["location"]).text
    (entry,) = audit_rows(hq, "complaint.%")
    assert entry[1:3] == ("complaint.open", "SA") and "flickers" not in entry[3] and "1331" not in entry[3]

    b.sync()
    with b.db.session() as s:
        assert s.scalars(select(Feedback)).all() == []
    a.sync()
    with a.db.session() as s:
        (row,) = s.scalars(select(Feedback)).all()
        assert (row.channel, row.status, row.text, row.customer_id) == ("hq", "open", words, cid)
        assert (row.category, row.severity, row.due_at, row.escalated) == ("", "", None, False)
        assert row.classify_due_at - row.opened_at == timedelta(hours=24)


def test_a_regional_manager_opens_complaints_for_its_own_region_only(hq, console, make_store):
    east, west = region(hq, "East China"), region(hq, "West China")
    a, b = make_store("SA", hq), make_store("SB", hq)
    with hq.engine.connect().execution_options(hq_write=True) as conn, conn.begin():
        conn.execute(update(hq_store).where(hq_store.c.code == "SA").values(region_id=east))
        conn.execute(update(hq_store).where(hq_store.c.code == "SB").values(region_id=west))
    user(hq, "eve", "regional", region_id=east)
    eve = signed_in(console, "eve")
    form = eve.get(COMPLAINT).text
    assert '<option value="SA"' in form and '<option value="SB"' not in form
    refused = eve.post(COMPLAINT, {"store": "SB", "text": "Rude at the counter", "category": "service"},
                       page=COMPLAINT)
    assert refused.status_code == 403
    assert "only for your region's stores" in unescape(refused.text)
    assert hq_rows(hq, "feedback") == {} and audit_rows(hq, "complaint.%") == []
    assert eve.post(COMPLAINT, {"store": "SA", "text": "Rude at the counter", "category": "service"},
                    page=COMPLAINT).status_code == 303
    a.sync()
    with a.db.session() as s:
        (row,) = s.scalars(select(Feedback)).all()
        assert (row.category, row.channel) == ("service", "hq")
    # she reads the rules and scripts but cannot draft them
    page = eve.get(CARE)
    assert page.status_code == 200 and 'id="start"' not in page.text
    assert eve.post(CARE + "/drafts", {"title": "Mine"}, page=CARE).status_code == 403


def _publish_script(ada, ben, hq, fields: dict[str, str]) -> None:
    """ada drafts the privacy script with ``fields`` (every other part empty), ben publishes it."""
    assert ada.post(CARE + "/drafts", {"title": "Scripts"}, page=CARE).status_code == 303
    did, _ = care_draft(hq)
    form = {"category": "privacy", **{f"{lang}_{p}": "" for lang in ("en", "zh_CN") for p in PRIVACY_ZH}, **fields}
    assert ada.post(f"{CARE}/drafts/{did}/script", form, page=CARE).status_code == 303
    assert ada.post(f"{CARE}/drafts/{did}/submit", {}, page=CARE).status_code == 303
    assert ben.post(f"{CARE}/drafts/{did}/publish", {}, page=CARE).status_code == 303
    assert care_draft(hq) == (did, "published")


def test_a_script_emptied_and_written_again_reaches_the_store(hq, console, make_store):
    user(hq, "ada", "admin")
    user(hq, "ben", "admin")
    store = make_store("SA", hq)
    ada, ben = signed_in(console, "ada"), signed_in(console, "ben")
    _publish_script(ada, ben, hq, {f"zh_CN_{p}": w for p, w in PRIVACY_ZH.items()} | {"en_ask": "Which data?"})
    assert store.sync().rejected == 0
    with store.db.session() as s:
        assert care_rules.script(s, "privacy", "zh_CN").ask == PRIVACY_ZH["ask"]

    _publish_script(ada, ben, hq, {"en_ask": "Which data?"})               # the Chinese script emptied
    assert store.sync().rejected == 0
    with store.db.session() as s:
        assert care_rules.script(s, "privacy", "zh_CN").ask == "Which data?"     # English stands in
    _publish_script(ada, ben, hq, {})                                     # and the English one
    assert store.sync().rejected == 0
    with store.db.session() as s:
        assert care_rules.script(s, "privacy", "zh_CN") is None
        assert care_rules.script(s, "privacy", "en") is None
    assert [r["deleted"] for r in hq_rows(hq, "response_script").values()] == [False, False]   # emptied, not deleted

    _publish_script(ada, ben, hq, {"zh_CN_offer": "可以重新发送确认书。"})      # written again later
    assert store.sync().rejected == 0
    with store.db.session() as s:
        zh = care_rules.script(s, "privacy", "zh_CN")
        assert zh is not None and (zh.language, zh.offer, zh.ask) == ("zh_CN", "可以重新发送确认书。", "")
    assert "可以重新发送确认书。" in ada.get(CARE).text


def test_a_script_part_with_a_bidi_override_is_refused_and_text_is_kept_as_nfc(hq, console, make_store):
    user(hq, "ada", "admin")
    make_store("SA", hq)
    ada = signed_in(console, "ada")
    assert ada.post(CARE + "/drafts", {"title": "Care"}, page=CARE).status_code == 303
    did, _ = care_draft(hq)
    bad = ada.post(f"{CARE}/drafts/{did}/script", {"category": "billing", "en_ask": "Which \u202einvoice?",
                                                   "en_offer": "A C1\x85control", "zh_CN_ask": "lone\rreturn",
                                                   "en_escalate": "Line one\r\nline two"}, page=CARE)
    assert bad.status_code == 400
    for name in ("en_ask", "en_offer", "zh_CN_ask"):
        assert field_error(bad.text, name) == "A text cannot hold control characters.", name
    assert field_error(bad.text, "en_escalate") is None
    assert 'id="no-changes"' in ada.get(CARE).text                     # nothing was saved
    ok = ada.post(f"{CARE}/drafts/{did}/script", {"category": "billing", "en_ask": "Cafe\u0301 receipt?"},
                  page=CARE)
    assert ok.status_code == 303
    with hq.engine.connect() as conn:
        data = conn.execute(select(hq_reference_draft.c.data).where(hq_reference_draft.c.id == did)).scalar_one()
    assert data["scripts"]["billing"]["en"]["ask"] == "Caf\u00e9 receipt?"
    # a complaint opened at HQ is held to the same rule
    bad = ada.post(COMPLAINT, {"store": "SA", "text": "Rude \u202eat the counter", "category": ""})
    assert bad.status_code == 400 and field_error(bad.text, "text") == "A text cannot hold control characters."
    assert hq_rows(hq, "feedback") == {}

"""The console in a real browser (Debian's headless chromium through selenium) against a real
HQ process on PostgreSQL, and a real encrypted store database that enrols with a code the
admin issued in the browser, syncs, and is refused once the admin revokes its credential."""

from __future__ import annotations

import pytest
from selenium.common.exceptions import NoAlertPresentException
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import Select

from core.sync import client as sync_client
from tests.hq_console.conftest import user
from tests.hq_console.pages import wait_for as _wait, sign_in as _sign_in

XSS = "<script>alert(1)</script>"


def _no_alert(browser) -> None:
    with pytest.raises(NoAlertPresentException):
        browser.switch_to.alert.text


def test_sign_in_then_five_wrong_passwords_lock_the_account(hq, browser):
    user(hq, "ada")
    _sign_in(browser, hq, "ada")
    assert browser.find_element(By.TAG_NAME, "h1").text == "The chain at a glance"
    assert "Ada" in browser.find_element(By.CSS_SELECTOR, ".who").text
    browser.find_element(By.CSS_SELECTOR, "form[action='/console/sign-out'] button").click()
    assert "You are signed out." in _wait(browser, ".notice").text

    for attempt in range(5):
        _sign_in(browser, hq, "ada", "not-the-password-1")
        message = browser.find_element(By.CSS_SELECTOR, ".error").text
        if attempt < 4:
            assert message == "The username or password is not right."
    assert "locked for 15 minutes" in message
    _sign_in(browser, hq, "ada")                    # the right password, still locked
    assert "locked for 15 minutes" in browser.find_element(By.CSS_SELECTOR, ".error").text
    assert browser.find_elements(By.CSS_SELECTOR, "nav") == []


def test_admin_enrols_a_store_from_the_browser_and_revokes_it(hq, browser, make_store):
    user(hq, "ada")
    _sign_in(browser, hq, "ada")
    browser.get(hq.url + "/console/stores")
    _wait(browser, "#region-name").send_keys("East China")
    browser.find_element(By.CSS_SELECTOR, "#new-region button").click()
    assert _wait(browser, ".notice").text == "Region created."
    assert "East China" in browser.find_element(By.ID, "regions").text

    browser.find_element(By.ID, "store-code").send_keys("SH01")
    browser.find_element(By.ID, "store-name").send_keys("Orchard Shanghai")
    Select(browser.find_element(By.ID, "store-region")).select_by_visible_text("East China")
    browser.find_element(By.ID, "store-address").send_keys("1 Nanjing Road")
    browser.find_element(By.ID, "create-store").click()
    one_time = _wait(browser, "#one-time-code").text
    assert len(one_time) == 19

    # a real store database enrols with the code the browser showed, and syncs
    store = make_store("SH01")
    sync_client.enrol(store.db, store.admin, hq.url, one_time)
    report = store.sync()
    assert report.rejected == 0

    browser.get(hq.url + "/console/")
    row = _wait(browser, "#stores tbody tr").text
    assert "SH01" in row and "East China" in row and "enrolled" in row and "never" not in row

    browser.get(hq.url + "/console/stores/SH01")
    _wait(browser, "#revoke-credential").click()
    assert "next sync is refused" in _wait(browser, ".notice").text
    assert browser.find_element(By.ID, "store-state").text == "credential revoked"
    with pytest.raises(sync_client.HqRefused):
        store.sync()

    # the audit log says who did what
    browser.get(hq.url + "/console/audit")
    log = _wait(browser, "#audit").text
    for action in ("region.create", "store.create", "store.code_issued", "store.credential_revoked"):
        assert action in log
    assert one_time not in log and one_time.replace("-", "") not in log


def test_a_store_named_like_a_script_is_shown_as_text(hq, browser):
    user(hq, "ada")
    _sign_in(browser, hq, "ada")
    browser.get(hq.url + "/console/stores")
    _wait(browser, "#region-name").send_keys("West")
    browser.find_element(By.CSS_SELECTOR, "#new-region button").click()
    _wait(browser, ".notice")
    browser.find_element(By.ID, "store-code").send_keys("XS1")
    browser.find_element(By.ID, "store-name").send_keys(XSS)
    browser.find_element(By.ID, "create-store").click()
    _wait(browser, "#one-time-code")
    _no_alert(browser)
    for page in ("/console/stores", "/console/", "/console/stores/XS1"):
        browser.get(hq.url + page)
        _wait(browser, "h1")
        _no_alert(browser)
        assert XSS in browser.find_element(By.TAG_NAME, "main").text, page
        assert browser.find_elements(By.CSS_SELECTOR, "main script") == []


def test_the_console_in_chinese(hq, browser):
    user(hq, "ada")
    _sign_in(browser, hq, "ada")
    browser.find_element(By.CSS_SELECTOR, ".langs a[lang='zh-CN']").click()
    assert _wait(browser, "h1").text == "连锁概览"
    assert browser.find_element(By.TAG_NAME, "html").get_attribute("lang") == "zh-CN"
    browser.get(hq.url + "/console/stores")
    assert browser.find_element(By.TAG_NAME, "h1").text == "区域和门店"
    browser.find_element(By.CSS_SELECTOR, ".langs a[lang='en']").click()
    assert _wait(browser, "h1").text == "Regions and stores"


def test_pages_fit_a_tablet_without_scrolling_sideways(hq, browser):
    user(hq, "ada")
    _sign_in(browser, hq, "ada")
    try:
        for width, height in ((1280, 800), (768, 1024)):
            browser.set_window_size(width, height)
            for page in ("/console/", "/console/stores", "/console/users", "/console/account", "/console/audit"):
                browser.get(hq.url + page)
                _wait(browser, "h1")
                overflow = browser.execute_script(
                    "return document.documentElement.scrollWidth - document.documentElement.clientWidth")
                assert overflow <= 0, (width, page)
    finally:
        browser.set_window_size(1280, 800)

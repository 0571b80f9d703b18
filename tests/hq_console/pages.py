"""Driving console pages in the browser: wait for an element, press and wait for the next
page (never read the page a click left), sign in; HQ's public pages on a phone (its clock,
a phone's screen, a whole-page screenshot). One copy for every browser test."""

from __future__ import annotations

import base64
from datetime import datetime, timezone
from pathlib import Path

import httpx
from selenium.common.exceptions import TimeoutException, WebDriverException
from selenium.webdriver.common.by import By
from selenium.webdriver.support import expected_conditions as EC
from selenium.webdriver.support.ui import WebDriverWait

from tests.hq_console.conftest import PASSWORD

SHOTS = Path("/tmp/shots")
PHONE = (390, 844)


def wait_for(browser, css: str, timeout: float = 15):
    try:
        return WebDriverWait(browser, timeout).until(EC.presence_of_element_located((By.CSS_SELECTOR, css)))
    except TimeoutException:
        raise AssertionError(f"no {css} on {browser.current_url}: "
                             f"{browser.find_element(By.TAG_NAME, 'body').text[:1500]}") from None


def press(browser, element) -> None:
    """Click and wait for the next page to have loaded."""
    browser.execute_script("window.leftBehind = true")

    def loaded(b):
        try:
            return b.execute_script("return document.readyState === 'complete' && !window.leftBehind")
        except WebDriverException:        # the old page is going away
            return False
    element.click()
    WebDriverWait(browser, 15).until(loaded)
    wait_for(browser, "h1")


def sign_in(browser, hq, username: str, password: str = PASSWORD) -> None:
    browser.delete_all_cookies()
    browser.get(hq.url + "/console/sign-in")
    wait_for(browser, "#username").send_keys(username)
    browser.find_element(By.ID, "password").send_keys(password)
    press(browser, browser.find_element(By.ID, "sign-in"))


# --- HQ's public pages (survey, approve, unsubscribe) on a phone -----------------------------------

def hq_now(hq) -> datetime:
    """HQ's own clock (its health answer): the moment its pages judge expiry by."""
    with httpx.Client(base_url=hq.url, timeout=30) as c:
        ms = c.get("/v1/health").json()["server_time_ms"]
    return datetime.fromtimestamp(ms / 1000, timezone.utc)


def phone(browser, width: int = PHONE[0], height: int = PHONE[1]) -> None:
    """The browser as a phone's screen (:data:`PHONE` unless told)."""
    browser.execute_cdp_cmd("Emulation.setDeviceMetricsOverride",
                            {"width": width, "height": height, "deviceScaleFactor": 1, "mobile": True})


def shot(browser, name: str) -> None:
    """The whole page (beyond the first screen when it is longer) as /tmp/shots/<name>.png."""
    SHOTS.mkdir(parents=True, exist_ok=True)
    data = browser.execute_cdp_cmd("Page.captureScreenshot", {"format": "png", "captureBeyondViewport": True})
    (SHOTS / f"{name}.png").write_bytes(base64.b64decode(data["data"]))

"""Driving console pages in the browser: wait for an element, press and wait for the next
page (never read the page a click left), sign in. One copy for every browser test."""

from __future__ import annotations

from selenium.common.exceptions import TimeoutException, WebDriverException
from selenium.webdriver.common.by import By
from selenium.webdriver.support import expected_conditions as EC
from selenium.webdriver.support.ui import WebDriverWait

from tests.hq_console.conftest import PASSWORD


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

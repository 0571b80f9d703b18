"""The console against a real HQ process on PostgreSQL (tests/hq/conftest.py's HqServer and
fixtures, imported), driven over HTTP (httpx) and in Debian's chromium (selenium)."""

from __future__ import annotations

import re
import shutil

import httpx
import pytest
from sqlalchemy import select

from hq.console import accounts
from hq.models import hq_console_audit, hq_region
from tests.hq.conftest import HqServer, _servers, hq, make_store, pg_database  # noqa: F401 - fixtures

PASSWORD = "correct-horse-battery-9"
CHROMIUM = "/usr/bin/chromium"
CHROMEDRIVER = "/usr/bin/chromedriver"
_CSRF = re.compile(r'name="csrf" value="([^"]+)"')


def csrf_of(html: str) -> str:
    found = _CSRF.search(html)
    assert found, "the page has no CSRF field"
    return found.group(1)


def region(server: HqServer, name: str) -> int:
    from hq.console import stores
    with server.engine.connect() as conn:
        found = conn.scalar(select(hq_region.c.id).where(hq_region.c.name == name))
    return found if found is not None else stores.create_region(server.engine, name, by=None)


def user(server: HqServer, username: str, role: str = "admin", *, region_id: int | None = None,
         password: str = PASSWORD) -> int:
    return accounts.create_user(server.engine, username, username.title(), role, password, region_id=region_id)


def audit_rows(server: HqServer, action_like: str | None = None) -> list[tuple]:
    """The console's audit log, oldest first: (user id, action, target, detail); only actions
    ``LIKE action_like`` (e.g. ``"escalation.%"``) when given."""
    a = hq_console_audit.c
    q = select(a.user_id, a.action, a.target, a.detail).order_by(a.id)
    if action_like is not None:
        q = q.where(a.action.like(action_like))
    with server.engine.connect() as conn:
        return [tuple(r) for r in conn.execute(q)]


class Console:
    """A browser-less visitor: cookies kept, redirects not followed (tests look at them)."""

    def __init__(self, server: HqServer):
        self.http = httpx.Client(base_url=server.url, timeout=30, follow_redirects=False)

    def get(self, path: str, **kw) -> httpx.Response:
        return self.http.get(path, **kw)

    def post(self, path: str, data: dict[str, str], *, csrf: str | None = "page", page: str | None = None
             ) -> httpx.Response:
        """POST a form; ``csrf="page"`` takes the token from ``page`` (default: the same path's GET)."""
        if csrf == "page":
            csrf = csrf_of(self.get(page or path).text)
        body = dict(data)
        if csrf is not None:
            body["csrf"] = csrf
        return self.http.post(path, data=body)

    def sign_in(self, username: str, password: str = PASSWORD, next_: str = "/console/") -> httpx.Response:
        return self.post("/console/sign-in", {"username": username, "password": password, "next": next_})

    def close(self) -> None:
        self.http.close()


@pytest.fixture
def console(hq):
    opened: list[Console] = []

    def make() -> Console:
        c = Console(hq)
        opened.append(c)
        return c
    yield make
    for c in opened:
        c.close()


def signed_in(console, username: str, password: str = PASSWORD) -> Console:
    """A new visitor from the ``console`` fixture, signed in as ``username``."""
    c = console()
    assert c.sign_in(username, password).status_code == 303
    return c


@pytest.fixture(scope="module")
def browser():
    """One headless Debian chromium per module, 1280x800."""
    if not (shutil.which(CHROMIUM) and shutil.which(CHROMEDRIVER)):
        pytest.fail("Debian's chromium and chromium-driver are needed (bash scripts/dev.sh test installs them)")
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service
    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for arg in ("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu",
                "--window-size=1280,800", "--lang=en-US", "--no-first-run"):
        options.add_argument(arg)
    driver = webdriver.Chrome(service=Service(CHROMEDRIVER), options=options)
    driver.set_window_size(1280, 800)
    driver.implicitly_wait(0)
    yield driver
    driver.quit()

"""The console's security over HTTP against a real HQ process on PostgreSQL: CSRF, roles and
regions, session fixation, open redirects, cookies, sign-out, timeouts, lockout, TOTP."""

from __future__ import annotations

import ssl
from datetime import datetime, timedelta, timezone

import httpx
from sqlalchemy import func, select

from core import clock
from hq.console import accounts, roles, sessions, stores
from hq.console import routes as console_routes
from hq.models import hq_console_audit, hq_region, hq_session, hq_store
from tests.hq.test_tls import tls_hq  # noqa: F401 - fixture: HQ over HTTPS with a test CA
from tests.hq_console.conftest import PASSWORD, csrf_of, region, user


def _regions(server) -> int:
    with server.engine.connect() as conn:
        return int(conn.scalar(select(func.count()).select_from(hq_region)))


def test_a_post_without_or_with_a_wrong_csrf_token_is_refused(hq, console):
    user(hq, "ada")
    c = console()
    assert c.sign_in("ada").status_code == 303
    for token in (None, "", "x" * 43, csrf_of(console().get("/console/sign-in").text)):
        r = c.post("/console/regions", {"name": "East"}, csrf=token)
        assert r.status_code == 403, token
        assert "did not come from this console" in r.text
    assert _regions(hq) == 0
    # the sign-in form needs its token too
    r = console().post("/console/sign-in", {"username": "ada", "password": PASSWORD}, csrf=None)
    assert r.status_code == 403 and "hq_session" not in r.headers.get("set-cookie", "")
    # with the session's own token it goes through
    r = c.post("/console/regions", {"name": "East"}, page="/console/stores")
    assert r.status_code == 303 and _regions(hq) == 1


def test_a_regional_manager_sees_its_region_only(hq, console):
    east, west = region(hq, "East"), region(hq, "West")
    for code, reg in (("EA1", east), ("WE1", west)):
        stores.create_store(hq.engine, stores.StoreForm(code, f"Store {code}", reg, "Asia/Shanghai", "CNY", "", ""),
                            by=None)
    user(hq, "rita", "regional", region_id=east)
    c = console()
    assert c.sign_in("rita").status_code == 303
    home = c.get("/console/")
    assert home.status_code == 200 and "EA1" in home.text and "WE1" not in home.text
    listing = c.get("/console/stores")
    assert "EA1" in listing.text and "WE1" not in listing.text and "West" not in listing.text
    assert c.get("/console/stores/EA1").status_code == 200
    other = c.get("/console/stores/WE1")
    assert other.status_code == 403 and "Store WE1" not in other.text
    assert c.get("/console/users").status_code == 403
    assert c.get("/console/audit").status_code == 403
    # nor may it change anything: the forms are an admin's
    assert c.post("/console/regions", {"name": "North"}, page="/console/stores").status_code == 403
    assert c.post("/console/stores/EA1/revoke-code", {}, page="/console/stores/EA1").status_code == 403
    assert _regions(hq) == 2
    with hq.engine.connect() as conn:
        assert conn.scalar(select(hq_store.c.enrol_code_hash).where(hq_store.c.code == "EA1")) is not None


def test_every_route_checks_a_permission_from_the_one_table(hq, console):
    every = console_routes()
    public = {(r.method, r.path) for r in every if r.permission is None}
    assert public == {("GET", "/console/sign-in"), ("POST", "/console/sign-in"), ("GET", "/console/sign-in/code"),
                      ("POST", "/console/sign-in/code"), ("POST", "/console/sign-out"),
                      ("GET", "/console/lang/{lang}"), ("GET", "/console/{rest:path}")}
    assert all(r.permission in roles.PERMISSIONS for r in every if r.permission)
    # an auditor reads, changes nothing; the pages follow the table
    user(hq, "otto", "auditor")
    c = console()
    c.sign_in("otto")
    for path, permission in (("/console/", "chain.view"), ("/console/stores", "stores.view"),
                             ("/console/users", "users.manage"), ("/console/audit", "audit.view"),
                             ("/console/account", "account.self")):
        assert c.get(path).status_code == (200 if roles.allowed("auditor", permission) else 403), path
    assert c.post("/console/regions", {"name": "East"}, page="/console/stores").status_code == 403
    # signed out: every page sends to the sign-in page (and back after)
    r = console().get("/console/audit")
    assert r.status_code == 303 and r.headers["location"] == "/console/sign-in?next=/console/audit"


def test_signing_in_starts_a_new_session_and_signing_out_ends_it(hq, console):
    user(hq, "ada")
    c = console()
    page = c.get("/console/sign-in")
    before = c.http.cookies.get("hq_session")
    cookie = page.headers["set-cookie"]
    assert before and "HttpOnly" in cookie and "samesite=strict" in cookie.lower()
    assert "Secure" not in page.headers["set-cookie"]          # plain HTTP on loopback
    r = c.sign_in("ada")
    after = c.http.cookies.get("hq_session")
    assert r.status_code == 303 and after and after != before
    # the pre-sign-in cookie is no session at all now (fixation)
    fixated = console()
    fixated.http.cookies.set("hq_session", before, domain="127.0.0.1", path="/console")
    assert fixated.get("/console/").status_code == 303
    assert c.get("/console/").status_code == 200
    r = c.post("/console/sign-out", {}, page="/console/")
    assert r.status_code == 303 and r.headers["location"].startswith("/console/sign-in")
    stolen = console()
    stolen.http.cookies.set("hq_session", after, domain="127.0.0.1", path="/console")
    assert stolen.get("/console/").status_code == 303
    with hq.engine.connect() as conn:
        assert conn.scalar(select(func.count()).select_from(hq_session).where(hq_session.c.user_id.is_not(None))) == 0


def test_next_goes_only_to_a_console_page(hq, console):
    user(hq, "ada")
    for target in ("https://evil.example", "//evil.example/console/", "/\\evil.example", "/console//evil.example",
                   "javascript:alert(1)", "/v1/health", "/consolex"):
        r = console().sign_in("ada", next_=target)
        assert r.status_code == 303 and r.headers["location"] == "/console/", target
    assert console().sign_in("ada", next_="/console/stores").headers["location"] == "/console/stores"
    r = console().get("/console/lang/zh_CN", params={"next": "https://evil.example"})
    assert r.headers["location"] == "/console/"


def test_five_wrong_passwords_lock_the_account_without_saying_which_part_was_wrong(hq, console):
    user(hq, "ada")
    c = console()
    unknown = c.sign_in("nobody", "whatever-it-is-1")
    assert unknown.status_code == 401 and "username or password is not right" in unknown.text
    for attempt in range(4):
        r = c.sign_in("ada", "wrong-password-123")
        assert r.status_code == 401 and "username or password is not right" in r.text, attempt
    r = c.sign_in("ada", "wrong-password-123")
    assert r.status_code == 429 and "locked for 15 minutes" in r.text
    r = c.sign_in("ada")                     # the right password, still locked
    assert r.status_code == 429 and "locked for 15 minutes" in r.text
    with hq.engine.connect() as conn:
        actions = list(conn.scalars(select(hq_console_audit.c.action).order_by(hq_console_audit.c.id)))
    assert actions.count("sign_in.failed") == 4 and "user.locked" in actions and "sign_in" not in actions


def test_sessions_end_after_30_idle_minutes_or_12_hours(hq):
    uid = user(hq, "ada")
    start = datetime(2026, 12, 1, 9, 0, tzinfo=timezone.utc)
    with clock.pinned(start) as pin:
        token, _ = sessions.start(hq.engine, uid)
        pin.advance(minutes=29)
        assert sessions.load(hq.engine, token) is not None       # and its idle time starts again
        pin.advance(minutes=29)
        assert sessions.load(hq.engine, token) is not None
        pin.advance(minutes=31)
        assert sessions.load(hq.engine, token) is None
        token, _ = sessions.start(hq.engine, uid)
        began = pin()
        while sessions.load(hq.engine, token) is not None:       # busy all day: a request every 20 min
            pin.advance(minutes=20)
        assert timedelta(hours=12) < pin() - began <= timedelta(hours=12, minutes=20)


def test_an_admin_turns_on_two_step_sign_in(hq, console):
    user(hq, "ada")
    c = console()
    c.sign_in("ada")
    page = c.post("/console/account/totp/start", {}, page="/console/account")
    secret = page.text.split('id="totp-secret">')[1].split("<")[0]
    assert "otpauth://totp/" in page.text
    assert c.post("/console/account/totp/confirm", {"secret": secret, "code": "000000"}, csrf=csrf_of(page.text)
                  ).status_code == 400
    code = accounts.totp_now(secret, clock.system_clock())       # HQ's process reads the real clock
    r = c.post("/console/account/totp/confirm", {"secret": secret, "code": code}, csrf=csrf_of(page.text))
    assert r.status_code == 303
    # signing in now asks for the code; the password alone opens nothing
    d = console()
    r = d.sign_in("ada")
    assert r.headers["location"].startswith("/console/sign-in/code")
    assert d.get("/console/").status_code == 303
    assert d.post("/console/sign-in/code", {"code": "123456" if code != "123456" else "654321"},
                  page="/console/sign-in/code").status_code == 401
    half = d.http.cookies.get("hq_session")
    r = d.post("/console/sign-in/code", {"code": accounts.totp_now(secret, clock.system_clock())},
               page="/console/sign-in/code")
    assert r.status_code == 303 and d.get("/console/").status_code == 200
    assert d.http.cookies.get("hq_session") != half
    # only admins are offered it
    user(hq, "paula", "pricing")
    p = console()
    p.sign_in("paula")
    assert p.post("/console/account/totp/start", {}, page="/console/account").status_code == 403


def test_deactivating_a_user_signs_them_out(hq, console):
    ada = user(hq, "ada")
    bob = user(hq, "bob", "loyalty")
    b = console()
    b.sign_in("bob")
    assert b.get("/console/").status_code == 200
    a = console()
    a.sign_in("ada")
    assert a.post(f"/console/users/{bob}/active", {"active": "0"}, page=f"/console/users/{bob}").status_code == 303
    assert b.get("/console/").status_code == 303
    assert b.sign_in("bob").status_code == 401
    # and the last admin cannot lock the chain out of its own console
    r = a.post(f"/console/users/{ada}/active", {"active": "0"}, page=f"/console/users/{ada}")
    assert r.status_code == 400 and "cannot deactivate yourself" in r.text
    r = a.post(f"/console/users/{ada}/role", {"role": "auditor"}, page=f"/console/users/{ada}")
    assert r.status_code == 400 and "at least one active admin" in r.text


def test_the_session_cookie_is_secure_over_https(tls_hq):
    server, ca_path, _ = tls_hq
    with httpx.Client(base_url=server.url, verify=ssl.create_default_context(cafile=str(ca_path)), timeout=30) as c:
        page = c.get("/console/sign-in")
    assert page.status_code == 200
    cookie = page.headers["set-cookie"]
    assert "Secure" in cookie and "HttpOnly" in cookie and "samesite=strict" in cookie.lower()
    assert "default-src 'none'" in page.headers["content-security-policy"]

"""Drive the real window on a fresh demo store and save what staff would see, in English
and Chinese: sign-in, the main window for each role, the lock screen and the dark theme,
then each area's own shots (the modules beside this one). The helpers here (pump_until,
save, sign_in, sign_in_as) are what the area modules share.

An area of ``OWN_STORE`` (the customer scores, which enrol the store with an HQ of their
own) gets a window on a fresh copy of the demo store, so the sync area still finds it not
connected. ``only`` (``--only main crm``) takes the named areas alone; ``main`` is the
sign-in, role, lock and dark shots."""

from __future__ import annotations

import importlib
import shutil
import tempfile
import time
from datetime import timedelta
from pathlib import Path

from core.permissions import Role

LANGUAGES = ("en", "zh_CN")
SIZE = (1280, 800)
AREAS = ("appointments", "bench", "tradein", "loyalty", "reports", "care", "sync", "small", "display")
OWN_STORE = ("crm", "install")
MAIN = "main"


def pump_until(cond, timeout: float = 20.0) -> None:
    from desktop.qt import QApplication
    app = QApplication.instance()
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        app.processEvents()
        if cond():
            for _ in range(5):       # let layouts and paints settle
                app.processEvents()
                time.sleep(0.02)
            return
        time.sleep(0.01)
    raise TimeoutError("the window did not reach the expected state")


def save(widget, path: Path) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    if not widget.grab().save(str(path)):
        raise OSError(f"could not write {path}")
    return path


def read(window, fn):
    """``fn(session, actor)`` on the window's store, as the signed-in person."""
    with window.ctx.db.session() as s:
        return fn(s, window.ctx.actor)


def write(window, fn):
    """Run one core operation through the window's worker, as a button would."""
    box: dict = {}
    window.ctx.write(fn, on_result=lambda v: box.setdefault("ok", v), on_error=lambda e: box.setdefault("error", e))
    pump_until(lambda: box)
    if "error" in box:
        raise box["error"]
    return box["ok"]


def sign_in(window, member) -> None:
    """Type the staff number and the PIN on the sign-in page, as a person would."""
    from PySide6.QtTest import QTest
    page = window.sign_in_page
    pump_until(lambda: window.pages.currentWidget() is page and page.staff_model.rowCount() > 0)
    page.number.clear()
    QTest.keyClicks(page.number, member.staff_number)
    page.credentials.reset()
    page.credentials.secret.setText(member.pin)
    page.credentials.button.click()
    pump_until(lambda: window.pages.currentWidget() is window.shell)


def sign_in_as(window, people: dict, role: Role) -> None:
    """Make ``role`` the signed-in person (switching user if someone else is)."""
    if window.ctx.actor is not None and window.ctx.actor.role == role:
        return
    if window.pages.currentWidget() is not window.sign_in_page:
        window.switch_user()
    sign_in(window, people[role])


def _search(window, text: str) -> None:
    from PySide6.QtTest import QTest

    from desktop.qt import Qt
    window.shell.search.setText(text)
    QTest.keyClick(window.shell.search, Qt.Key.Key_Return)
    screen = window.shell.screens["customers"]
    pump_until(lambda: screen.model.rowCount() > 0)
    screen.open_row(0)
    pump_until(lambda: screen.detail.isVisible())


def _richest_customer(s, actor):
    """The member with a device and the most repair tickets, so the profile shot shows
    every section: (id, name)."""
    from core import privacy, repairs
    tickets: dict[str, list[str]] = {}
    for r in repairs.list_board(s, actor, include_closed=True, limit=100_000):
        if r.customer:
            tickets.setdefault(r.customer, []).append(r.number)
    best, best_key = None, None
    for name in sorted(tickets, key=lambda n: -len(tickets[n]))[:20]:
        cid = repairs.find_ticket(s, actor, tickets[name][0]).customer_id
        p = privacy.profile(s, actor, cid)
        if p.loyalty is None:
            continue
        key = (bool(p.devices), sum(1 for t in p.timeline if t.kind == "repair"), str(cid))
        if best_key is None or key > best_key:
            best, best_key = (cid, p.customer.display_name), key
    if best is None:
        raise LookupError("no member of the demo store has a repair on file")
    return best


def _open_rich_profile(window) -> None:
    cid, name = read(window, _richest_customer)
    window.shell.go("customers")
    screen = window.shell.screens["customers"]
    screen.search.setText(name)
    screen.lookup.run()
    pump_until(lambda: screen.model.rowCount() > 0)
    screen.open_id(cid)
    pump_until(lambda: screen.detail.isVisible() and screen.detail.profile is not None
               and screen.detail.profile.customer.id == cid)


def _area_shots(window, target: Path, people, areas=AREAS) -> list[Path]:
    """Each workspace's own screenshots (tools/screenshots/<area>.py), signed in as the admin."""
    saved: list[Path] = []
    for area in areas:
        module = importlib.import_module(f"tools.screenshots.{area}")
        if window.pages.currentWidget() is not window.shell:
            sign_in(window, people[Role.ADMIN])
        saved += module.take(window, target, people)
        window.switch_user()
    return saved


def _a_day_with_appointments(screen) -> None:
    """Today, or the next day with appointments (the demo store is closed on Sundays)."""
    pump_until(lambda: screen.plan is not None and not screen.busy.isVisible())
    for _ in range(6):
        if screen.model.rowCount() > 0:
            return
        screen.set_day(screen.day + timedelta(days=1))
        pump_until(lambda: screen.plan is not None and not screen.busy.isVisible() and screen.plan.day == screen.day)
    pump_until(lambda: screen.model.rowCount() > 0)


def _open_window(tmp: Path, base: Path, name: str, lang: str):
    """A window on a fresh copy of the demo store (folder ``tmp/name``), in ``lang``, on its
    sign-in page."""
    from desktop.app import create_window
    from desktop.qt import QSettings
    path = tmp / name / "store.db"
    shutil.copytree(base.parent, path.parent)
    settings = QSettings(str(tmp / f"{name}.ini"), QSettings.Format.IniFormat)
    settings.setValue("language", lang)
    window = create_window(path, demo=True, settings=settings)
    window.resize(*SIZE)
    window.show()
    window.start()
    pump_until(lambda: window.pages.currentWidget() is window.sign_in_page
               and window.sign_in_page.staff_model.rowCount() > 0)
    return window


def _main_shots(window, target: Path, people) -> list[Path]:
    """Sign-in, the main window for each role, the lock screen and the dark theme."""
    saved = [save(window, target / "signin.png")]
    for role in (Role.ASSOCIATE, Role.TECHNICIAN, Role.MANAGER, Role.ADMIN):
        sign_in(window, people[role])
        if role == Role.MANAGER:
            window.shell.go("reports")
            pump_until(lambda: window.shell.screens["reports"].tiles["customers"].text() != "–")
        elif role == Role.TECHNICIAN:
            window.shell.go("bench")
            pump_until(lambda: window.shell.screens["bench"].model.rowCount() > 0)
        elif role == Role.ASSOCIATE:
            _search(window, "wang")
        else:
            _open_rich_profile(window)
        saved.append(save(window, target / f"main-{role.value}.png"))
        if role == Role.ADMIN:
            saved.append(save(window.shell.screens["customers"].detail.widget(), target / "profile.png"))
            window.lock()
            pump_until(lambda: window.pages.currentWidget() is window.lock_page)
            saved.append(save(window, target / "lock.png"))
            window.lock_page.credentials.secret.setText(people[role].pin)
            window.lock_page.credentials.button.click()
            pump_until(lambda: window.pages.currentWidget() is window.shell)
            window.shell.go("appointments")
            _a_day_with_appointments(window.shell.screens["appointments"])
            before = window.shell.screens["appointments"]
            window.change_theme("dark")
            # the shell is rebuilt in the new theme, its calendar back on today
            pump_until(lambda: window.shell.screens.get("appointments") not in (None, before))
            window.shell.go("appointments")
            _a_day_with_appointments(window.shell.screens["appointments"])
            saved.append(save(window, target / "dark.png"))
            window.change_theme("light")
            pump_until(lambda: True)
        window.switch_user()
    return saved


def take_all(out: Path, customers: int = 400, only=None) -> list[Path]:
    from core.db import StoreDatabase
    from core.demo import build_demo
    from desktop.app import DEMO_PASSPHRASE, make_app, save_demo_credentials

    known = (MAIN, *AREAS, *OWN_STORE)
    wanted = set(known if not only else only)
    if wanted - set(known):
        raise ValueError(f"unknown areas: {sorted(wanted - set(known))}; known: {', '.join(known)}")
    out = Path(out)
    make_app()
    tmp = Path(tempfile.mkdtemp(prefix="orchard-shots-"))
    saved: list[Path] = []
    try:
        path = tmp / "demo" / "store.db"
        path.parent.mkdir(parents=True)
        db = StoreDatabase.create(path, passphrase=DEMO_PASSPHRASE)
        info = build_demo(db, customers=customers)
        db.close()
        save_demo_credentials(path.parent, info)
        people = {role: info.staff_with_role(role)[0] for role in Role}
        base = path
        for lang in LANGUAGES:
            # each language starts from the same fresh store (the shots enrol it with an HQ)
            target = out / lang
            areas = [a for a in AREAS if a in wanted]
            if MAIN in wanted or areas:
                window = _open_window(tmp, base, lang, lang)
                if MAIN in wanted:
                    saved += _main_shots(window, target, people)
                saved += _area_shots(window, target, people, areas)
                window.close()
                window.deleteLater()
            for area in (a for a in OWN_STORE if a in wanted):
                window = _open_window(tmp, base, f"{lang}-{area}", lang)
                saved += _area_shots(window, target, people, (area,))
                window.close()
                window.deleteLater()
        for p in saved:
            print(p)
        return saved
    finally:
        shutil.rmtree(tmp, ignore_errors=True)

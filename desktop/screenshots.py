"""``orchard screenshots --out DIR``: drive the real window on a fresh demo store and save
what staff would see, in English and Chinese: sign-in, the main window for each role,
the lock screen, and the dark theme."""

from __future__ import annotations

import shutil
import tempfile
import time
from datetime import timedelta
from pathlib import Path

from core.permissions import Role

LANGUAGES = ("en", "zh_CN")
SIZE = (1280, 800)


def _pump_until(cond, timeout: float = 20.0) -> None:
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


def _save(widget, path: Path) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    if not widget.grab().save(str(path)):
        raise OSError(f"could not write {path}")
    return path


def _sign_in(window, member) -> None:
    page = window.sign_in_page
    _pump_until(lambda: window.pages.currentWidget() is page and page.staff_model.rowCount() > 0)
    page.number.setText(member.staff_number)
    page._select_number(member.staff_number)
    page.credentials.reset()
    page.credentials.secret.setText(member.pin)
    page.credentials._submit()
    _pump_until(lambda: window.pages.currentWidget() is window.shell)


def _search(window, text: str) -> None:
    window.shell.search.setText(text)
    window.shell._global_search()
    screen = window.shell.screens["customers"]
    _pump_until(lambda: screen.model.rowCount() > 0)
    screen.open_row(0)
    _pump_until(lambda: screen.detail.isVisible())


def _open_rich_profile(window, path: Path) -> None:
    """Open the demo customer with the most history, so the shot shows every section."""
    from sqlalchemy import func, select

    from core.models import Customer, Device, LoyaltyAccount, RepairTicket
    with window.ctx.db.session() as s:
        q = (select(Customer)
             .join(LoyaltyAccount, LoyaltyAccount.customer_id == Customer.id)
             .join(RepairTicket, RepairTicket.customer_id == Customer.id)
             .join(Device, Device.customer_id == Customer.id)
             .group_by(Customer.id).order_by(func.count(RepairTicket.id).desc(), Customer.id).limit(1))
        c = s.scalars(q).one()
        cid, name = c.id, c.display_name
    window.shell.go("customers")
    screen = window.shell.screens["customers"]
    screen.search.setText(name)
    screen.lookup.run()
    _pump_until(lambda: screen.model.rowCount() > 0)
    screen.open_id(cid)
    _pump_until(lambda: screen.detail.isVisible() and screen.detail.profile is not None
                and screen.detail.profile.customer.id == cid)


AREAS = ("appointments", "bench", "tradein", "loyalty", "reports", "sync")


def _area_shots(window, target: Path, people) -> list[Path]:
    """Each workspace's own screenshots (desktop/shots_<area>.py), signed in as the admin."""
    import importlib
    saved: list[Path] = []
    for area in AREAS:
        try:
            module = importlib.import_module(f"desktop.shots_{area}")
        except ImportError:
            continue
        if window.pages.currentWidget() is not window.shell:
            _sign_in(window, people[Role.ADMIN])
        saved += module.take(window, target, people)
        window.switch_user()
    return saved


def _a_day_with_appointments(screen) -> None:
    """Today, or the next day with appointments (the demo store is closed on Sundays)."""
    _pump_until(lambda: screen.plan is not None and not screen.busy.isVisible())
    for _ in range(6):
        if screen.model.rowCount() > 0:
            return
        screen.set_day(screen.day + timedelta(days=1))
        _pump_until(lambda: screen.plan is not None and not screen.busy.isVisible() and screen.plan.day == screen.day)
    _pump_until(lambda: screen.model.rowCount() > 0)


def take_all(out: Path, customers: int = 400) -> list[Path]:
    from core.db import StoreDatabase
    from core.demo import build_demo
    from desktop.app import DEMO_PASSPHRASE, create_window, make_app, save_demo_credentials
    from desktop.qt import QSettings

    out = Path(out)
    make_app()
    tmp = Path(tempfile.mkdtemp(prefix="orchard-shots-"))
    saved: list[Path] = []
    try:
        path = tmp / "demo" / "store.db"
        path.parent.mkdir(parents=True)
        db = StoreDatabase.create(path, passphrase=DEMO_PASSPHRASE)
        info = build_demo(db, customers=customers)
        with db.engine.connect() as conn:
            conn.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
        db.close()
        save_demo_credentials(path.parent, info)
        people = {role: info.staff_with_role(role)[0] for role in Role}
        base = path
        for lang in LANGUAGES:
            # each language starts from the same fresh store (the shots enrol it with an HQ)
            path = tmp / lang / "store.db"
            shutil.copytree(base.parent, path.parent)
            settings = QSettings(str(tmp / f"{lang}.ini"), QSettings.Format.IniFormat)
            settings.setValue("language", lang)
            window = create_window(path, demo=True, settings=settings)
            window.resize(*SIZE)
            window.show()
            window.start()
            target = out / lang
            _pump_until(lambda: window.pages.currentWidget() is window.sign_in_page
                        and window.sign_in_page.staff_model.rowCount() > 0)
            saved.append(_save(window, target / "signin.png"))
            for role in (Role.ASSOCIATE, Role.TECHNICIAN, Role.MANAGER, Role.ADMIN):
                _sign_in(window, people[role])
                if role == Role.MANAGER:
                    window.shell.go("reports")
                    _pump_until(lambda: window.shell.screens["reports"].tiles["customers"].text() != "–")
                elif role == Role.TECHNICIAN:
                    window.shell.go("bench")
                    _pump_until(lambda: window.shell.screens["bench"].model.rowCount() > 0)
                elif role == Role.ASSOCIATE:
                    _search(window, "wang")
                else:
                    _open_rich_profile(window, path)
                saved.append(_save(window, target / f"main-{role.value}.png"))
                if role == Role.ADMIN:
                    saved.append(_save(window.shell.screens["customers"].detail.widget(), target / "profile.png"))
                if role == Role.ADMIN:
                    window.lock()
                    _pump_until(lambda: window.pages.currentWidget() is window.lock_page)
                    saved.append(_save(window, target / "lock.png"))
                    window.lock_page.credentials.secret.setText(people[role].pin)
                    window.lock_page.credentials._submit()
                    _pump_until(lambda: window.pages.currentWidget() is window.shell)
                    window.shell.go("appointments")
                    _a_day_with_appointments(window.shell.screens["appointments"])
                    window.change_theme("dark")
                    _pump_until(lambda: True)
                    _pump_until(lambda: window.shell.screens["appointments"].model.rowCount() > 0)
                    saved.append(_save(window, target / "dark.png"))
                    window.change_theme("light")
                    _pump_until(lambda: True)
                window.switch_user()
            saved += _area_shots(window, target, people)
            window.close()
            window.deleteLater()
        for p in saved:
            print(p)
        return saved
    finally:
        shutil.rmtree(tmp, ignore_errors=True)

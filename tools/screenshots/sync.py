"""Screenshots of sync: the status bar in each state and the Sync panel, against a real
HQ started here on loopback (SQLite, a temporary folder).

    take(window, target, people) -> [paths]

``window`` is a signed-in MainWindow on the demo store; the admin signs in here to enrol.
States: not connected (the enrolment form), synced, a change HQ refused and a loyalty
balance below zero, and HQ unreachable with changes waiting."""

from __future__ import annotations

import socket
import subprocess
import sys
import tempfile
import time
from datetime import timedelta
from pathlib import Path

from core.permissions import Role
from tools.screenshots.driver import pump_until, save, sign_in_as

ROOT = Path(__file__).resolve().parents[2]


def _pump(cond, timeout: float = 60.0) -> None:
    pump_until(cond, timeout)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class _LocalHq:
    def __init__(self, folder: Path):
        from hq.db import make_engine, migrate
        self.db = folder / "hq.sqlite"
        self.port = _free_port()
        self.engine = make_engine(str(self.db))
        migrate(self.engine)
        self.proc: subprocess.Popen | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self, *options: str) -> None:
        """``orchard-hq serve`` on the file and port, with ``options`` (e.g. ``--no-crm``)."""
        self.proc = subprocess.Popen([sys.executable, "-m", "hq.cli", "serve", "--db", str(self.db),
                                      "--port", str(self.port), *options], cwd=ROOT, stdout=subprocess.DEVNULL,
                                     stderr=subprocess.DEVNULL)
        end = time.monotonic() + 30
        while time.monotonic() < end:
            try:
                socket.create_connection(("127.0.0.1", self.port), timeout=0.3).close()
                return
            except OSError:
                time.sleep(0.1)
        raise RuntimeError("the local HQ did not start")

    def stop(self) -> None:
        if self.proc is not None:
            self.proc.kill()
            self.proc.wait(10)
            self.proc = None

    def code(self, store_code: str) -> str:
        from hq.enrol import create_enrolment
        return create_enrolment(self.engine, store_code, "Orchard demo store", publisher=True)


def _panel(window):
    """The Sync panel inside the Sync & settings screen when the shell embeds it; else a
    panel of its own beside the window."""
    from desktop.views.sync import SyncPanel
    settings = window.shell.screens.get("settings")
    if settings is not None:
        embedded = settings.findChild(SyncPanel)
        if embedded is not None:
            window.shell.go("settings")
            return embedded, window
    panel = SyncPanel(window.ctx)
    panel.setWindowTitle(window.tr("Orchard") + " — Sync")
    panel.resize(900, 760)
    panel.show()
    return panel, panel


def take(window, target: Path, people: dict) -> list[Path]:
    from desktop.views.sync import service_for
    target = Path(target)
    saved: list[Path] = []
    sign_in_as(window, people, Role.ADMIN)     # the admin enrols the store
    ctx = window.ctx
    service = service_for(ctx)
    if not service.timer.isActive():
        service.start()
    last = {}
    service.status_changed.connect(lambda st: last.__setitem__("st", st))
    tmp = Path(tempfile.mkdtemp(prefix="orchard-shots-hq-"))
    hq = _LocalHq(tmp)
    hq.start()
    panel, frame = _panel(window)
    try:
        panel.activate()
        service.refresh()
        _pump(lambda: panel.data is not None and not panel.data.status.enrolled and window.status_sync.text())
        saved.append(save(frame, target / "sync-not-connected.png"))
        if frame is not window:
            saved.append(save(window, target / "status-offline.png"))

        # enrol with the code HQ printed, then the first sync uploads the demo store
        panel.url.setText(hq.url)
        panel.code.setText(hq.code(ctx.store.code))
        panel.enrol_button.click()
        _pump(lambda: not service.running and panel.data is not None and panel.data.status.enrolled
              and panel.data.status.last_success is not None and panel.data.status.pending == 0, timeout=180)
        panel.activate()
        _pump(lambda: last.get("st") is not None and last["st"].pending == 0 and last["st"].last_success is not None)
        saved.append(save(frame, target / "sync-synced.png"))
        if frame is not window:
            saved.append(save(window, target / "status-synced.png"))

        # a change HQ refuses (made while this PC's clock was days ahead) and a member
        # whose points were redeemed at two stores while offline
        _refused_and_negative(ctx)
        service.sync_now()
        _pump(lambda: not service.running and last.get("st") is not None and last["st"].parked > 0, timeout=60)
        panel.activate()
        _pump(lambda: panel.parked_model.rowCount() > 0 and panel.negative_model.rowCount() > 0)
        saved.append(save(frame, target / "sync-refused.png"))

        # HQ unreachable: work goes on, changes wait
        hq.stop()
        from core import customers
        with ctx.db.session(write=True) as s:
            row = customers.search(s, ctx.actor, "wang", limit=1)
            if row:
                customers.update_customer(s, ctx.actor, row[0].id, address="静安区南京西路 1601 号")
        service.sync_now()
        _pump(lambda: not service.running and last.get("st") is not None and last["st"].last_error, timeout=60)
        panel.activate()
        _pump(lambda: panel.data is not None and panel.data.status.last_error)
        saved.append(save(frame, target / "sync-failed.png"))
        if frame is not window:
            saved.append(save(window, target / "status-failed.png"))
    finally:
        hq.stop()
        hq.engine.dispose()
        if frame is not window:
            panel.close()
            panel.deleteLater()
    return saved


def _refused_and_negative(ctx) -> None:
    """A change made while this PC's clock ran days ahead (HQ refuses its stamp), and a
    member whose points were also redeemed at another store while offline: that store's
    redemption arrives as HQ would send it."""
    from core import clock, customers, loyalty
    from core.ids import uuid7
    from core.sync.apply import apply_rows

    with clock.pinned(clock.now() + timedelta(days=3)), ctx.db.session(write=True) as s:
        row = customers.search(s, ctx.actor, "li", limit=1)
        if row:
            customers.update_customer(s, ctx.actor, row[0].id, address="徐汇区淮海中路 999 号")
    with ctx.db.session() as s:
        member = next(iter(loyalty.list_members(s, ctx.actor, limit=1)), None)
    if member is None:
        return
    other = str(uuid7())
    entry = str(uuid7())
    apply_rows(ctx.db, [
        {"entity": "store", "id": other, "data": {"code": "SH02", "name": "Orchard Huaihai Road",
                                                  "timezone": "Asia/Shanghai", "country": "CN", "currency": "CNY"}},
        {"entity": "loyalty_entry", "id": entry, "data": {
            "account_id": str(member.id), "kind": "redeem", "points": -(member.balance + 500),
            "reason": "Voucher redeemed at another store while offline", "store_id": other}},
    ])

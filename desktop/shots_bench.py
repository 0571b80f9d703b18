"""Screenshots of the bench on the demo store: the technician's queue, the manager's
store-wide board with overdue tickets, the intake form, a ticket being quoted, and a
pickup with a signature. Called by ``desktop.screenshots`` with a signed-in window."""

from __future__ import annotations

from pathlib import Path

from core import clock
from core.permissions import Role
from desktop.screenshots import _save
from desktop.screenshots import _pump_until


def _pump(cond, timeout: float = 20.0) -> None:
    _pump_until(cond, timeout)






def _say(english: str, chinese: str) -> str:
    """Demo text in the language of the screenshot (it is data, not a string of the UI)."""
    from desktop.qt import QLocale
    return chinese if QLocale().name().startswith("zh") else english


def _as(window, people: dict, role: Role) -> None:
    from desktop.screenshots import _sign_in
    if window.ctx.actor is None or window.ctx.actor.role != role:
        window.switch_user()
        _sign_in(window, people[role])


def _bench(window):
    window.shell.go("bench")
    bench = window.shell.screens["bench"]
    if bench.stack.currentWidget() is not bench.stack.widget(0):
        bench.show_board()
    return bench


def _ready_ticket(window, status: str):
    from sqlalchemy import select

    from core.models import RepairTicket
    with window.ctx.db.session() as s:
        return s.scalars(select(RepairTicket.id).where(RepairTicket.status == status)
                         .order_by(RepairTicket.created_at.desc())).first()


def _overdue(window) -> None:
    """The demo's tickets are all on time; two that ran late show how the board marks them."""
    from datetime import timedelta

    from sqlalchemy import select

    from core.models import RepairTicket
    box: dict = {}

    def work(s):
        late = s.scalars(select(RepairTicket).where(RepairTicket.status.in_(("awaiting_parts", "in_repair")))
                         .order_by(RepairTicket.created_at).limit(2)).all()
        for n, t in enumerate(late):
            t.due_at = clock.now() - timedelta(hours=3 + 20 * n)
    window.ctx.write(work, on_result=lambda v: box.setdefault("ok", True),
                     on_error=lambda e: box.setdefault("error", e))
    _pump(lambda: box)
    if "error" in box:
        raise box["error"]


def take(window, target: Path, people: dict) -> list[Path]:
    from desktop.views.intake import IntakeDialog
    target = Path(target)
    saved: list[Path] = []

    # the manager's store-wide board: workload, overdue tickets first
    _as(window, people, Role.MANAGER)
    _overdue(window)
    bench = _bench(window)
    bench.set_scope("store")
    _pump(lambda: bench.model.rowCount() > 0 and bool(bench.workload.text()))
    saved.append(_save(window, target / "bench-board.png"))

    # the technician's queue and a ticket being quoted
    _as(window, people, Role.TECHNICIAN)
    bench = _bench(window)
    _pump(lambda: bench.model.rowCount() > 0)
    saved.append(_save(window, target / "bench-queue.png"))

    # intake at the counter for a customer we know
    from sqlalchemy import select

    from core.models import Device
    with window.ctx.db.session() as s:
        device = s.scalars(select(Device).where(Device.model == "iPhone 15")).first()
    dialog = IntakeDialog(window.ctx, customer_id=device.customer_id, parent=bench)
    dialog.resize(1100, 720)
    dialog.open()
    _pump(lambda: dialog.save_button.isEnabled())
    dialog.select_device(device.id)
    dialog.fault.setPlainText(_say("Dropped on the street; the screen is cracked and the lower half does not "
                                   "respond to touch.", "摔在街上，屏幕碎了，下半部分触摸没有反应。"))
    dialog.checks["screen"].setCurrentIndex(dialog.checks["screen"].findData("cracked"))
    dialog.checks["body"].setCurrentIndex(dialog.checks["body"].findData("worn"))
    dialog.condition_notes.setText(_say("Small dent, lower left corner", "左下角有小凹痕"))
    dialog.accessories.setText(_say("Case", "保护壳"))
    dialog.passcode.setText("258036")
    dialog.limit.setValue(500)
    _pump(lambda: True)
    saved.append(_save(dialog, target / "bench-intake.png"))
    dialog.submit()
    _pump(lambda: bench.panel.detail is not None and bench.panel.detail.status == "new")
    panel = bench.panel
    panel.start_diagnosis()
    _pump(lambda: panel.detail.status == "diagnosing" and panel.quote.parts_model.rowCount() > 0)
    panel.quote.findings.setPlainText(_say("Display assembly cracked, digitizer lower half dead. Frame straight; "
                                           "battery health 91 %.", "屏幕总成破裂，下半部分触控失灵。中框无变形；电池健康度 91%。"))
    row = next((i for i, r in enumerate(panel.quote.parts_model.rows) if r.sku.startswith("SCR-")), 0)
    panel.quote.parts_table.selectRow(row)
    panel.quote.add_part()
    panel.quote.labour.setValue(150)
    panel.tabs.setCurrentIndex(1)
    _pump(lambda: True)
    saved.append(_save(window, target / "bench-ticket.png"))

    # a repaired device handed back: the customer signs on the screen
    ready = _ready_ticket(window, "ready")
    if ready is not None:
        bench.open_ticket(ready, fresh=True)
        _pump(lambda: panel.detail is not None and panel.detail.id == ready)
        panel.tabs.setCurrentIndex(5)
        panel.pickup.pad.resize(max(panel.pickup.pad.width(), 420), panel.pickup.pad.height())
        panel.pickup.pad.strokes = [[(40, 80), (52, 52), (60, 86), (74, 48), (86, 90), (104, 60)],
                             [(118, 76), (140, 58), (166, 84), (190, 50), (214, 80), (250, 62), (300, 70)]]
        panel.pickup.pad.update()
        _pump(lambda: True)
        saved.append(_save(window, target / "bench-pickup.png"))
    bench.show_board()
    return saved

"""Screenshots of the bench on the demo store: the technician's queue, the manager's
store-wide board with overdue tickets, the intake form, a ticket being quoted, a
pickup with a signature, and a ticket's history with its messages to the customer."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

from core import clock, repairs
from core.permissions import Role
from tools.screenshots.driver import pump_until, read, save, sign_in_as


def _say(english: str, chinese: str) -> str:
    """Demo text in the language of the screenshot (it is data, not a string of the UI)."""
    from desktop.qt import QLocale
    return chinese if QLocale().name().startswith("zh") else english


def _bench(window):
    window.shell.go("bench")
    bench = window.shell.screens["bench"]
    if bench.stack.currentWidget() is not bench.stack.widget(0):
        bench.show_board()
    return bench


def _ready_ticket(s, actor):
    rows = repairs.board(s, actor, "status", status="ready")
    return max(rows, key=lambda r: r.created_at).id if rows else None


def _two_late(s, actor):
    """A moment just after the two open tickets due soonest ran late: the demo's tickets
    are all on time, and the board should show how it marks late ones."""
    due = sorted(r.due_at for r in repairs.board(s, actor, "store") if r.status != "ready" and r.due_at is not None)
    return due[1] + timedelta(minutes=30) if len(due) > 1 else clock.now()


def _ticket_with_messages(s, actor):
    """A device waiting for pickup whose messages show the most: a failed one first (demo
    step core.demo.messages), else the one with the most messages."""
    from core.messages.timeline import messages_for
    best = max(((sum(m.status == "failed" for m in ms), len(ms), r.id)
                for r in repairs.board(s, actor, "status", status="ready")
                for ms in [messages_for(s, actor, ticket_id=r.id)]), default=None)
    return best[2] if best and best[1] else None


def _iphone_15(s, actor):
    """A customer's iPhone 15 the store has seen before: (customer id, device id)."""
    for row in repairs.list_board(s, actor, include_closed=True, limit=100_000):
        if row.device == "iPhone 15":
            t = repairs.find_ticket(s, actor, row.number)
            if t.customer_id is not None and t.device_id is not None:
                return t.customer_id, t.device_id
    raise LookupError("the demo store has no iPhone 15 on file")


def take(window, target: Path, people: dict) -> list[Path]:
    from desktop.views.intake import IntakeDialog
    target = Path(target)
    saved: list[Path] = []

    # the manager's store-wide board: workload, overdue tickets first (seen a little later)
    sign_in_as(window, people, Role.MANAGER)
    with clock.pinned(read(window, _two_late)):
        bench = _bench(window)
        bench.set_scope("store")
        pump_until(lambda: bench.model.rowCount() > 0 and bool(bench.workload.text()))
        saved.append(save(window, target / "bench-board.png"))

    # the technician's queue and a ticket being quoted
    sign_in_as(window, people, Role.TECHNICIAN)
    bench = _bench(window)
    pump_until(lambda: bench.model.rowCount() > 0)
    saved.append(save(window, target / "bench-queue.png"))

    # intake at the counter for a customer we know
    customer_id, device_id = read(window, _iphone_15)
    dialog = IntakeDialog(window.ctx, customer_id=customer_id, parent=bench)
    dialog.resize(1100, 720)
    dialog.open()
    pump_until(lambda: dialog.save_button.isEnabled())
    dialog.select_device(device_id)
    dialog.fault.setPlainText(_say("Dropped on the street; the screen is cracked and the lower half does not "
                                   "respond to touch.", "摔在街上，屏幕碎了，下半部分触摸没有反应。"))
    dialog.checks["screen"].setCurrentIndex(dialog.checks["screen"].findData("cracked"))
    dialog.checks["body"].setCurrentIndex(dialog.checks["body"].findData("worn"))
    dialog.condition_notes.setText(_say("Small dent, lower left corner", "左下角有小凹痕"))
    dialog.accessories.setText(_say("Case", "保护壳"))
    dialog.passcode.setText("258036")
    dialog.limit.setValue(500)
    pump_until(lambda: True)
    saved.append(save(dialog, target / "bench-intake.png"))
    dialog.submit()
    pump_until(lambda: bench.panel.detail is not None and bench.panel.detail.status == "new")
    panel = bench.panel
    panel.start_diagnosis()
    pump_until(lambda: panel.detail.status == "diagnosing" and panel.quote.parts_model.rowCount() > 0)
    panel.quote.findings.setPlainText(_say("Display assembly cracked, digitizer lower half dead. Frame straight; "
                                           "battery health 91 %.", "屏幕总成破裂，下半部分触控失灵。中框无变形；电池健康度 91%。"))
    row = next((i for i, r in enumerate(panel.quote.parts_model.rows) if r.sku.startswith("SCR-")), 0)
    panel.quote.parts_table.selectRow(row)
    panel.quote.add_part()
    panel.quote.labour.setValue(150)
    panel.tabs.setCurrentIndex(1)
    pump_until(lambda: True)
    saved.append(save(window, target / "bench-ticket.png"))

    # a repaired device handed back: the customer signs on the screen
    ready = read(window, _ready_ticket)
    if ready is not None:
        bench.open_ticket(ready, fresh=True)
        pump_until(lambda: panel.detail is not None and panel.detail.id == ready)
        panel.tabs.setCurrentIndex(5)
        pad = panel.pickup.pad
        pad.resize(max(pad.width(), 420), pad.height())
        pad.strokes = [[(40, 80), (52, 52), (60, 86), (74, 48), (86, 90), (104, 60)],
                       [(118, 76), (140, 58), (166, 84), (190, 50), (214, 80), (250, 62), (300, 70)]]
        pad.update()
        pump_until(lambda: True)
        saved.append(save(window, target / "bench-pickup.png"))

    # a ticket's history with the messages to the customer and how their delivery went
    with_messages = read(window, _ticket_with_messages)
    if with_messages is not None:
        bench.open_ticket(with_messages, fresh=True)
        pump_until(lambda: panel.detail is not None and panel.detail.id == with_messages)
        panel.tabs.setCurrentWidget(panel.history)
        pump_until(lambda: panel.history.messages.model.rowCount() > 0)
        saved.append(save(window, target / "bench-messages.png"))
    bench.show_board()
    return saved

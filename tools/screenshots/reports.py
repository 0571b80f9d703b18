"""Screenshots of the reports area: the Reports screen with its printable reports, the
print preview of a manager report and of a ticket's service report, and the audit trail."""

from __future__ import annotations

from pathlib import Path

from core import repairs
from core.permissions import Perm, Role
from tools.screenshots.driver import pump_until, read, save, sign_in_as


def _collected_ticket(s, actor):
    """The store's first collected ticket by number (its service report has every part)."""
    return min(repairs.board(s, actor, "status", status="collected"), key=lambda r: r.number).id


def take(window, target: Path, people: dict) -> list[Path]:
    from desktop.qt import QApplication
    from desktop.views import preview

    target = Path(target)
    saved: list[Path] = []
    if window.ctx.actor is None or not window.ctx.actor.can(Perm.VIEW_REPORTS):
        sign_in_as(window, people, Role.MANAGER)
    window.shell.go("reports")
    screen = window.shell.screens["reports"]
    pump_until(lambda: screen.tiles["customers"].text() != "–")
    saved.append(save(window, target / "reports.png"))

    def shoot(dialog, name: str) -> None:
        dialog.resize(900, 1000)
        pump_until(lambda: dialog.ready, timeout=30)
        for _ in range(10):          # the view lays out and paints its pages
            QApplication.processEvents()
        saved.append(save(dialog, target / name))
        dialog.close()

    screen.buttons["day"].click()
    dlg = screen.findChildren(preview.PreviewDialog)[-1]
    shoot(dlg, "preview-day-report.png")
    screen.buttons["period"].click()
    dlg = screen.findChildren(preview.PreviewDialog)[-1]
    shoot(dlg, "preview-period-report.png")
    ticket = read(window, _collected_ticket)
    shoot(preview.open_service_report(window.ctx, ticket, parent=window), "preview-service-report.png")
    window.shell.go("audit")
    trail = window.shell.screens["audit"]
    pump_until(lambda: trail.model.rowCount() > 0)
    saved.append(save(window, target / "audit-trail.png"))
    return saved

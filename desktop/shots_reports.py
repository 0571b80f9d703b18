"""Screenshots of the reports area: the Reports screen with its printable reports, and
the print preview of a manager report and of a ticket's service report."""

from __future__ import annotations

from pathlib import Path

from core.permissions import Perm, Role

SIZE = (1280, 800)


def take(window, target: Path, people: dict) -> list[Path]:
    from sqlalchemy import select

    from core.models import RepairTicket
    from desktop.qt import QApplication
    from desktop.screenshots import _pump_until, _save, _sign_in
    from desktop.views import preview

    target = Path(target)
    saved: list[Path] = []
    if window.ctx.actor is None or not window.ctx.actor.can(Perm.VIEW_REPORTS):
        if window.ctx.actor is not None:
            window.switch_user()
        _sign_in(window, people[Role.MANAGER])
    window.shell.go("reports")
    screen = window.shell.screens["reports"]
    _pump_until(lambda: screen.tiles["customers"].text() != "–")
    saved.append(_save(window, target / "reports.png"))

    def shoot(dialog, name: str) -> None:
        dialog.resize(900, 1000)
        _pump_until(lambda: dialog.ready, timeout=30)
        for _ in range(10):          # the view lays out and paints its pages
            QApplication.processEvents()
        saved.append(_save(dialog, target / name))
        dialog.close()

    screen.buttons["day"].click()
    dlg = screen.findChildren(preview.PreviewDialog)[-1]
    shoot(dlg, "preview-day-report.png")
    screen.buttons["period"].click()
    dlg = screen.findChildren(preview.PreviewDialog)[-1]
    shoot(dlg, "preview-period-report.png")
    with window.ctx.db.session() as s:
        ticket = s.scalars(select(RepairTicket.id).where(RepairTicket.status == "collected")
                           .order_by(RepairTicket.number)).first()
    shoot(preview.open_service_report(window.ctx, ticket, parent=window), "preview-service-report.png")
    return saved

"""Screenshots of loyalty for the README: the loyalty screen on a member with a ledger,
the enrolment dialog with its terms and separate consents, and the new member's card."""

from __future__ import annotations

from pathlib import Path

from core import customers
from core.permissions import Perm, Role
from tools.screenshots.driver import pump_until, read, save, sign_in_as


def _pick_member(screen) -> int:
    """A member worth showing: the best tier, then the most points."""
    rank = {"platinum": 3, "gold": 2, "silver": 1}
    rows = screen.model.rows
    best = max(range(len(rows)), key=lambda i: (rank.get(rows[i].tier, 0), rows[i].balance))
    return best


def _not_a_member(s, actor):
    """A customer with a phone and an email, a name in Latin letters, who has not joined."""
    for row in customers.search(s, actor, "@", limit=2000):      # everyone with an email
        if row.tier is None and row.phone and row.display_name[:1].isascii() and row.display_name[:1].isupper():
            return row.id
    return None


def take(window, target: Path, people: dict) -> list[Path]:
    target = Path(target)
    if not window.ctx.can(Perm.ADJUST_LOYALTY):
        sign_in_as(window, people, Role.MANAGER)       # a manager also sees the Adjust action
    window.shell.go("loyalty")
    screen = window.shell.screens["loyalty"]
    pump_until(lambda: screen.model.rowCount() > 0)
    saved = []

    # a member: card, tier, balance, what expires, the ledger
    row = _pick_member(screen)
    screen.table.selectRow(row)
    screen.open_row(row)
    panel = screen.panel
    pump_until(lambda: panel.member is not None and panel.ledger_model.rowCount() > 0)
    saved.append(save(window, target / "loyalty.png"))

    # enrolment: the terms, the required programme consent, marketing by SMS ticked, email not
    cid = read(window, _not_a_member)
    if cid is not None:
        screen.enrol(cid)
        dlg = screen.enroll_dialog
        pump_until(lambda: dlg.enroll_button.isEnabled())
        dlg.programme.setChecked(True)
        dlg.marketing_sms.setChecked(True)
        pump_until(lambda: True)
        saved.append(save(dlg, target / "loyalty-enrol.png"))
        dlg.submit()
        pump_until(lambda: dlg.card.isVisible())
        saved.append(save(dlg, target / "loyalty-enrolled.png"))
        dlg.accept()
        pump_until(lambda: panel.member is not None and panel.member.customer_id == cid)
    return saved

"""Screenshots of loyalty for the README: the loyalty screen on a member with a ledger,
the enrolment dialog with its terms and separate consents, and the new member's card.
Called from ``desktop.screenshots`` on the demo store."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import select

from core.models import Customer, LoyaltyAccount
from core.permissions import Perm, Role


def _pick_member(screen) -> int:
    """A member worth showing: the best tier, then the most points."""
    rank = {"platinum": 3, "gold": 2, "silver": 1}
    rows = screen.model.rows
    best = max(range(len(rows)), key=lambda i: (rank.get(rows[i].tier, 0), rows[i].balance))
    return best


def _not_a_member(window):
    """A customer with a phone and an email who has not joined (read straight from the demo
    database: only to choose whom to photograph)."""
    with window.ctx.db.session() as s:
        members = select(LoyaltyAccount.customer_id)
        return s.scalars(select(Customer.id).where(
            Customer.id.not_in(members), Customer.erased.is_(False), Customer.phone_e164.is_not(None),
            Customer.email.is_not(None), Customer.family_name.op("GLOB")("[A-Z]*"))
            .order_by(Customer.family_name).limit(1)).first()


def take(window, target: Path, people: dict) -> list[Path]:
    from desktop.screenshots import _pump_until, _save, _sign_in

    target = Path(target)
    if not window.ctx.can(Perm.ADJUST_LOYALTY):
        window.switch_user()
        _sign_in(window, people[Role.MANAGER])       # a manager also sees the Adjust action
    window.shell.go("loyalty")
    screen = window.shell.screens["loyalty"]
    _pump_until(lambda: screen.model.rowCount() > 0)
    saved = []

    # a member: card, tier, balance, what expires, the ledger
    row = _pick_member(screen)
    screen.table.selectRow(row)
    screen.open_row(row)
    panel = screen.panel
    _pump_until(lambda: panel.member is not None and panel.ledger_model.rowCount() > 0)
    saved.append(_save(window, target / "loyalty.png"))

    # enrolment: the terms, the required programme consent, marketing by SMS ticked, email not
    cid = _not_a_member(window)
    if cid is not None:
        screen.enrol(cid)
        dlg = screen.enroll_dialog
        _pump_until(lambda: dlg.enroll_button.isEnabled())
        dlg.programme.setChecked(True)
        dlg.marketing_sms.setChecked(True)
        _pump_until(lambda: True)
        saved.append(_save(dlg, target / "loyalty-enrol.png"))
        dlg.submit()
        _pump_until(lambda: dlg.card.isVisible())
        saved.append(_save(dlg, target / "loyalty-enrolled.png"))
        dlg.accept()
        _pump_until(lambda: panel.member is not None and panel.member.customer_id == cid)
    return saved

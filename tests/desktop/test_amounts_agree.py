"""One amount everywhere: for random tickets (every warranty decision, none included;
parts covered or charged; labour with cents; inclusive and exclusive tax) the total on
the bench panel, the total printed on the service report and the points a member earns
at pickup all follow core.money."""

from __future__ import annotations

import uuid
from datetime import datetime, timedelta, timezone

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import select

from core import clock, customers, loyalty, money, repairs, report_data
from core import settings as store_settings
from core import staff
from core.models import Device, LoyaltyEntry, Part, RepairPart, RepairTicket, Store
from core.permissions import Role
from desktop import fmt
from desktop.qt import Qt
from reports import base as report_base
from reports import service_report
from tests.desktop.conftest import PINS, sign_in
from tests.reports.conftest import page_texts

NOW = datetime(2026, 6, 10, 3, 0, tzinfo=timezone.utc)
DECISIONS = (None, "in_warranty", "coverage", "chargeable")


@pytest.fixture(autouse=True)
def _bench_in_the_shell(monkeypatch):
    from desktop import shell
    from desktop.views.bench import BenchScreen
    monkeypatch.setattr(shell, "SCREENS", [BenchScreen if cls.key == "bench" else cls for cls in shell.SCREENS])


def open_bench(qtbot, make_window, path, person):
    w = make_window(path)
    sign_in(qtbot, w, person, PINS[Role.TECHNICIAN])
    qtbot.waitUntil(lambda: w.pages.currentWidget() is w.shell, timeout=10000)
    assert w.shell.go("bench")
    return w, w.shell.screens["bench"]


def _actor(session, person):
    return staff.actor_for(staff.get_staff(session, person.id))


def make_ticket(db, people, *, decision, lines, labour_cents, limit_cents=0):
    """A ticket judged ``decision`` (None: as the demo seed leaves some), quoted with
    ``lines`` of (unit price, quantity, charged although covered?) and ready for pickup.
    Returns (ticket id, customer's member account id)."""
    today = NOW.date()
    with db.session(write=True) as s:
        manager = _actor(s, people[Role.MANAGER])
        c = customers.create_customer(s, manager, given_name="Lee", family_name=f"Test{uuid.uuid4().hex[:6]}",
                                      email=f"{uuid.uuid4().hex[:8]}@example.com")
        terms = loyalty.current_rules(s, manager).terms_version
        member = loyalty.enroll(s, manager, c.id, terms_version=terms, programme=True, now=NOW)
        in_warranty, covered = decision == "in_warranty", decision == "coverage"
        device = Device(customer_id=c.id, model="iPhone 15", kind="phone",
                        warranty_end=today + timedelta(days=90) if in_warranty else None,
                        coverage_end=today + timedelta(days=90) if covered else None)
        s.add(device)
        s.flush()
        quote_lines = []
        for unit, qty, charged in lines:
            part = Part(sku=f"P-{uuid.uuid4().hex[:10]}", name="Display assembly", price_cents=unit, fits="iPhone")
            s.add(part)
            s.flush()
            repairs.receive_stock(s, manager, part.id, qty)
            quote_lines.append(repairs.QuoteLine(part.id, qty, False if charged else None))
        t = repairs.open_ticket(s, manager, customer_id=c.id, device_id=device.id, reported_fault="Cracked",
                                approval_limit_cents=limit_cents, contact_preference="email")
        repairs.start_diagnosis(s, manager, t.id)
        q = repairs.quote(s, manager, t.id, diagnosis="Display broken", lines=quote_lines, labour_cents=labour_cents,
                          accidental_damage=False)
        if decision is None:
            s.get(RepairTicket, t.id).warranty_decision = None
        if q.needs_approval:
            repairs.record_approval(s, manager, t.id, approved=True, channel="in_store")
        repairs.finish_repair(s, manager, t.id)
        repairs.quality_check(s, manager, t.id, {k: True for k in repairs.QC_CHECKS})
        return t.id, member.id


def expected(db, ticket_id) -> money.Breakdown:
    """core.money's figures, from the ticket's stored rows (not from any screen)."""
    with db.session() as s:
        t = s.get(RepairTicket, ticket_id)
        rows = s.scalars(select(RepairPart).where(RepairPart.ticket_id == t.id))
        return money.breakdown(t.warranty_decision, [money.Line(r.price_cents, r.quantity, r.covered) for r in rows],
                               t.labour_cents, money.TaxRule.of(s.get(Store, t.store_id)), t.status)


def flat(text: str) -> str:
    return " ".join(text.replace("\u00a0", " ").split())


def check_everywhere(qtbot, w, bench, people, ticket_id, account_id):
    """Bench total, printed total and points earned at pickup, each against core.money."""
    want = expected(w.ctx.db, ticket_id)
    bench.open_ticket(ticket_id, fresh=True)
    panel = bench.panel
    qtbot.waitUntil(lambda: panel.detail is not None and panel.detail.id == ticket_id, timeout=10000)
    currency = panel.detail.currency
    assert "Total " + flat(fmt.money(want.total_cents, currency)) in flat(panel.quote.totals.text())
    if want.amount_due_cents:
        assert flat(fmt.money(want.amount_due_cents, currency)) in flat(panel.pickup.amount_due.text())

    with w.ctx.db.session() as s:
        data = report_data.service_report(s, _actor(s, people[Role.MANAGER]), ticket_id, now=NOW)
    printed = flat(" ".join(page_texts(service_report.render(data))))
    assert "Total charged " + flat(report_base.money(want.total_cents, currency)) in printed

    panel.pickup.typed_name.setText("Lee Test")
    panel.pickup.identity.setText(panel.detail.number)        # the intake receipt's code
    payment = panel.pickup.payment
    payment.setCurrentIndex(payment.findData("paid" if want.amount_due_cents else "no_charge"))
    assert panel.pickup.pickup_button.isEnabled()
    qtbot.mouseClick(panel.pickup.pickup_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: panel.detail.collected_at is not None, timeout=10000)
    with w.ctx.db.session() as s:
        rules = loyalty.current_rules(s, _actor(s, people[Role.MANAGER]))
        earned = s.scalar(select(LoyaltyEntry.points).where(LoyaltyEntry.ref_id == ticket_id,
                                                            LoyaltyEntry.account_id == account_id,
                                                            LoyaltyEntry.kind == "earn")) or 0
    assert earned == money.points_for_spend(want.amount_due_cents, rules.unit_cents,
                                            rules.points_per_unit["ticket"])
    return want


def set_tax(db, people, rate, inclusive):
    with db.session(write=True) as s:
        store_settings.set_tax(s, _actor(s, people[Role.MANAGER]), rate=rate, inclusive=inclusive, label="Tax")


TICKETS = st.fixed_dictionaries({
    "decision": st.sampled_from(DECISIONS),
    "lines": st.lists(st.tuples(st.integers(1, 300_000), st.integers(1, 3), st.booleans()), max_size=3),
    "labour_cents": st.integers(0, 50_000),
    "limit_cents": st.sampled_from([0, 10_000_000]),
    "tax": st.sampled_from([("0", True), ("13", True), ("8.875", False), ("20", False)]),
})


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(ticket=TICKETS)
def test_bench_paper_and_ledger_agree_on_every_ticket(qtbot, gui_store, make_window, ticket):
    path, people = gui_store
    with clock.pinned(NOW):
        w, bench = _window(qtbot, make_window, path, people)
        lines = ticket["lines"]
        if ticket["decision"] == "chargeable":        # nothing covers it: every part is charged
            lines = [(u, q, True) for u, q, _ in lines]
        set_tax(w.ctx.db, people, *ticket["tax"])
        tid, account = make_ticket(w.ctx.db, people, decision=ticket["decision"], lines=lines,
                                   labour_cents=ticket["labour_cents"], limit_cents=ticket["limit_cents"])
        check_everywhere(qtbot, w, bench, people, tid, account)


_windows: dict = {}


def _window(qtbot, make_window, path, people):
    """One signed-in window per test run (Hypothesis calls the test body many times)."""
    if path not in _windows:
        _windows.clear()
        _windows[path] = open_bench(qtbot, make_window, path, people[Role.TECHNICIAN])
    return _windows[path]


def test_a_ticket_nobody_judged_is_charged_alike_on_bench_paper_and_pickup(qtbot, gui_store, make_window):
    path, people = gui_store
    with clock.pinned(NOW):
        w, bench = open_bench(qtbot, make_window, path, people[Role.TECHNICIAN])
        tid, account = make_ticket(w.ctx.db, people, decision=None, lines=[(12_000, 1, False)], labour_cents=4_567)
        want = check_everywhere(qtbot, w, bench, people, tid, account)
    assert want.labour_charged_cents == 4_567 and want.total_cents == 16_567

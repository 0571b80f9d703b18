"""The bench driven as staff use it: intake from a checked-in appointment, diagnosis, a
quote above the customer's limit, approval, parts used, quality check, and pickup with
a signature drawn on the screen; the board, overdue tickets, the lock."""

from __future__ import annotations

from datetime import timedelta
from types import SimpleNamespace

import pytest
from sqlalchemy import select

from core import clock, demo
from core.db import StoreDatabase
from core.models import (
    Appointment, Customer, Device, Part, PartStock, RepairEvent, RepairTicket, ServiceType,
)
from core.permissions import Role
from desktop.qt import QApplication, QMessageBox, QPoint, Qt
from tests.desktop.conftest import sign_in


@pytest.fixture(autouse=True)
def _bench_in_the_shell(monkeypatch):
    """This screen replaces the foundation's bench list (same key); until the shell imports
    it, put it in place for these tests."""
    from desktop import shell
    from desktop.views.bench import BenchScreen
    monkeypatch.setattr(shell, "SCREENS", [BenchScreen if cls.key == "bench" else cls for cls in shell.SCREENS])


@pytest.fixture
def bench_store(tmp_path, memory_keyring):
    """The demo store plus a customer who has just checked in for a screen repair on their
    iPhone 15, with one display in stock."""
    path = tmp_path / "store.db"
    db = StoreDatabase.create(path)
    info = demo.build_demo(db, customers=40, seed=3)
    with db.session(write=True) as s:
        device = s.scalars(select(Device).where(Device.model == "iPhone 15")).first()
        customer = s.get(Customer, device.customer_id)
        device.warranty_end = device.coverage_end = None          # a chargeable repair
        service = s.scalars(select(ServiceType).where(ServiceType.code == "screen_repair")).one()
        now = clock.now()
        appt = Appointment(store_id=info.store_id, customer_id=customer.id, service_type_id=service.id,
                           technician_id=None, starts_at=now - timedelta(minutes=5),
                           ends_at=now + timedelta(minutes=55), status="checked_in", checked_in_at=now,
                           source="phone")
        s.add(appt)
        part = s.scalars(select(Part).where(Part.sku == "SCR-IP15")).one()
        stock = s.get(PartStock, (info.store_id, part.id))
        stock.on_hand = stock.reserved + 1
    db.close()
    people = {Role(m.role): SimpleNamespace(id=m.staff_id, pin=m.pin, name=m.display_name)
              for m in reversed(info.staff)}    # the first of each role
    return SimpleNamespace(path=path, people=people, appointment_id=appt.id, customer=customer.display_name,
                           customer_id=customer.id, device_id=device.id, part_id=part.id, store_id=info.store_id)


def open_shell(qtbot, make_window, store, role):
    w = make_window(store.path)
    person = store.people[role]
    sign_in(qtbot, w, person, person.pin)
    qtbot.waitUntil(lambda: w.pages.currentWidget() is w.shell, timeout=10000)
    return w


def wait_status(qtbot, panel, status):
    qtbot.waitUntil(lambda: panel.detail is not None and panel.detail.status == status, timeout=10000)


def click(qtbot, button):
    assert button.isVisible() and button.isEnabled(), button.text()
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)


def stock_of(w, store):
    with w.ctx.db.session() as s:
        ps = s.get(PartStock, (store.store_id, store.part_id))
        return ps.on_hand, ps.reserved


def test_from_checked_in_appointment_to_pickup_with_a_signature(qtbot, bench_store, make_window):
    from desktop.views.intake import IntakeDialog
    store = bench_store
    w = open_shell(qtbot, make_window, store, Role.TECHNICIAN)
    assert w.shell.go("bench")
    bench = w.shell.screens["bench"]
    panel = bench.panel

    # intake, as the appointment's check-in opens it
    dialog = IntakeDialog(w.ctx, appointment_id=store.appointment_id, parent=bench)
    dialog.open()
    qtbot.waitUntil(lambda: dialog.save_button.isEnabled(), timeout=10000)
    assert dialog.customer_label.text() == store.customer
    assert dialog.appointment_label.isVisible() and "Screen repair" in dialog.appointment_label.text()
    dialog.select_device(store.device_id)
    assert dialog.device.currentData() == store.device_id
    assert not dialog.imei.isEnabled(), "a known device keeps its IMEI"
    dialog.fault.setPlainText("Dropped it; the screen is cracked and touch does not work")
    dialog.checks["screen"].setCurrentIndex(dialog.checks["screen"].findData("cracked"))
    dialog.condition_notes.setText("Dent on the lower left corner")
    dialog.accessories.setText("Case")
    dialog.passcode.setText("2580")
    dialog.limit.setValue(100)
    before = stock_of(w, store)
    click(qtbot, dialog.save_button)
    qtbot.waitUntil(lambda: panel.detail is not None, timeout=10000)
    assert bench.stack.currentWidget() is panel
    d = panel.detail
    assert d.status == "new" and d.appointment_id == store.appointment_id and d.has_passcode
    assert panel.number.text() == d.number and d.number.startswith("SH01-")
    assert "cracked" in panel.intake.i["condition"].text() and panel.intake.i["customer"].text() == store.customer

    # diagnosis and a quote above the limit
    click(qtbot, panel.start_button)
    wait_status(qtbot, panel, "diagnosing")
    assert panel.tabs.currentIndex() == 1 and panel.detail.technician == store.people[Role.TECHNICIAN].name
    panel.quote.findings.setPlainText("Display assembly cracked; digitizer dead")
    qtbot.waitUntil(lambda: panel.quote.parts_model.rowCount() > 0, timeout=10000)
    row = next(i for i, r in enumerate(panel.quote.parts_model.rows) if r.sku == "SCR-IP15")
    assert panel.quote.parts_model.rows[0].fits == "iPhone 15", "parts that fit the device come first"
    part_price = panel.quote.parts_model.rows[row].price_cents
    panel.quote.parts_table.selectRow(row)
    click(qtbot, panel.quote.add_part_button)
    panel.quote.labour.setValue(150)
    assert "Above the customer's limit" in panel.quote.totals.text()
    click(qtbot, panel.quote.quote_button)
    wait_status(qtbot, panel, "awaiting_approval")
    assert panel.tabs.currentIndex() == 3
    assert stock_of(w, store) == before, "nothing is reserved before the customer says yes"

    # the customer approves on the phone: the part is reserved, repair starts
    panel.approval.channel.setCurrentIndex(panel.approval.channel.findData("phone"))
    click(qtbot, panel.approval.approve_button)
    wait_status(qtbot, panel, "in_repair")
    assert panel.detail.approval == "approved" and panel.detail.approval_channel == "phone"
    assert stock_of(w, store) == (before[0], before[1] + 1)

    # repair done: the part is used; quality check
    click(qtbot, panel.qc.finish_button)
    wait_status(qtbot, panel, "quality_check")
    assert stock_of(w, store) == (before[0] - 1, before[1])
    assert not panel.qc.qc_pass_button.isEnabled(), "every check must be ticked to pass"
    for box in panel.qc.qc_boxes.values():
        box.setChecked(True)
    click(qtbot, panel.qc.qc_pass_button)
    wait_status(qtbot, panel, "ready")
    assert panel.tabs.currentIndex() == 5

    # pickup: the customer signs on the screen
    pad = panel.pickup.pad
    qtbot.mousePress(pad, Qt.MouseButton.LeftButton, pos=QPoint(30, 60))
    for x, y in ((60, 40), (90, 80), (130, 50), (170, 75), (210, 45)):
        qtbot.mouseMove(pad, QPoint(x, y))
    qtbot.mouseRelease(pad, Qt.MouseButton.LeftButton, pos=QPoint(240, 60))
    assert not pad.is_empty()
    assert panel.pickup.collected_by.text() == store.customer
    panel.pickup.identity.setText(panel.detail.number)        # the intake receipt's barcode, scanned
    # an amount is due: nothing is chosen for payment until someone says how it was paid
    assert panel.pickup.payment.currentData() is None
    assert "Amount due" in panel.pickup.amount_due.text() and panel.pickup.amount_due.isVisible()
    click(qtbot, panel.pickup.pickup_button)
    qtbot.waitUntil(lambda: panel.pickup.p_fields.text("payment_status") != "", timeout=10000)
    assert panel.detail.status == "ready", "not handed over without a payment answer"
    panel.pickup.payment.setCurrentIndex(panel.pickup.payment.findData("paid"))
    click(qtbot, panel.pickup.pickup_button)
    wait_status(qtbot, panel, "collected")
    assert panel.pickup.signature_view.isVisible() and not panel.pickup.pickup_button.isVisible()

    with w.ctx.db.session() as s:
        t = s.get(RepairTicket, d.id)
        history = [e.to_status for e in s.scalars(select(RepairEvent).where(RepairEvent.ticket_id == d.id)
                                                  .order_by(RepairEvent.at, RepairEvent.id))]
    assert t.pickup_signature.startswith(b"\x89PNG") and len(t.pickup_signature) > 200
    assert t.passcode_sealed is None and t.payment_status == "paid" and t.collected_by == store.customer
    assert t.quote_cents == part_price + 15000, "the quote is the listed part and the labour entered"
    assert history == ["new", "diagnosing", "awaiting_approval", "in_repair", "quality_check", "ready", "collected"]
    assert [h.to_status for h in panel.detail.history] == history
    assert panel.history.history_model.rowCount() == len(history)


def test_intake_errors_show_beside_their_fields(qtbot, bench_store, make_window):
    from desktop.views.intake import IntakeDialog
    store = bench_store
    w = open_shell(qtbot, make_window, store, Role.ASSOCIATE)
    w.shell.go("bench")
    bench = w.shell.screens["bench"]
    click(qtbot, bench.intake_button)
    dialog = next(d for d in bench.findChildren(IntakeDialog) if d.isVisible())
    qtbot.waitUntil(lambda: dialog.save_button.isEnabled(), timeout=10000)
    assert dialog.finder.isVisible(), "a walk-in: find the customer or add one"
    dialog.family_name.setText("Becker")
    dialog.given_name.setText("Jonas")
    dialog.phone.setText("13912345678")
    assert dialog.device.currentData() is None
    dialog.model_edit.setText("Galaxy S23")
    dialog.imei.setText("356938035643808")              # check digit wrong
    dialog.passcode.setText("1234")
    with w.ctx.db.session() as s:
        tickets = len(s.scalars(select(RepairTicket.id)).all())
    click(qtbot, dialog.save_button)
    qtbot.waitUntil(lambda: dialog.save_button.isEnabled(), timeout=10000)
    assert dialog.fields.text("imei") == "check digit does not match"
    assert dialog.fields.text("reported_fault")
    assert dialog.isVisible()
    with w.ctx.db.session() as s:
        assert len(s.scalars(select(RepairTicket.id)).all()) == tickets
        assert s.scalars(select(Customer).where(Customer.family_name == "Becker",
                                                Customer.given_name == "Jonas")).first() is None
    dialog.imei.setText("356938035643809")
    dialog.fault.setPlainText("Does not charge")
    click(qtbot, dialog.save_button)
    qtbot.waitUntil(lambda: bench.panel.detail is not None, timeout=10000)
    assert bench.panel.detail.customer_name == "Jonas Becker" and bench.panel.detail.imei == "356938035643809"


def test_manager_sees_the_store_and_overdue_tickets_stand_out(qtbot, bench_store, make_window, qtmodeltester):
    store = bench_store
    w = open_shell(qtbot, make_window, store, Role.MANAGER)
    with w.ctx.db.session(write=True) as s:
        late = s.scalars(select(RepairTicket).where(RepairTicket.status == "diagnosing")).first()
        late.due_at = clock.now() - timedelta(hours=5)
        on_time = s.scalars(select(RepairTicket).where(RepairTicket.status == "new")).first()
        on_time.due_at = clock.now() + timedelta(days=2)
    w.shell.go("bench")
    bench = w.shell.screens["bench"]
    assert bench.scope == "store" and bench.scope_buttons["store"].isVisible()
    qtbot.waitUntil(lambda: bench.model.rowCount() > 0 and bench.workload.text() != "", timeout=10000)
    qtmodeltester.check(bench.model)
    rows = bench.model.rows
    assert rows[0].overdue, "overdue tickets come first"
    i_late = next(i for i, r in enumerate(rows) if r.id == late.id)
    i_ok = next(i for i, r in enumerate(rows) if r.id == on_time.id)
    bg = Qt.ItemDataRole.BackgroundRole
    assert bench.model.data(bench.model.index(i_late, 0), bg) is not None
    assert bench.model.data(bench.model.index(i_late, 2), Qt.ItemDataRole.FontRole).bold()
    assert bench.model.data(bench.model.index(i_ok, 0), bg) is None
    assert bench.model.data(bench.model.index(i_late, 6)).startswith("overdue")
    assert "overdue" in bench.summary.text() and "Open" in bench.workload.text()
    # by status: what is ready for pickup
    bench.set_scope("status")
    bench.status_filter.setCurrentIndex(bench.status_filter.findData("ready"))
    qtbot.waitUntil(lambda: bench.model.rowCount() > 0 and all(r.status == "ready" for r in bench.model.rows),
                    timeout=10000)
    # a ticket opened from the board, and the technician's own view
    bench.open_row(0)
    qtbot.waitUntil(lambda: bench.panel.detail is not None, timeout=10000)
    panel = bench.panel
    assert panel.pickup.pickup_button.isEnabled() and not panel.qc.finish_button.isEnabled()
    assert not panel.approval.approve_button.isEnabled() and not panel.quote.quote_button.isVisible()
    w.close()

    w2 = open_shell(qtbot, make_window, store, Role.TECHNICIAN)
    w2.shell.go("bench")
    tech_bench = w2.shell.screens["bench"]
    assert tech_bench.scope == "queue" and not tech_bench.scope_buttons["store"].isVisible()
    qtbot.waitUntil(lambda: tech_bench.model.rowCount() > 0, timeout=10000)
    me = w2.ctx.actor.staff_id
    assert all(r.technician_id in (None, me) for r in tech_bench.model.rows)


def test_refused_move_is_explained_and_lock_clears_the_ticket(qtbot, bench_store, make_window):
    from desktop.views.bench import fail
    from core import repairs
    store = bench_store
    w = open_shell(qtbot, make_window, store, Role.ASSOCIATE)
    w.shell.go("bench")
    bench = w.shell.screens["bench"]
    with w.ctx.db.session() as s:
        ticket = s.scalars(select(RepairTicket).where(RepairTicket.status == "awaiting_approval")).first()
        name = s.get(Customer, ticket.customer_id).display_name
    bench.open_ticket(ticket.id, fresh=True)
    qtbot.waitUntil(lambda: bench.panel.detail is not None, timeout=10000)
    panel = bench.panel
    assert panel.approval.approve_button.isEnabled() and panel.tabs.currentIndex() == 3
    assert name in panel.subtitle.text()
    fail(panel, repairs.IllegalMove("awaiting_approval", "collected"))
    box = next(b for b in panel.findChildren(QMessageBox) if b.isVisible())
    assert box.text() == "A ticket that is awaiting approval cannot become collected."
    box.close()
    w.lock()
    from desktop.qt import QLabel, QLineEdit
    texts = [x.text() for x in w.shell.findChildren(QLabel) + w.shell.findChildren(QLineEdit)]
    assert not any(name in t or ticket.number in t for t in texts)
    assert panel.history.history_model.rowCount() == 0 and bench.model.rowCount() == 0
    w.lock_page.credentials.secret.setText(store.people[Role.ASSOCIATE].pin)
    w.lock_page.credentials._submit()
    qtbot.waitUntil(lambda: bench.panel.detail is not None and bench.panel.detail.id == ticket.id, timeout=10000)


def test_intake_receipt_and_label_open_for_printing(qtbot, bench_store, make_window):
    preview = pytest.importorskip("desktop.views.preview")
    store = bench_store
    w = open_shell(qtbot, make_window, store, Role.ASSOCIATE)
    w.shell.go("bench")
    bench = w.shell.screens["bench"]
    with w.ctx.db.session() as s:
        ticket = s.scalars(select(RepairTicket).where(RepairTicket.status == "new")).first()
    bench.find.setText(ticket.number.lower())
    bench.find_ticket()
    qtbot.waitUntil(lambda: bench.panel.detail is not None, timeout=10000)
    for button, title in ((bench.panel.receipt_button, "Intake receipt"), (bench.panel.label_button, "Device label")):
        click(qtbot, button)
        qtbot.waitUntil(lambda: any(d.isVisible() and d.windowTitle().startswith(title)
                                    for d in bench.panel.findChildren(preview.PreviewDialog)), timeout=20000)
        dlg = next(d for d in bench.panel.findChildren(preview.PreviewDialog) if d.isVisible())
        qtbot.waitUntil(lambda: dlg.pdf is not None, timeout=20000)
        assert dlg.pdf.startswith(b"%PDF")
        dlg.close()
    QApplication.processEvents()

"""Staff who work in Chinese read a ticket's history in Chinese on the bench (the system's
entries worded from their codes, the quoted amount in yuan), and the built-in services in
Chinese on the appointments screen and in a customer's timeline."""

from __future__ import annotations

from sqlalchemy import select

from core.models import RepairEvent, RepairTicket
from core.permissions import Role
from desktop.qt import Qt
from tests.desktop.conftest import sign_in
from tests.desktop.test_bench_gui import _bench_in_the_shell, bench_store  # noqa: F401  (fixtures)


def _shell(qtbot, make_window, store, role, language):
    w = make_window(store.path, language=language)
    person = store.people[role]
    sign_in(qtbot, w, person, person.pin)
    qtbot.waitUntil(lambda: w.pages.currentWidget() is w.shell, timeout=10000)
    return w


def _column(model, column: int) -> list[str]:
    return [model.data(model.index(row, column), Qt.ItemDataRole.DisplayRole) for row in range(model.rowCount())]


def test_bench_history_reads_in_chinese(qtbot, bench_store, make_window):
    store = bench_store
    w = _shell(qtbot, make_window, store, Role.TECHNICIAN, "zh_CN")
    with w.ctx.db.session() as s:
        quoted = select(RepairEvent.ticket_id).where(RepairEvent.to_status == "awaiting_approval")
        ticket = s.scalars(select(RepairTicket).where(RepairTicket.status == "collected",
                                                      RepairTicket.id.in_(quoted))
                           .order_by(RepairTicket.number)).first()
    w.shell.go("bench")
    bench = w.shell.screens["bench"]
    bench.open_ticket(ticket.id, fresh=True)
    qtbot.waitUntil(lambda: bench.panel.detail is not None and bench.panel.detail.id == ticket.id, timeout=10000)
    notes = _column(bench.panel.history.history_model, 4)
    amount = f"¥{ticket.quote_cents // 100:,}.{ticket.quote_cents % 100:02d}"
    assert notes[:3] == ["已在柜台登记", "开始检测", f"报价已发送给客户：{amount}"]
    assert notes[-1] == "客户已取机"
    assert not any("Checked in" in n or "Quote sent" in n or "Collected" in n for n in notes)
    assert _column(bench.panel.history.history_model, 3)[0] == "新建"


def test_built_in_services_read_in_chinese_on_the_day_list_and_the_timeline(qtbot, bench_store, make_window):
    store = bench_store
    w = _shell(qtbot, make_window, store, Role.ASSOCIATE, "zh_CN")
    w.shell.go("appointments")
    screen = w.shell.screens["appointments"]
    qtbot.waitUntil(lambda: screen.plan is not None and screen.model.rowCount() > 0, timeout=10000)
    services = set(_column(screen.model, 2))
    assert "屏幕维修" in services and "Screen repair" not in services

    w.shell.go("customers")
    customers = w.shell.screens["customers"]
    customers.show_customer(store.customer_id, store.customer)
    qtbot.waitUntil(lambda: customers.detail.profile is not None
                    and customers.detail.profile.customer.id == store.customer_id, timeout=10000)
    model = customers.detail.timeline
    rows = [model.row_at(i) for i in range(model.rowCount())]
    titles = [model.data(model.index(i, 2), Qt.ItemDataRole.DisplayRole) for i, r in enumerate(rows)
              if r.kind == "appointment"]
    assert "屏幕维修" in titles and "Screen repair" not in titles

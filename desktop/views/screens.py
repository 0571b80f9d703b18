"""The list screens for appointments, the bench, trade-ins and loyalty: real data from
the core, read in a worker. Their issues grow each into a full workspace."""

from __future__ import annotations

from datetime import date, datetime, timezone

from core import appointments, loyalty, repairs, tradein
from core.permissions import Perm
from desktop import fmt
from desktop.labels import label
from desktop.models.rows import Column
from desktop.qt import QColor, QLocale, QPushButton
from desktop.views.base import ListScreen


status_text = label


class AppointmentsScreen(ListScreen):
    key, icon, perm = "appointments", "calendar", Perm.BOOK_APPOINTMENTS
    watches = ("appointment",)

    def __init__(self, ctx, parent=None):
        self.day = date.today()
        super().__init__(ctx, parent)
        prev_day, today, next_day = (QPushButton("◀"), QPushButton(self.tr("Today")), QPushButton("▶"))
        prev_day.setToolTip(self.tr("Previous day (Alt+Left)"))
        prev_day.setShortcut("Alt+Left")
        next_day.setToolTip(self.tr("Next day (Alt+Right)"))
        next_day.setShortcut("Alt+Right")
        prev_day.clicked.connect(lambda: self.move(-1))
        next_day.clicked.connect(lambda: self.move(1))
        today.clicked.connect(lambda: self.move(0))
        for b in (prev_day, today, next_day):
            self.toolbar.addWidget(b)
        self.toolbar.addStretch(1)

    def move(self, days: int) -> None:
        from datetime import timedelta
        self.day = date.today() if days == 0 else self.day + timedelta(days=days)
        self.activate()

    def title(self) -> str:
        return self.tr("Appointments")

    def columns(self):
        return [Column(self.tr("Time"), lambda r: f"{fmt.time_only(r.starts_at)}–{fmt.time_only(r.ends_at)}",
                       sort_key=lambda r: r.starts_at),
                Column(self.tr("Customer"), lambda r: r.customer),
                Column(self.tr("Service"), lambda r: r.service),
                Column(self.tr("Technician"), lambda r: r.technician),
                Column(self.tr("Status"), lambda r: status_text(r.status))]

    def query(self):
        actor, day = self.ctx.actor, self.day
        return lambda s: appointments.list_day(s, actor, day)

    def _loaded(self, rows) -> None:
        super()._loaded(rows)
        self.heading.setText(f"{self.title()} · {fmt.day(self.day)}")

    def empty_text(self) -> str:
        return self.tr("No appointments on this day.")


class BenchScreen(ListScreen):
    key, icon, perm = "bench", "wrench", Perm.WORK_TICKETS
    watches = ("repair_ticket",)

    def title(self) -> str:
        return self.tr("Bench")

    def columns(self):
        now = datetime.now(timezone.utc)
        overdue = lambda r: QColor("#c0392b") if r.due_at and r.due_at < now else None  # noqa: E731
        return [Column(self.tr("Ticket"), lambda r: r.number),
                Column(self.tr("Status"), lambda r: status_text(r.status), foreground=overdue),
                Column(self.tr("Customer"), lambda r: r.customer),
                Column(self.tr("Device"), lambda r: r.device),
                Column(self.tr("Technician"), lambda r: r.technician),
                Column(self.tr("Opened"), lambda r: fmt.date_time(r.created_at), sort_key=lambda r: r.created_at),
                Column(self.tr("Due"), lambda r: fmt.date_time(r.due_at), foreground=overdue,
                       sort_key=lambda r: (r.due_at is None, r.due_at or now))]

    def query(self):
        actor = self.ctx.actor
        return lambda s: repairs.list_board(s, actor)

    def empty_text(self) -> str:
        return self.tr("No open repair tickets.")


class TradeInScreen(ListScreen):
    key, icon, perm = "tradein", "swap", Perm.TAKE_TRADE_INS
    watches = ("tradein_quote",)

    def title(self) -> str:
        return self.tr("Trade-in")

    def columns(self):
        cur = self.ctx.store.currency if self.ctx.store else "USD"
        return [Column(self.tr("Quoted"), lambda r: fmt.date_time(r.created_at), sort_key=lambda r: r.created_at),
                Column(self.tr("Customer"), lambda r: r.customer),
                Column(self.tr("Device"), lambda r: r.device),
                Column(self.tr("Grade"), lambda r: status_text(r.grade)),
                Column(self.tr("Value"), lambda r: fmt.money(r.value_cents, cur), sort_key=lambda r: r.value_cents,
                       align_right=True),
                Column(self.tr("Status"), lambda r: status_text(r.status)),
                Column(self.tr("Expires"), lambda r: fmt.day(r.expires_at), sort_key=lambda r: r.expires_at)]

    def query(self):
        actor = self.ctx.actor
        return lambda s: tradein.list_quotes(s, actor)

    def empty_text(self) -> str:
        return self.tr("No trade-in quotes yet.")


class LoyaltyScreen(ListScreen):
    key, icon, perm = "loyalty", "star", Perm.MANAGE_LOYALTY
    watches = ("loyalty_account", "loyalty_entry")

    def title(self) -> str:
        return self.tr("Loyalty")

    def columns(self):
        return [Column(self.tr("Member"), lambda r: r.member_number),
                Column(self.tr("Customer"), lambda r: r.customer),
                Column(self.tr("Tier"), lambda r: status_text(r.tier)),
                Column(self.tr("Points"), lambda r: QLocale().toString(r.balance),
                       sort_key=lambda r: r.balance, align_right=True),
                Column(self.tr("Enrolled"), lambda r: fmt.day(r.enrolled_at), sort_key=lambda r: r.enrolled_at)]

    def query(self):
        actor = self.ctx.actor
        return lambda s: loyalty.list_members(s, actor)

    def empty_text(self) -> str:
        return self.tr("No loyalty members yet.")

"""Customer lookup: one search box (typing or a scanner), results as the user types, and
the whole relationship beside them."""

from __future__ import annotations

from typing import TYPE_CHECKING

from core import privacy, search
from core.permissions import Perm
from desktop import fmt
from desktop.errors import show_error
from desktop.labels import label
from desktop.models.rows import Column, RowRole, RowsModel
from desktop.qt import (
    QDialog, QDialogButtonBox, QLabel, QLineEdit, QMessageBox, QProgressBar, QPushButton, QSplitter, Qt,
    QTimer, QVBoxLayout, QWidget,
)
from desktop.views.base import Screen
from desktop.views.customer_form import CustomerForm
from desktop.views.profile import ProfilePanel
from desktop.widgets.table import list_table

if TYPE_CHECKING:
    import uuid

    from core import customers
    from desktop.context import AppContext

DEBOUNCE_MS = 150


class LookupBox(QWidget):
    """A search field and its results: debounced, answers in a worker, stale answers dropped."""

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        lay = QVBoxLayout(self)
        lay.setContentsMargins(0, 0, 0, 0)
        self.search = QLineEdit()
        self.search.setObjectName("customerSearch")
        self.search.setClearButtonEnabled(True)
        self.search.setPlaceholderText(self.tr("Name, 拼音, phone, email, IMEI, serial or member card"))
        lay.addWidget(self.search)
        self.busy = QProgressBar()
        self.busy.setRange(0, 0)
        self.busy.setMaximumHeight(3)
        self.busy.setTextVisible(False)
        self.busy.hide()
        lay.addWidget(self.busy)
        self.model = RowsModel([
            Column(self.tr("Name"), lambda r: r.display_name),
            Column(self.tr("Phone"), lambda r: r.phone),
            Column(self.tr("Last visit"), lambda r: fmt.day(r.last_visit),
                   sort_key=lambda r: (r.last_visit is None, r.last_visit)),
            Column(self.tr("Tier"), lambda r: label(r.tier)),
        ], self)
        self.table = list_table(self.model)
        lay.addWidget(self.table, 1)
        self.empty = QLabel()
        self.empty.setObjectName("emptyNote")
        lay.addWidget(self.empty)
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(DEBOUNCE_MS)
        self._timer.timeout.connect(self.run)
        self.search.textChanged.connect(lambda _: self._timer.start())
        self._seq = 0
        self.on_results = None

    def run(self) -> None:
        self._timer.stop()
        self._seq += 1
        seq, text, actor = self._seq, self.search.text(), self.ctx.actor
        if self.ctx.db is None or actor is None:
            return
        if not text.strip():
            self._show(seq, [])
            return
        self.busy.show()
        self.ctx.read(lambda s: search.lookup(s, actor, text), on_result=lambda rows: self._show(seq, rows),
                      on_error=self._failed, owner=self)

    def _show(self, seq: int, rows: list[search.LookupRow]) -> None:
        if seq != self._seq or self.ctx.locked:
            return   # an older answer (the user typed on), or the counter locked meanwhile
        self.busy.hide()
        self.model.set_rows(rows)
        if not self.search.text().strip():
            self.empty.setText(self.tr("Type or scan to find a customer."))
        else:
            self.empty.setText("" if rows else self.tr("No customer matches."))
        if self.on_results:
            self.on_results(rows)

    def _failed(self, exc: BaseException) -> None:
        self.busy.hide()
        show_error(self, exc)

    def row(self, index: int) -> search.LookupRow | None:
        return self.model.data(self.model.index(index, 0), RowRole)

    def clear(self) -> None:
        self._timer.stop()
        self._seq += 1
        self.search.blockSignals(True)
        self.search.clear()
        self.search.blockSignals(False)
        self.model.clear()
        self.empty.clear()


class MergeDialog(QDialog):
    """A manager picks the duplicate profile to fold into the one on screen."""

    def __init__(self, ctx: AppContext, winner: customers.CustomerView, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Merge customers"))
        self.setMinimumSize(560, 420)
        self.ctx, self.winner = ctx, winner
        lay = QVBoxLayout(self)
        lay.addWidget(QLabel(self.tr("Keep {0}. Find the duplicate profile to merge into it:").format(
            winner.display_name)))
        self.lookup = LookupBox(ctx)
        lay.addWidget(self.lookup, 1)
        self.note = QLabel(self.tr("Everything of the duplicate (devices, visits, tickets, points) moves to the "
                                   "profile kept; the duplicate remains only as a pointer to it."))
        self.note.setWordWrap(True)
        self.note.setObjectName("hint")
        lay.addWidget(self.note)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        self.merge_button = self.buttons.addButton(self.tr("Merge"), QDialogButtonBox.ButtonRole.AcceptRole)
        self.merge_button.setObjectName("primary")
        self.buttons.accepted.connect(self._merge)
        self.buttons.rejected.connect(self.reject)
        lay.addWidget(self.buttons)

    def _merge(self) -> None:
        idx = self.lookup.table.currentIndex()
        loser = self.lookup.row(idx.row()) if idx.isValid() else None
        if loser is None or loser.id == self.winner.id:
            QMessageBox.information(self, self.windowTitle(), self.tr("Choose the duplicate profile first."))
            return
        actor, wid = self.ctx.actor, self.winner.id
        self.ctx.write(lambda s: privacy.merge_customers(s, actor, wid, loser.id),
                       on_result=lambda _: self.accept(), on_error=lambda e: show_error(self, e), owner=self)


class CustomersScreen(Screen):
    key, icon, perm = "customers", "people", Perm.VIEW_CUSTOMERS
    watches = ("customer", "consent", "customer_note", "appointment", "repair_ticket", "tradein_quote",
               "loyalty_account", "loyalty_entry")

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(ctx, parent)
        outer = QVBoxLayout(self)
        outer.setContentsMargins(20, 16, 20, 16)
        head = self.add_header(outer, refresh=False)
        self.new_button = QPushButton(self.tr("New customer"))
        self.new_button.setObjectName("primary")
        self.new_button.setShortcut("Ctrl+N")
        self.new_button.setToolTip(self.tr("New customer (Ctrl+N)"))
        self.new_button.clicked.connect(self.new_customer)
        head.addWidget(self.new_button)
        split = QSplitter(Qt.Orientation.Horizontal)
        self.lookup = LookupBox(ctx)
        self.lookup.on_results = self._results
        self.search = self.lookup.search           # the shell's global search and tests use these
        self.model = self.lookup.model
        self.table = self.lookup.table
        split.addWidget(self.lookup)
        self.detail = ProfilePanel(ctx)
        self.detail.hide()
        self.detail.action.connect(self._action)
        self.detail.changed.connect(self.reload_profile)
        split.addWidget(self.detail)
        self.lookup.setMinimumWidth(360)
        split.setStretchFactor(0, 2)
        split.setStretchFactor(1, 3)
        split.setSizes([460, 700])
        outer.addWidget(split, 1)
        self.search.returnPressed.connect(self._open_first)
        self.table.activated.connect(lambda idx: self.open_row(idx.row()))
        self.table.doubleClicked.connect(lambda idx: self.open_row(idx.row()))
        self.table.selectionModel().currentRowChanged.connect(lambda cur, _: self.open_row(cur.row()))
        self._current_id = None
        self._restore_text = ""

    def title(self) -> str:
        return self.tr("Customers")

    def activate(self) -> None:
        self.new_button.setVisible(self.ctx.can(Perm.EDIT_CUSTOMERS))
        if self.search.text().strip():
            self.lookup.run()
        self.reload_profile()

    def _results(self, rows: list[search.LookupRow]) -> None:
        self.summary.setText(self.tr("{0} shown").format(len(rows)) if rows else "")

    def focus_search(self, text: str | None = None) -> None:
        self.search.setFocus()
        if text is not None:
            self.search.setText(text)
            self.lookup.run()
        else:
            self.search.selectAll()

    def _open_first(self) -> None:
        # a scanner ends with Enter: search now, then open the best match
        self.lookup._timer.stop()
        text = self.search.text()
        actor = self.ctx.actor
        if not text.strip() or actor is None:
            return
        self.lookup._seq += 1
        seq = self.lookup._seq

        def found(rows: list[search.LookupRow]) -> None:
            self.lookup._show(seq, rows)
            if rows and seq == self.lookup._seq:
                self.table.selectRow(0)
                self.open_id(rows[0].id)
        self.ctx.read(lambda s: search.lookup(s, actor, text), on_result=found, on_error=self.fail, owner=self)

    def open_row(self, row: int) -> None:
        r = self.lookup.row(row) if row >= 0 else None
        if r is not None:
            self.open_id(r.id)

    def open_id(self, customer_id: uuid.UUID) -> None:
        if self._current_id == customer_id and self.detail.isVisible():
            return
        self._current_id = customer_id
        self.reload_profile()

    def reload_profile(self) -> None:
        cid, actor = self._current_id, self.ctx.actor
        if cid is None or actor is None or self.ctx.locked:
            return
        self.ctx.read(lambda s: privacy.profile(s, actor, privacy.resolve(s, actor, cid)), on_result=self._show_profile,
                      on_error=self._profile_failed, owner=self)

    def _show_profile(self, p: privacy.Profile) -> None:
        if self.ctx.locked:
            return
        self._current_id = p.customer.id
        self.detail.show_profile(p)
        self.detail.show()

    def _profile_failed(self, exc: BaseException) -> None:
        from core.errors import NotFound
        if isinstance(exc, NotFound):
            self._current_id = None
            self.detail.clear()
            self.detail.hide()
            return
        self.fail(exc)

    def new_customer(self) -> None:
        form = CustomerForm(self.ctx, None, self, on_saved=lambda v: self._created(v))
        form.open()

    def _created(self, view: customers.CustomerView) -> None:
        self._current_id = view.id
        self.search.setText(view.display_name)
        self.lookup.run()
        self.reload_profile()

    def _action(self, key: str, cid: uuid.UUID) -> None:
        p = self.detail.profile
        if key == "edit" and p is not None:
            CustomerForm(self.ctx, p.customer, self, on_saved=lambda v: self.reload_profile()).open()
        elif key == "merge" and p is not None:
            dlg = MergeDialog(self.ctx, p.customer, self)
            dlg.accepted.connect(self.reload_profile)
            dlg.open()
        elif key == "erased":
            self._current_id = None
            self.detail.hide()
            self.lookup.run()
        else:
            open_customer_action(self, key, cid)

    def clear_sensitive(self) -> None:
        self._restore_text = self.search.text()
        self.lookup.clear()
        self.detail.clear()
        self.detail.hide()
        self.summary.clear()

    def restore(self) -> None:
        if self._restore_text:
            self.search.blockSignals(True)
            self.search.setText(self._restore_text)
            self.search.blockSignals(False)
            self.lookup.run()
        self.reload_profile()


def open_customer_action(screen: Screen, key: str, customer_id: uuid.UUID) -> None:
    """The profile's quick actions open the other workspaces on this customer."""
    ctx = screen.ctx
    try:
        if key == "book":
            from desktop.views.booking import BookingDialog
            BookingDialog(ctx, customer_id, screen).open()
        elif key == "intake":
            from desktop.views.intake import IntakeDialog
            IntakeDialog(ctx, customer_id=customer_id, parent=screen).open()
        elif key == "enroll":
            from desktop.views.enroll import EnrollDialog
            dlg = EnrollDialog(ctx, customer_id, screen)
            dlg.open()
        elif key == "tradein":
            shell = screen.window().shell if hasattr(screen.window(), "shell") else None
            if shell is not None and shell.go("tradein"):
                target = shell.screens["tradein"]
                if hasattr(target, "start_for"):
                    target.start_for(customer_id)
        elif key == "print":
            from desktop.qt import QMenu
            from desktop.views import preview
            p = screen.detail.profile if hasattr(screen, "detail") else None
            menu = QMenu(screen)
            if p is not None and p.loyalty is not None:
                acc = p.loyalty.account_id
                menu.addAction(screen.tr("Member card"), lambda: preview.open_member_card(ctx, acc, screen))
                menu.addAction(screen.tr("Welcome letter"), lambda: preview.open_welcome_letter(ctx, acc, screen))
            if ctx.can(Perm.EXPORT_ERASE_CUSTOMERS):
                menu.addAction(screen.tr("Customer data (access request)"),
                               lambda: preview.open_customer_export(ctx, customer_id, screen))
            if menu.isEmpty():
                QMessageBox.information(screen, screen.tr("Print"), screen.tr("Nothing to print for this customer."))
                return
            button = screen.detail.buttons.get("print") if hasattr(screen, "detail") else None
            menu.popup(button.mapToGlobal(button.rect().bottomLeft()) if button is not None else
                       screen.mapToGlobal(screen.rect().center()))
    except ImportError:
        QMessageBox.information(screen, screen.tr("Not available"),
                                screen.tr("This part of Orchard is not installed on this counter."))

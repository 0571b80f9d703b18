"""Customer lookup: one search box, results as the user types, details beside them."""

from __future__ import annotations

from core import customers
from core.customers import mask_email, mask_phone
from core.permissions import Perm
from desktop import fmt
from desktop.labels import label
from desktop.models.rows import Column, RowRole
from desktop.qt import QFormLayout, QFrame, QLabel, QLineEdit, Qt, QTimer, QVBoxLayout
from desktop.views.base import ListScreen

DEBOUNCE_MS = 200


class CustomersScreen(ListScreen):
    key, icon, perm = "customers", "people", Perm.VIEW_CUSTOMERS
    watches = ("customer",)

    def __init__(self, ctx, parent=None):
        super().__init__(ctx, parent)
        self.search = QLineEdit()
        self.search.setObjectName("customerSearch")
        self.search.setClearButtonEnabled(True)
        self.search.setPlaceholderText(self.tr("Name, 拼音, phone, email, IMEI or member card"))
        self.toolbar.addWidget(self.search, 1)
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(DEBOUNCE_MS)
        self._timer.timeout.connect(self.activate)
        self.search.textChanged.connect(lambda _: self._timer.start())
        self.search.returnPressed.connect(self._open_first)
        self._seq = 0
        # details of the chosen customer, beside the list
        self.detail = QFrame()
        self.detail.setObjectName("detailPanel")
        self.detail.setMinimumWidth(280)
        form = QFormLayout(self.detail)
        self.d_name, self.d_phone, self.d_email, self.d_since = QLabel(), QLabel(), QLabel(), QLabel()
        for lbl in (self.d_name, self.d_phone, self.d_email, self.d_since):
            lbl.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        form.addRow(self.tr("Name"), self.d_name)
        form.addRow(self.tr("Phone"), self.d_phone)
        form.addRow(self.tr("Email"), self.d_email)
        form.addRow(self.tr("Customer since"), self.d_since)
        self.detail.hide()
        self.layout().addWidget(self.detail)
        self.table.doubleClicked.connect(lambda idx: self.open_row(idx.row()))
        self.table.activated.connect(lambda idx: self.open_row(idx.row()))

    def title(self) -> str:
        return self.tr("Customers")

    def columns(self):
        return [Column(self.tr("Name"), lambda r: r.display_name),
                Column(self.tr("Phone"), lambda r: r.phone),
                Column(self.tr("Email"), lambda r: r.email),
                Column(self.tr("Tier"), lambda r: label(r.tier)),
                Column(self.tr("Last change"), lambda r: fmt.day(r.last_visit), sort_key=lambda r: r.last_visit)]

    def empty_text(self) -> str:
        if not self.search.text().strip():
            return self.tr("Type or scan to find a customer.")
        return self.tr("No customer matches.")

    def query(self):
        actor, text = self.ctx.actor, self.search.text()
        return lambda s: customers.search(s, actor, text)

    def activate(self) -> None:
        self._seq += 1
        seq = self._seq
        if self.ctx.db is None or self.ctx.actor is None:
            return
        if not self.search.text().strip():
            self._loaded_seq(seq, [])
            return
        self.busy.show()
        self.ctx.read(self.query(), on_result=lambda rows: self._loaded_seq(seq, rows), on_error=self._failed,
                      owner=self)

    def _loaded_seq(self, seq: int, rows) -> None:
        if seq != self._seq:
            return   # an older, slower answer: the user has typed on since
        self._loaded(rows)

    def focus_search(self, text: str | None = None) -> None:
        self.search.setFocus()
        if text is not None:
            self.search.setText(text)
        else:
            self.search.selectAll()

    def _open_first(self) -> None:
        self._timer.stop()
        if self.model.rowCount():
            self.open_row(0)
        else:
            self.activate()

    def open_row(self, row: int) -> None:
        r = self.model.data(self.model.index(row, 0), RowRole)
        if r is None:
            return
        actor = self.ctx.actor
        self.ctx.read(lambda s: customers.get_customer(s, actor, r.id), on_result=self._show_detail,
                      on_error=self.fail)

    def _show_detail(self, c) -> None:
        if self.ctx.locked:
            return
        see = self.ctx.can(Perm.SEE_CONTACT_DETAILS)
        self.d_name.setText(c.display_name)
        self.d_phone.setText((c.phone or "") if see else mask_phone(c.phone))
        self.d_email.setText((c.email or "") if see else mask_email(c.email))
        self.d_since.setText(fmt.day(c.created_at))
        self.detail.show()

    def clear_sensitive(self) -> None:
        self._timer.stop()
        self._seq += 1            # drop answers still on their way
        self._restore_text = self.search.text()
        self.search.clear()
        super().clear_sensitive()
        for lbl in (self.d_name, self.d_phone, self.d_email, self.d_since):
            lbl.clear()
        self.detail.hide()

    def restore(self) -> None:
        text = getattr(self, "_restore_text", "")
        self.search.blockSignals(True)
        self.search.setText(text)
        self.search.blockSignals(False)
        self.activate()

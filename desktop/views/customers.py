"""Customer lookup: one search box (typing or a scanner), results as the user types, and
the whole relationship beside them."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Callable

from core import privacy, search
from core.permissions import Perm
from desktop import fmt
from desktop.errors import show_error
from desktop.labels import label
from desktop.models.lookup import TextRowsModel
from desktop.models.rows import RowRole
from desktop.qt import (
    QCoreApplication, QDialog, QDialogButtonBox, QEvent, QHeaderView, QLabel, QLineEdit, QMessageBox, QObject,
    QProgressBar, QPushButton, QSplitter, Qt, QTimer, QVBoxLayout, QWidget,
)
from desktop.views.base import Screen
from desktop.views.customer_form import CustomerForm
from desktop.views.profile import ProfilePanel
from desktop.widgets.table import list_table

if TYPE_CHECKING:
    import uuid

    from core import customers
    from desktop.context import AppContext

# No debounce: measured from the keystroke, any wait counts (issue 25: rendered results
# p95 < 15 ms). A burst of keys (fast typing, a scanner) does not pile up searches: while one
# is being answered, the text typed meanwhile is asked once, as soon as that answer is back.
DEBOUNCE_MS = 0


class LookupBox(QWidget):
    """A search field and its results: a search per keystroke in a worker, at most one at a
    time (the newest text next), stale answers dropped."""

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
        # shown and hidden on every keystroke: its place is kept, so the table is not laid out again
        policy = self.busy.sizePolicy()
        policy.setRetainSizeWhenHidden(True)
        self.busy.setSizePolicy(policy)
        self.busy.hide()
        lay.addWidget(self.busy)
        self.model = TextRowsModel([self.tr("Name"), self.tr("Phone"), self.tr("Last visit"), self.tr("Tier")],
                                   _cells, self)
        self.table = list_table(self.model)
        # a narrow column keeps both ends: "+861310…8909", not six 王芳 all reading "+86131…"
        self.table.setTextElideMode(Qt.TextElideMode.ElideMiddle)
        # the name takes what is left; phone, last visit and tier as wide as what they hold, so
        # the phone's last digits are read whole at 1024 px. Measured here from the widest text
        # of the answer (_fit_columns), not by the header asking every cell on each reset.
        header = self.table.horizontalHeader()
        for col in _FITTED:
            header.setSectionResizeMode(col, QHeaderView.ResizeMode.Fixed)
        self.table.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Fixed)   # rows never measured
        lay.addWidget(self.table, 1)
        self.empty = QLabel()
        self.empty.setObjectName("emptyNote")
        lay.addWidget(self.empty)
        # the newest text, asked once the search being answered is back (a turn of the event
        # loop later, so keys already queued are read first)
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(DEBOUNCE_MS)
        self._timer.timeout.connect(self.run)
        self.search.textChanged.connect(self._typed)
        self._seq = 0
        self._asking = False       # a search is in the worker
        self._queued = False       # the text changed meanwhile: search again when it is back
        self._widths: dict[str, int] = {}
        self._fitted_for = ""
        self.on_results: Callable[[list[search.LookupRow]], None] | None = None
        self._warmed: object | None = None      # the database the warm-up searches ran on
        self._fit_columns()

    def _typed(self, _text: str) -> None:
        self.run()

    def warm(self) -> None:
        """Before the first keystroke (the screen was opened): one search of each kind with a
        single result, thrown away in the worker, so the first real one finds the lookup's code,
        statements and index pages ready and the database thread running."""
        actor, db = self.ctx.actor, self.ctx.db
        if db is None or actor is None or not actor.can(Perm.VIEW_CUSTOMERS) or db is self._warmed:
            return
        self._warmed = db        # once per database, not on each visit to the empty screen

        def work(s: Any) -> None:
            for q in _WARM:
                search.lookup(s, actor, q, limit=1)
        self.ctx.read(work, on_error=lambda exc: None, owner=self)

    def run(self) -> None:
        self._timer.stop()
        self._seq += 1
        seq, text, actor = self._seq, self.search.text(), self.ctx.actor
        if self.ctx.db is None or actor is None:
            return
        if not text.strip():
            self._queued = False
            self._show(seq, [])
            return
        self.busy.show()
        if self._asking:
            self._queued = True
            return
        self._asking = True
        self.ctx.read(lambda s: search.lookup(s, actor, text), on_result=lambda rows: self._answer(seq, rows),
                      on_error=lambda exc: self._failed(seq, exc), owner=self)

    def _next(self) -> None:
        """The worker is free: ask for the text typed while it was busy."""
        self._asking = False
        if self._queued:
            self._queued = False
            self._timer.start()

    def _answer(self, seq: int, rows: list[search.LookupRow]) -> None:
        self._next()
        self._show(seq, rows)

    def _show(self, seq: int, rows: list[search.LookupRow]) -> None:
        if seq != self._seq or self.ctx.locked:
            return   # an older answer (the user typed on), or the counter locked meanwhile
        self.busy.hide()
        self.model.set_rows(rows)
        self._fit_columns()
        if not self.search.text().strip():
            self.empty.setText(self.tr("Type or scan to find a customer."))
        else:
            self.empty.setText("" if rows else self.tr("No customer matches."))
        if self.on_results:
            self.on_results(rows)

    def _fit_columns(self) -> None:
        """Phone, last visit and tier as wide as their widest text (or their title), as the
        header's ResizeToContents would make them, from one measured cell per column."""
        header = self.table.horizontalHeader()
        metrics = self.table.fontMetrics()
        key = self.table.font().key()
        if self._fitted_for != key:
            self._widths.clear()     # another font (language, theme): measure again
            self._fitted_for = key
        advance, text = self._widths, self.model.text
        for col in _FITTED:
            width = header.sectionSizeHint(col)
            if text:
                widest, best = 0, -1
                for r, cells in enumerate(text):
                    s = cells[col]
                    w = advance.get(s)
                    if w is None:
                        w = advance[s] = metrics.horizontalAdvance(s)
                    if w > best:
                        widest, best = r, w
                width = max(width, self.table.sizeHintForIndex(self.model.index(widest, col)).width())
            if header.sectionSize(col) != width:
                header.resizeSection(col, width)
        if len(advance) > 4096:
            advance.clear()

    def _failed(self, seq: int, exc: BaseException) -> None:
        self._next()
        if seq != self._seq:
            return   # the text changed meanwhile: its own search answers
        self.busy.hide()
        show_error(self, exc)

    def row(self, index: int) -> search.LookupRow | None:
        return self.model.data(self.model.index(index, 0), RowRole)

    def clear(self) -> None:
        self._timer.stop()
        self._seq += 1
        self._queued = False
        self.search.blockSignals(True)
        self.search.clear()
        self.search.blockSignals(False)
        self.model.clear()
        self.empty.clear()
        self.busy.hide()


_FITTED = (1, 2, 3)     # phone, last visit, tier
# a query of each kind core.search tells apart (names, Chinese, phone and member digits, IMEI,
# email, serial, member card)
_WARM = ("a", "王", "0000", "000000000000000", "a@", "A1B2C", "ORCHARD:M:0")
_AFTER_PAINT = QEvent.Type(QEvent.registerEventType())
_LOW = int(Qt.EventPriority.LowEventPriority.value)     # what a repaint is queued with


class _Callback(QObject):
    """Calls ``fn`` for each event posted to it: work queued behind what Qt has posted."""

    def __init__(self, fn: Callable[[], None], parent: QObject) -> None:
        super().__init__(parent)
        self._fn = fn

    def event(self, ev: QEvent) -> bool:
        if ev.type() == _AFTER_PAINT:
            self._fn()
            return True
        return super().event(ev)


def _cells(r: search.LookupRow) -> tuple[str, ...]:
    return (r.display_name or "", r.phone or "", fmt.day(r.last_visit), label(r.tier) if r.tier else "")


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
        # the right-hand side: the profile of a customer among the results, or an empty state
        right = QWidget()
        rl = QVBoxLayout(right)
        rl.setContentsMargins(0, 0, 0, 0)
        self.detail = ProfilePanel(ctx)
        self.detail.hide()
        self.detail.action.connect(self._action)
        self.detail.changed.connect(self.reload_profile)
        rl.addWidget(self.detail, 1)
        self.no_profile = QLabel(self.tr("No customer open. Type or scan to find one."))
        self.no_profile.setObjectName("emptyNote")
        self.no_profile.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.no_profile.setWordWrap(True)
        rl.addWidget(self.no_profile, 1)
        split.addWidget(right)
        # half and half: the list shows name, the phone whole, visit and tier; the profile
        # lists its details one a row and needs no more
        self.lookup.setMinimumWidth(380)
        split.setStretchFactor(0, 1)
        split.setStretchFactor(1, 1)
        split.setSizes([580, 580])
        outer.addWidget(split, 1)
        self.search.returnPressed.connect(self._open_first)
        self.table.activated.connect(lambda idx: self.open_row(idx.row()))
        self.table.doubleClicked.connect(lambda idx: self.open_row(idx.row()))
        self.table.selectionModel().currentRowChanged.connect(lambda cur, _: self._row_changed(cur.row()))
        self._current_id: uuid.UUID | None = None
        self._restore_text = ""
        self._shown_query: str | None = None     # the text of the results on screen
        self._want: uuid.UUID | None = None      # open this one when the next results hold it
        self._selecting = False
        self._profile_seq = 0
        self._reveal_member = False
        self._open_after_paint: uuid.UUID | None = None
        self._after_paint = _Callback(self._painted, self)

    def title(self) -> str:
        return self.tr("Customers")

    def activate(self) -> None:
        self.new_button.setVisible(self.ctx.can(Perm.EDIT_CUSTOMERS))
        if self.search.text().strip():
            self.lookup.run()
        else:
            self.lookup.warm()
        self.reload_profile()

    def _results(self, rows: list[search.LookupRow]) -> None:
        """A profile that is not among the results is never shown: a new search opens its
        best match (the first row), the same search again keeps the one open if it is still
        there, and no results leave the right-hand side empty."""
        self.summary.setText(self.tr("{0} shown").format(len(rows)) if rows else "")
        query = self.search.text().strip()
        new, self._shown_query = query != self._shown_query, query
        want, self._want = self._want, None
        ids = [r.id for r in rows]
        if not ids:
            self._show_empty()
            return
        target = want if want in ids else \
            self._current_id if not new and self._current_id in ids else ids[0]
        self._selecting = True
        try:
            self.table.selectRow(ids.index(target))
        finally:
            self._selecting = False
        # the profile is asked for once the results are painted: its read starting in the
        # worker now would hold the interpreter while the table draws (the paint is queued at
        # low priority; this comes after it)
        self._open_after_paint = target
        QCoreApplication.postEvent(self._after_paint, QEvent(_AFTER_PAINT), _LOW)

    def _painted(self) -> None:
        target, self._open_after_paint = self._open_after_paint, None
        if target is not None:
            self.open_id(target)

    def _row_changed(self, row: int) -> None:
        if not self._selecting:
            self.open_row(row)

    def _show_empty(self) -> None:
        self._open_after_paint = None
        self._current_id = None
        self._profile_seq += 1           # a profile still being read is not shown when it comes
        self.detail.clear()
        self.detail.hide()
        self.no_profile.show()
        self.table.clearSelection()

    def focus_search(self, text: str | None = None) -> None:
        self.search.setFocus()
        if text is not None:
            self._shown_query = None     # searched on purpose: open the best match
            self.search.setText(text)
            self.lookup.run()
        else:
            self.search.selectAll()

    def show_customer(self, customer_id: uuid.UUID, text: str) -> None:
        """A scanned member card: search for its number (the results hold its member) and
        open that member's profile, loyalty first."""
        self._want = customer_id
        self._reveal_member = True
        self.focus_search(text)

    def _open_first(self) -> None:
        # a scanner ends with Enter: what the code names opens (a ticket on the bench, a
        # voucher on trade-in, a member card here); anything else searches and opens the best match
        self.lookup._timer.stop()
        text = self.search.text()
        if not text.strip() or self.ctx.actor is None:
            return
        shell = getattr(self.window(), "shell", None)
        if shell is not None and hasattr(shell, "open_scan"):
            shell.open_scan(text)
        else:
            self.focus_search(text)

    def open_row(self, row: int) -> None:
        # the user's choice: the profile the last results asked for after their paint is not
        # opened over it when that event comes
        self._open_after_paint = None
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
        self._profile_seq += 1
        seq = self._profile_seq
        self.ctx.read(lambda s: privacy.profile(s, actor, privacy.resolve(s, actor, cid)),
                      on_result=lambda p: self._show_profile(seq, p),
                      on_error=lambda e: self._profile_failed(seq, e), owner=self)

    def _show_profile(self, seq: int, p: privacy.Profile) -> None:
        if self.ctx.locked or seq != self._profile_seq:
            return    # locked meanwhile, or another customer was opened (or none) since it was asked for
        self._current_id = p.customer.id
        self.no_profile.hide()
        self.detail.show_profile(p)
        self.detail.show()
        if self._reveal_member:
            self._reveal_member = False
            self.detail.ensureWidgetVisible(self.detail.contact["member"])

    def _profile_failed(self, seq: int, exc: BaseException) -> None:
        from core.errors import NotFound
        if seq != self._profile_seq:
            return
        if isinstance(exc, NotFound):
            self._show_empty()
            return
        self.fail(exc)

    def new_customer(self) -> None:
        form = CustomerForm(self.ctx, None, self, on_saved=lambda v: self._created(v))
        form.open()

    def _created(self, view: customers.CustomerView) -> None:
        self._want = view.id
        self.focus_search(view.display_name or view.phone or "")

    def _action(self, key: str, cid: uuid.UUID) -> None:
        p = self.detail.profile
        if key == "edit" and p is not None:
            CustomerForm(self.ctx, p.customer, self, on_saved=lambda v: self.reload_profile()).open()
        elif key == "merge" and p is not None:
            dlg = MergeDialog(self.ctx, p.customer, self)
            dlg.accepted.connect(self.reload_profile)
            dlg.open()
        elif key == "erased":
            self._show_empty()
            self.lookup.run()
        else:
            open_customer_action(self, key, cid)

    def clear_sensitive(self) -> None:
        self._open_after_paint = None
        self._restore_text = self.search.text()
        self.lookup.clear()
        self._profile_seq += 1
        self.detail.clear()
        self.detail.hide()
        self.no_profile.show()
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

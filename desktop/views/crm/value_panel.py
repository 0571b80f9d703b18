"""The profile's "Customer value" box: the segment and value band HQ computed for the chain,
the churn risk with its reasons, what the customer spent and is expected to spend in the
next 12 months, and the next best actions, each with why, to accept or dismiss.

Scores arrive from HQ with a sync (``customer_score``); until then the box says so. The
suggestions come from ``core.crm.actions`` (marketing ones only with the customer's consent);
an accepted or dismissed one leaves the list, and its outcome counts on the dashboard."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from core import clock
from core.permissions import Perm
from desktop import fmt
from desktop.errors import show_error
from desktop.labels import label, language
from desktop.qt import (
    QFrame, QGridLayout, QGroupBox, QHBoxLayout, QLabel, QLayout, QPushButton, QRect, QSize, Qt, QVBoxLayout, QWidget,
)
from desktop.widgets.message import MessageBanner

if TYPE_CHECKING:
    import uuid

    from PySide6.QtWidgets import QLayoutItem
    from sqlalchemy.orm import Session

    from desktop.context import AppContext

BUTTON_HEIGHT = 44        # a finger's width at the counter's touch screen
WORDS_MIN = 200           # px a suggestion's words need beside its buttons; narrower, the buttons go under them
BOLD = "font-weight: 600;"   # the style sheet sets labels in a group box to 400 whatever their font says


class TallButton(QPushButton):
    """A button at least ``BUTTON_HEIGHT`` tall whatever the style sheet's own minimum (it sets
    the minimum when it polishes the button, so the size hint is what grows)."""

    def sizeHint(self) -> QSize:
        hint = super().sizeHint()
        return QSize(hint.width(), max(hint.height(), BUTTON_HEIGHT))


class ActionLayout(QLayout):
    """A suggestion's words and its buttons: the buttons beside the words (centred on them)
    where that leaves the words WORDS_MIN, else under them (the profile at 1024 px, longer
    Chinese words), rather than squeezing the words to a word a line. Decided from the width
    in the same pass that places them, and its height for a width says which, so a row is
    never laid out for one arrangement and drawn in the other."""

    def __init__(self, parent: QWidget | None = None, spacing: int = 8) -> None:
        super().__init__(parent)
        self._items: list[QLayoutItem] = []
        self._spacing = spacing
        self.stacked = False
        self.setContentsMargins(0, 4, 0, 4)

    def addItem(self, item: QLayoutItem) -> None:
        self._items.append(item)

    def count(self) -> int:
        return len(self._items)

    def itemAt(self, index: int) -> QLayoutItem | None:
        return self._items[index] if 0 <= index < len(self._items) else None

    def takeAt(self, index: int) -> QLayoutItem | None:
        return self._items.pop(index) if 0 <= index < len(self._items) else None

    def expandingDirections(self) -> Qt.Orientation:
        return Qt.Orientation.Horizontal

    def hasHeightForWidth(self) -> bool:
        return True

    def heightForWidth(self, width: int) -> int:
        return self._arrange(QRect(0, 0, width, 0), move=False)

    def setGeometry(self, rect: QRect) -> None:
        super().setGeometry(rect)
        self._arrange(rect, move=True)

    def _parts(self) -> tuple[QLayoutItem | None, QSize]:
        """The words' item and the buttons' size (empty when there are none to show)."""
        words = self._items[0] if self._items else None
        buttons = self._items[1] if len(self._items) > 1 else None
        if buttons is None or buttons.isEmpty():
            return words, QSize(0, 0)
        return words, buttons.sizeHint()

    def sizeHint(self) -> QSize:
        words, buttons = self._parts()
        hint = words.sizeHint() if words is not None else QSize(0, 0)
        m = self.contentsMargins()
        gap = self._spacing if buttons.width() else 0
        return QSize(hint.width() + gap + buttons.width() + m.left() + m.right(),
                     max(hint.height(), buttons.height()) + m.top() + m.bottom())

    def minimumSize(self) -> QSize:
        words, buttons = self._parts()
        least = words.minimumSize() if words is not None else QSize(0, 0)
        m = self.contentsMargins()
        return QSize(max(least.width(), buttons.width()) + m.left() + m.right(),
                     max(least.height(), buttons.height()) + m.top() + m.bottom())

    @staticmethod
    def _height(item: QLayoutItem, width: int) -> int:
        h = item.heightForWidth(width) if item.hasHeightForWidth() else -1
        return h if h >= 0 else item.sizeHint().height()

    def _arrange(self, rect: QRect, move: bool) -> int:
        words, buttons = self._parts()
        m = self.contentsMargins()
        area = rect.adjusted(m.left(), m.top(), -m.right(), -m.bottom())
        bw, bh = buttons.width(), buttons.height()
        stack = bw > 0 and area.width() < bw + self._spacing + WORDS_MIN
        wh = self._height(words, area.width()) if words is not None and stack else 0
        if stack and move and area.height() < wh + self._spacing + bh:
            # given the height of the other arrangement (the box's pass after a resize is still
            # to come): keep the buttons beside the words, whole, till the row has its height
            stack = False
        if stack:
            height = wh + self._spacing + bh
            places = [QRect(area.x(), area.y(), area.width(), wh), QRect(area.x(), area.y() + wh + self._spacing, bw, bh)]
        else:
            ww = area.width() - (bw + self._spacing if bw else 0)
            wh = self._height(words, ww) if words is not None else 0
            height = max(wh, bh)
            # both centred on the row, never past its edges (a row not yet given its height
            # squeezes its words, as a box layout would, rather than cutting them off)
            room = area.height() if move else height
            wh, bh = min(wh, room), min(bh, room)
            places = [QRect(area.x(), area.y() + (room - wh) // 2, ww, wh),
                      QRect(area.x() + area.width() - bw, area.y() + (room - bh) // 2, bw, bh)]
        if move:
            self.stacked = stack
            for item, place in zip(self._items, places):
                item.setGeometry(place)
        return height + m.top() + m.bottom()


class ActionRow(QFrame):
    """One suggestion: its title and why, Accept and Dismiss (:class:`ActionLayout`)."""

    def __init__(self, suggestion: Any, editable: bool, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("nextAction")
        self.suggestion = suggestion
        self.box = ActionLayout(self)
        words = QWidget()
        wl = QVBoxLayout(words)
        wl.setContentsMargins(0, 0, 0, 0)
        wl.setSpacing(2)
        self.title = QLabel(suggestion.title)
        self.title.setObjectName("nextActionTitle")
        self.title.setWordWrap(True)
        self.title.setStyleSheet(BOLD)
        self.why = QLabel(suggestion.why)
        self.why.setObjectName("caption")
        self.why.setWordWrap(True)
        wl.addWidget(self.title)
        wl.addWidget(self.why)
        self.box.addWidget(words)
        self.button_box = QWidget()
        bl = QHBoxLayout(self.button_box)
        bl.setContentsMargins(0, 0, 0, 0)
        bl.setSpacing(6)
        self.accept = TallButton(self.tr("Accept"))
        self.accept.setObjectName("primary")
        self.dismiss = TallButton(self.tr("Dismiss"))
        self.dismiss.setObjectName("nextActionDismiss")
        for b, what in ((self.accept, self.tr("Accept: {0}")), (self.dismiss, self.tr("Dismiss: {0}"))):
            b.setFocusPolicy(Qt.FocusPolicy.StrongFocus)       # Tab reaches both
            b.setAccessibleName(what.format(suggestion.title))
            bl.addWidget(b)
        self.button_box.setVisible(editable)
        self.box.addWidget(self.button_box)

    def stacked(self) -> bool:
        """The buttons are under the words (the row is narrow)."""
        return self.box.stacked


class ValuePanel(QGroupBox):
    """``load(customer_id)`` reads the value and suggestions in the worker; ``clear()``
    empties it (lock, another customer)."""

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("customerValue")
        self.setTitle(self.tr("Customer value"))
        self.ctx = ctx
        self.customer_id: uuid.UUID | None = None
        self.value: Any = None
        self._seq = 0
        lay = QVBoxLayout(self)
        self.empty = QLabel(self.tr("No scores yet: they come from HQ after the next sync."))
        self.empty.setObjectName("caption")
        self.empty.setWordWrap(True)
        lay.addWidget(self.empty)
        self.scores = QWidget()
        grid = QGridLayout(self.scores)
        grid.setContentsMargins(0, 0, 0, 0)
        grid.setColumnStretch(1, 1)
        self.fields: dict[str, QLabel] = {}
        for row, (key, text) in enumerate([
                ("segment", self.tr("Segment")), ("band", self.tr("Value band")), ("churn", self.tr("Churn risk")),
                ("reasons", ""), ("historic", self.tr("Spent so far")),
                ("predicted", self.tr("Next 12 months (expected)"))]):
            if text:
                cap = QLabel(text)
                cap.setObjectName("caption")
                grid.addWidget(cap, row, 0, Qt.AlignmentFlag.AlignTop)
            val = QLabel()
            val.setObjectName(f"value_{key}")
            val.setWordWrap(True)
            val.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
            if key == "reasons":         # the whole width: a reason is a sentence, not a value
                grid.addWidget(val, row, 0, 1, 2)
            else:
                grid.addWidget(val, row, 1)
            self.fields[key] = val
        self.computed = QLabel()
        self.computed.setObjectName("caption")
        self.computed.setWordWrap(True)
        grid.addWidget(self.computed, len(self.fields), 0, 1, 2)
        lay.addWidget(self.scores)
        # the next best actions
        self.actions_title = QLabel(self.tr("Next best actions"))
        self.actions_title.setObjectName("sectionTitle")
        self.actions_title.setStyleSheet(BOLD)
        lay.addSpacing(6)
        lay.addWidget(self.actions_title)
        self.actions_box = QVBoxLayout()
        self.actions_box.setSpacing(4)
        lay.addLayout(self.actions_box)
        self.no_actions = QLabel(self.tr("Nothing to suggest for this customer now."))
        self.no_actions.setObjectName("caption")
        self.no_actions.setWordWrap(True)
        lay.addWidget(self.no_actions)
        self.confirmation = MessageBanner("success")
        lay.addWidget(self.confirmation)
        self.rows: list[ActionRow] = []
        self._show_value(None)
        self._show_suggestions([])

    # --- reading ------------------------------------------------------------------------

    def load(self, customer_id: uuid.UUID) -> None:
        """Read the customer's scores and suggestions (in the worker)."""
        self._seq += 1
        if self.customer_id != customer_id:
            self.confirmation.clear()
        self.customer_id = customer_id
        actor = self.ctx.actor
        if actor is None or self.ctx.db is None:
            return
        seq, lang, now = self._seq, language(), clock.now()

        def work(s: Session) -> tuple[Any, list[Any]]:
            from core.crm import actions, value
            return (value.customer_value(s, actor, customer_id, lang=lang),
                    actions.suggestions(s, actor, customer_id, now=now, lang=lang))

        def show(found: tuple[Any, list[Any]]) -> None:
            if seq == self._seq and not self.ctx.locked:
                self._show_value(found[0])
                self._show_suggestions(found[1])
        self.ctx.read(work, on_result=show, on_error=lambda exc: show_error(self, exc), owner=self)

    def clear(self) -> None:
        self._seq += 1              # an answer still on its way is not shown
        self.customer_id = None
        self.confirmation.clear()
        self._show_value(None)
        self._show_suggestions([])

    def _show_value(self, v: Any) -> None:
        self.value = v
        self.empty.setVisible(v is None)
        self.scores.setVisible(v is not None)
        if v is None:
            for f in self.fields.values():
                f.clear()
            self.computed.clear()
            return
        currency = v.currency or (self.ctx.store.currency if self.ctx.store else "USD")
        self.fields["segment"].setText(v.segment_name)
        self.fields["band"].setText(v.value_band_name or self.tr("no spend yet"))
        self.fields["churn"].setText(self.tr("{0} of 100").format(v.churn_score))
        self.fields["reasons"].setText("\n".join(f"• {r}" for r in v.reasons))
        self.fields["reasons"].setVisible(bool(v.reasons))
        self.fields["historic"].setText(fmt.money(v.historic_cents, currency))
        self.fields["predicted"].setText(fmt.money(v.predicted_cents, currency))
        self.computed.setText(self.tr("Scores from HQ, {0}").format(fmt.day(v.computed_at)))

    def _show_suggestions(self, suggestions: list[Any]) -> None:
        for row in self.rows:
            self.actions_box.removeWidget(row)
            row.hide()
            row.deleteLater()
        self.rows = []
        editable = self.ctx.can(Perm.EDIT_CUSTOMERS)
        for s in suggestions:
            row = ActionRow(s, editable, self)
            row.accept.clicked.connect(lambda _=False, r=row: self._decide(r, "accepted"))
            row.dismiss.clicked.connect(lambda _=False, r=row: self._decide(r, "dismissed"))
            self.actions_box.addWidget(row)
            self.rows.append(row)
        self._actions_shown()

    def _actions_shown(self) -> None:
        loaded = self.customer_id is not None
        self.actions_title.setVisible(loaded)
        self.no_actions.setVisible(loaded and not self.rows)

    # --- acting -------------------------------------------------------------------------

    def _decide(self, row: ActionRow, outcome: str) -> None:
        """Record what staff did with the suggestion; once saved, it leaves the list."""
        cid, actor = self.customer_id, self.ctx.actor
        if cid is None or actor is None:
            return
        s = row.suggestion
        row.accept.setEnabled(False)
        row.dismiss.setEnabled(False)
        now = clock.now()

        def work(session: Session) -> None:
            from core.crm import actions
            actions.record_outcome(session, actor, cid, s.code, s.subject, outcome, now=now)

        def done(_: object) -> None:
            if row in self.rows:
                self.rows.remove(row)
                self.actions_box.removeWidget(row)
                row.hide()
                row.deleteLater()
            self._actions_shown()
            self.confirmation.setText(self.tr("“{0}” {1}: counted in the customer insights.")
                                      .format(s.title, label(outcome, "action_outcome")))
            if self.rows:
                self.rows[0].accept.setFocus()           # the keyboard stays in the list

        def failed(exc: BaseException) -> None:
            row.accept.setEnabled(True)
            row.dismiss.setEnabled(True)
            show_error(self, exc)
        self.ctx.write(work, on_result=done, on_error=failed, owner=self)

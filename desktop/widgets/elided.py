"""A one-line label for text that may be long (an address, an email): it takes the room it
is given, shortens the text with "…" when that room is too small, and then shows the whole
text as its tool tip. ``text()`` is always the whole text."""

from __future__ import annotations

from typing import TYPE_CHECKING

from desktop.qt import QFontMetrics, QLabel, QSize, QSizePolicy, Qt, QWidget

if TYPE_CHECKING:
    from PySide6.QtGui import QResizeEvent


class ElidedLabel(QLabel):
    def __init__(self, text: str = "", parent: QWidget | None = None, *, yielding: bool = False) -> None:
        """``yielding``: take only the room the widgets beside it leave (a long address must
        not starve the email next to it); else as wide as its text where there is room."""
        super().__init__(parent)
        self._full = ""
        self.setSizePolicy(QSizePolicy.Policy.Ignored if yielding else QSizePolicy.Policy.Preferred,
                           QSizePolicy.Policy.Preferred)
        self.setText(text)

    def text(self) -> str:
        return self._full

    def setText(self, text: str) -> None:
        self._full = text or ""
        self.updateGeometry()       # the size it asks for follows the new text
        self._elide()

    def clear(self) -> None:
        """Empties the text and the tool tip (the lock clears customer data)."""
        self.setText("")

    def minimumSizeHint(self) -> QSize:
        hint = super().minimumSizeHint()
        return QSize(min(hint.width(), QFontMetrics(self.font()).horizontalAdvance("…") * 4), hint.height())

    def sizeHint(self) -> QSize:
        return QSize(QFontMetrics(self.font()).horizontalAdvance(self._full) + 4, super().sizeHint().height())

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self._elide()

    def _elide(self) -> None:
        room = max(self.contentsRect().width() - 2 * self.margin(), 0)
        shown = QFontMetrics(self.font()).elidedText(self._full, Qt.TextElideMode.ElideRight, room)
        super().setText(shown)
        self.setToolTip(self._full if shown != self._full else "")

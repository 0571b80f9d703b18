"""A row of buttons that wraps onto the next line when the window is narrow (1024 px, long
Chinese or German labels, 150 % scaling) instead of squeezing each button below the width
its text needs."""

from __future__ import annotations

from typing import TYPE_CHECKING

from desktop.qt import QBoxLayout, QLayout, QPoint, QRect, QSize, QSizePolicy, Qt, QWidget

if TYPE_CHECKING:
    from PySide6.QtGui import QResizeEvent
    from PySide6.QtWidgets import QLayoutItem


class FlowLayout(QLayout):
    """Items left to right at their preferred width, wrapping as a paragraph does."""

    def __init__(self, parent: QWidget | None = None, spacing: int = 6) -> None:
        super().__init__(parent)
        self._items: list[QLayoutItem] = []
        self._spacing = spacing
        self.setContentsMargins(0, 0, 0, 0)

    def addItem(self, item: QLayoutItem) -> None:
        self._items.append(item)

    def count(self) -> int:
        return len(self._items)

    def itemAt(self, index: int) -> QLayoutItem | None:
        return self._items[index] if 0 <= index < len(self._items) else None

    def takeAt(self, index: int) -> QLayoutItem | None:
        return self._items.pop(index) if 0 <= index < len(self._items) else None

    def expandingDirections(self) -> Qt.Orientation:
        return Qt.Orientation(0)

    def hasHeightForWidth(self) -> bool:
        return True

    def heightForWidth(self, width: int) -> int:
        return self._arrange(QRect(0, 0, width, 0), move=False)

    def setGeometry(self, rect: QRect) -> None:
        super().setGeometry(rect)
        self._arrange(rect, move=True)

    def sizeHint(self) -> QSize:
        width = sum(i.sizeHint().width() for i in self._visible()) + self._spacing * max(len(self._visible()) - 1, 0)
        m = self.contentsMargins()
        return QSize(width + m.left() + m.right(), self.minimumSize().height())

    def minimumSize(self) -> QSize:
        size = QSize()
        for item in self._visible():
            size = size.expandedTo(item.minimumSize())
        m = self.contentsMargins()
        return size + QSize(m.left() + m.right(), m.top() + m.bottom())

    def _visible(self) -> list[QLayoutItem]:
        return [i for i in self._items if not (i.widget() is not None and i.widget().isHidden())]

    def _arrange(self, rect: QRect, move: bool) -> int:
        m = self.contentsMargins()
        area = rect.adjusted(m.left(), m.top(), -m.right(), -m.bottom())
        x, y, line = area.x(), area.y(), 0
        for item in self._visible():
            hint = item.sizeHint()
            w = min(hint.width(), area.width())
            if x > area.x() and x + w > area.right() + 1:
                x, y, line = area.x(), y + line + self._spacing, 0
            if move:
                item.setGeometry(QRect(QPoint(x, y), QSize(w, hint.height())))
            x += w + self._spacing
            line = max(line, hint.height())
        return y + line - rect.y() + m.bottom()


def flow_row(*widgets: QWidget, spacing: int = 6) -> QWidget:
    """A widget holding ``widgets`` in a wrapping row; it grows in height when it wraps."""
    row = QWidget()
    lay = FlowLayout(row, spacing)
    for w in widgets:
        lay.addWidget(w)
    policy = QSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Preferred)
    policy.setHeightForWidth(True)
    row.setSizePolicy(policy)
    return row


class AdaptiveRow(QWidget):
    """Layouts side by side when there is room for all of them, else one above the other
    (two form columns on a 1024 px screen), so a scroll area around it never scrolls
    sideways."""

    def __init__(self, *layouts: QLayout, spacing: int = 8, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.box = QBoxLayout(QBoxLayout.Direction.LeftToRight, self)
        self.box.setContentsMargins(0, 0, 0, 0)
        self.box.setSpacing(spacing)
        for lay in layouts:
            self.box.addLayout(lay, 1)

    def _side_by_side_width(self) -> int:
        items = [self.box.itemAt(i) for i in range(self.box.count())]
        return sum(i.minimumSize().width() for i in items if i is not None) + self.box.spacing() * (len(items) - 1)

    def minimumSizeHint(self) -> QSize:
        items = [self.box.itemAt(i) for i in range(self.box.count())]
        width = max((i.minimumSize().width() for i in items if i is not None), default=0)
        return QSize(width, super().minimumSizeHint().height())

    def resizeEvent(self, event: QResizeEvent) -> None:
        want = (QBoxLayout.Direction.LeftToRight if event.size().width() >= self._side_by_side_width()
                else QBoxLayout.Direction.TopToBottom)
        if self.box.direction() != want:
            self.box.setDirection(want)
        super().resizeEvent(event)

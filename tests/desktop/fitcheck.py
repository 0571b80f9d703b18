"""What a person at a small screen would notice, measured on real widgets: text that does
not fit its label, button, drop-down, tab or group title (font metrics against the room
the widget has), widgets cut off by their container, panels that scroll sideways, and
text whose colour is too close to what is behind it (WCAG AA, 4.5:1), also in table cells
that a model colours (its foreground against the view's base or alternate base, under the
cell's own background when it has one).

``problems(root, where)`` checks every visible widget of a window or dialog and returns
one line per problem: where, the widget (object name or class), its text and the
measurement."""

from __future__ import annotations

from collections import Counter

from PySide6 import QtGui
from PySide6.QtCore import QModelIndex, QPoint, QRect, Qt
from PySide6.QtGui import QBrush, QColor, QFontMetrics, QImage, QPalette, QTextDocument
from PySide6.QtWidgets import (
    QAbstractButton, QAbstractItemView, QAbstractScrollArea, QComboBox, QGroupBox, QHeaderView, QLabel, QScrollArea,
    QStyle, QStyleOptionComboBox, QTabBar, QWidget,
)

MIN_CONTRAST = 4.5
SLACK = 1          # px of rounding


def luminance(c: QColor) -> float:
    def lin(v: float) -> float:
        return v / 12.92 if v <= 0.03928 else ((v + 0.055) / 1.055) ** 2.4
    return 0.2126 * lin(c.redF()) + 0.7152 * lin(c.greenF()) + 0.0722 * lin(c.blueF())


def contrast(a: QColor, b: QColor) -> float:
    la, lb = sorted((luminance(a), luminance(b)), reverse=True)
    return (la + 0.05) / (lb + 0.05)


def name_of(w: QWidget) -> str:
    return w.objectName() or type(w).__name__


def plain(text: str, mnemonic: bool = True) -> str:
    """The text as shown: rich text as its words; "&" marks a shortcut key on buttons, tabs
    and group titles (``mnemonic``), not on labels."""
    if QtGui.Qt.mightBeRichText(text):
        doc = QTextDocument()
        doc.setHtml(text)
        return doc.toPlainText()
    return text.replace("&&", "\0").replace("&", "").replace("\0", "&") if mnemonic else text


def widest(fm: QFontMetrics, text: str) -> int:
    return max((fm.horizontalAdvance(line) for line in text.splitlines()), default=0)


def elided_on_purpose(w: QWidget, text: str) -> bool:
    """Shortened with "…" on purpose, the whole text in the tool tip."""
    return bool(w.toolTip()) and (text.endswith("…") or w.toolTip() == text)


def visible_width(w: QWidget) -> tuple[int, int]:
    """How much of the widget its containers leave visible: (width, height). Inside a
    scroll area only the sideways cut counts (scrolling down is what it is for)."""
    left, right, top, bottom = 0, w.width(), 0, w.height()
    child: QWidget = w
    parent = w.parentWidget()
    vertical = True
    while parent is not None and not child.isWindow():
        dx, dy = child.x(), child.y()
        left, right = max(left + dx, 0), min(right + dx, parent.width())
        area = parent.parentWidget()
        if isinstance(area, QAbstractScrollArea) and area.viewport() is parent:
            vertical = False
        if vertical:
            top, bottom = max(top + dy, 0), min(bottom + dy, parent.height())
        else:
            top, bottom = top + dy, bottom + dy
        child, parent = parent, parent.parentWidget()
    return max(right - left, 0), max(bottom - top, 0)


def as_colour(value: object) -> QColor | None:
    if isinstance(value, QBrush):
        return value.color() if value.style() != Qt.BrushStyle.NoBrush else None
    if isinstance(value, QColor):
        return value if value.isValid() else None
    if isinstance(value, (str, Qt.GlobalColor)):
        return QColor(value)
    return None


def blend(top: QColor | None, under: QColor) -> QColor:
    """``top`` (maybe translucent) painted over the opaque ``under``."""
    if top is None:
        return under
    a = top.alphaF()
    return QColor.fromRgbF(top.redF() * a + under.redF() * (1 - a), top.greenF() * a + under.greenF() * (1 - a),
                           top.blueF() * a + under.blueF() * (1 - a))


class Checker:
    def __init__(self, root: QWidget, where: str, seen: dict[tuple[object, ...], str | None] | None = None,
                 popups: bool = True) -> None:
        self.seen = {} if seen is None else seen
        self.popups = popups
        self.root = root
        self.where = where
        self.found: list[str] = []
        image = root.grab().toImage()
        self.image = image.convertToFormat(QImage.Format.Format_RGB32)
        self.dpr = image.devicePixelRatio() or 1.0
        self.stride = self.image.bytesPerLine()
        self.bits = bytes(self.image.constBits())

    def report(self, w: QWidget, text: str, problem: str) -> None:
        self.found.append(f"[{self.where}] {name_of(w)} ({type(w).__name__}) {text[:60]!r}: {problem}")

    # --- fit --------------------------------------------------------------------------

    def fit(self, w: QWidget) -> str | None:
        """The text the widget shows, after reporting when it does not fit; None to skip."""
        fm = QFontMetrics(w.font())
        if isinstance(w, QLabel):
            text = plain(w.text(), mnemonic=False)
            if not text.strip() or w.wordWrap() or elided_on_purpose(w, text):
                return text or None
            room = w.contentsRect().width() - 2 * w.margin() - max(w.indent(), 0)
            need = widest(fm, text)
            if need > room + SLACK:
                self.report(w, text, f"text needs {need}px, label has {room}px")
            return text
        if isinstance(w, QAbstractButton):
            text = plain(w.text())
            if not text.strip() or elided_on_purpose(w, text):
                return text or None
            need = w.minimumSizeHint().width()
            if w.width() + SLACK < need:
                self.report(w, text, f"button needs {need}px, has {w.width()}px")
            return text
        if isinstance(w, QComboBox):
            text = w.currentText()
            if not text or elided_on_purpose(w, text):
                return text or None
            opt = QStyleOptionComboBox()
            w.initStyleOption(opt)
            field = w.style().subControlRect(QStyle.ComplexControl.CC_ComboBox, opt,
                                             QStyle.SubControl.SC_ComboBoxEditField, w)
            icon = w.iconSize().width() + 4 if not w.itemIcon(w.currentIndex()).isNull() else 0
            need = fm.horizontalAdvance(text) + icon
            if need > field.width() + SLACK:
                self.report(w, text, f"drop-down text needs {need}px, field has {field.width()}px")
            return text
        if isinstance(w, QGroupBox):
            text = plain(w.title())
            need = fm.horizontalAdvance(text) + 16
            if text and need > w.width() + SLACK:
                self.report(w, text, f"group title needs {need}px, box has {w.width()}px")
            return None      # the title sits on the frame: its contrast is the panel's
        return None

    def tabs(self, bar: QTabBar) -> None:
        fm = QFontMetrics(bar.font())
        for i in range(bar.count()):
            if not bar.isTabVisible(i):
                continue
            text = plain(bar.tabText(i))
            r = bar.tabRect(i)
            icon = bar.iconSize().width() + 4 if not bar.tabIcon(i).isNull() else 0
            need = fm.horizontalAdvance(text) + icon + 8
            if r.left() < 0 or r.right() > bar.width() + SLACK:
                self.report(bar, text, f"tab {i} is outside the tab bar ({r.left()}..{r.right()} of {bar.width()})")
            elif r.width() + SLACK < need:
                self.report(bar, text, f"tab {i} needs {need}px, has {r.width()}px")

    def popup(self, box: QComboBox) -> None:
        """Its list, opened: enough rows at once (at least five, or all), each item whole."""
        if box.count() < 3:
            return
        box.showPopup()
        try:
            view = box.view()
            row = max(view.sizeHintForRow(0), 1)
            rows = view.viewport().height() // row
            want = min(box.count(), 5)
            if rows < want:
                self.report(box, box.currentText(), f"its list shows {rows} of {box.count()} items at once")
            fm = QFontMetrics(view.font())
            need = max(fm.horizontalAdvance(box.itemText(i)) for i in range(box.count()))
            room = view.viewport().width() - 8
            if need > room + SLACK:
                self.report(box, box.currentText(), f"its list needs {need}px for the longest item, has {room}px")
        finally:
            box.hidePopup()

    def clipped(self, w: QWidget, text: str) -> None:
        vw, vh = visible_width(w)
        if vw + SLACK < w.width() or vh + SLACK < w.height():
            self.report(w, text, f"cut off by its container: {vw}x{vh} of {w.width()}x{w.height()} visible")

    # --- contrast --------------------------------------------------------------------

    def pixel(self, x: int, y: int) -> int:
        o = y * self.stride + 4 * x
        return int.from_bytes(self.bits[o:o + 3], "little")

    def colours(self, w: QWidget) -> tuple[QColor, QColor] | None:
        """(background, the interior colour that stands out most from it) as rendered: the
        background is the commonest colour on the widget's edges (text seldom reaches them)."""
        shown = w.visibleRegion().boundingRect()      # only what is on screen (not scrolled away)
        r = shown.translated(w.mapTo(self.root, QPoint(0, 0))).intersected(self.root.rect())
        if r.width() < 4 or r.height() < 4:
            return None
        d = self.dpr
        x0, x1 = int(r.left() * d), min(int((r.right() + 1) * d), self.image.width()) - 1
        y0, y1 = int(r.top() * d), min(int((r.bottom() + 1) * d), self.image.height()) - 1
        edges: Counter[int] = Counter()
        for x in range(x0, x1 + 1, 2):
            edges[self.pixel(x, y0)] += 1
            edges[self.pixel(x, y1)] += 1
        for y in range(y0, y1 + 1, 2):
            edges[self.pixel(x0, y)] += 1
            edges[self.pixel(x1, y)] += 1
        bg = edges.most_common(1)[0][0]
        inner: Counter[int] = Counter()
        for k in range(1, 8):
            y = y0 + (y1 - y0) * k // 8
            for x in range(x0 + 3, x1 - 2):
                inner[self.pixel(x, y)] += 1
        bg_colour = QColor.fromRgb(bg)
        seen = [QColor.fromRgb(c) for c, n in inner.items() if n >= 2 and c != bg]
        fg = max(seen, key=lambda c: contrast(c, bg_colour), default=bg_colour)
        return bg_colour, fg

    def contrast(self, w: QWidget, text: str) -> None:
        key = (id(w), text, w.width(), w.height(), w.underMouse(), w.hasFocus(),
               isinstance(w, QAbstractButton) and w.isChecked(), w.styleSheet())
        if key in self.seen:
            problem = self.seen[key]
            if problem:
                self.report(w, text, problem)
            return
        self.seen[key] = None
        found = self.colours(w)
        if found is None:
            return
        bg, drawn = found
        fg = w.palette().color(w.foregroundRole())
        ratio = max(contrast(fg, bg), contrast(drawn, bg))
        if ratio < MIN_CONTRAST:
            problem = f"contrast {ratio:.2f}:1, text {fg.name()} (drawn {drawn.name()}) on {bg.name()}"
            self.seen[key] = problem
            self.report(w, text, problem)

    def cells(self, view: QAbstractItemView) -> None:
        """Cells the model colours: its Qt.ForegroundRole against what the view paints behind
        the row (base or alternate base, with the model's BackgroundRole laid over it)."""
        model = view.model()
        if model is None:
            return
        pal = view.palette()
        alternate = view.alternatingRowColors()
        shown: set[str] = set()
        top = QModelIndex()
        for row in range(min(model.rowCount(top), 60)):
            for col in range(40):          # (a list model keeps columnCount to itself)
                index = model.index(row, col, top)
                if not index.isValid():
                    break
                fg = as_colour(model.data(index, Qt.ItemDataRole.ForegroundRole))
                if fg is None:
                    continue
                base = pal.color(QPalette.ColorRole.AlternateBase if alternate and row % 2
                                 else QPalette.ColorRole.Base)
                bg = blend(as_colour(model.data(index, Qt.ItemDataRole.BackgroundRole)), base)
                ratio = contrast(fg, bg)
                key = f"{fg.name()}/{bg.name()}"
                if ratio < MIN_CONTRAST and key not in shown:
                    shown.add(key)
                    text = str(model.data(index, Qt.ItemDataRole.DisplayRole) or "")
                    self.report(view, text, f"cell ({row}, {col}) contrast {ratio:.2f}:1, "
                                            f"text {fg.name()} on {bg.name()}")

    # --- the walk --------------------------------------------------------------------

    def run(self) -> list[str]:
        for w in [self.root, *self.root.findChildren(QWidget)]:
            if not w.isVisible() or not w.isEnabled() or w.width() <= 0 or w.height() <= 0:
                continue
            if isinstance(w, QScrollArea) and w.horizontalScrollBar().isVisible():
                inner = w.widget()
                need = inner.minimumSizeHint().width() if inner is not None else 0
                self.report(w, "", f"scrolls sideways (needs {need} px, has {w.viewport().width()})")
            if isinstance(w, QTabBar):
                self.tabs(w)
                continue
            if isinstance(w, QAbstractItemView) and not isinstance(w, QHeaderView):
                self.cells(w)
            if isinstance(w, QComboBox) and self.popups:
                self.popup(w)
            text = self.fit(w)
            if text and text.strip():
                self.clipped(w, text)
                if isinstance(w, (QLabel, QAbstractButton, QComboBox)):
                    self.contrast(w, text)
        return self.found


def problems(root: QWidget, where: str, seen: dict[tuple[object, ...], str | None] | None = None) -> list[str]:
    """``seen`` (one dict per window) remembers the contrast of widgets already measured."""
    return Checker(root, where, seen).run()

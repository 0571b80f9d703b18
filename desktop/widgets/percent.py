"""A whole percentage typed in a box that starts empty: a value nobody entered stays empty
(a spin box would silently offer its minimum or a default), and only 0–100 can be typed."""

from __future__ import annotations

from desktop.qt import QLineEdit, QValidator, QWidget, Signal


class _Percent(QValidator):
    def validate(self, text: str, pos: int) -> object:
        digits = text.strip()
        if not digits:
            return QValidator.State.Intermediate, text, pos
        if not digits.isdigit() or not digits.isascii() or len(digits) > 3:
            return QValidator.State.Invalid, text, pos
        ok = 0 <= int(digits) <= 100
        return (QValidator.State.Acceptable if ok else QValidator.State.Invalid), text, pos


class PercentEdit(QLineEdit):
    """``value()`` is the percentage, or None while the box is empty."""

    valueChanged = Signal(object)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("percentEdit")
        self.setValidator(_Percent(self))
        self.setMaxLength(3)
        self.setMaximumWidth(90)
        self.setPlaceholderText("0–100")
        self.textChanged.connect(lambda _: self.valueChanged.emit(self.value()))

    def value(self) -> int | None:
        text = self.text().strip()
        return int(text) if text.isdigit() else None

    def setValue(self, value: int | None) -> None:
        self.setText("" if value is None else str(int(value)))

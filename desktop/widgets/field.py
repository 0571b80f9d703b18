"""A form field with its error below it: the one way every form shows a refused value
beside the field that holds it (``desktop.errors.FieldErrors`` fills and clears it)."""

from __future__ import annotations

from desktop.errors import FieldErrors
from desktop.qt import QLabel, QLayout, QVBoxLayout, QWidget
from desktop.widgets.message import MessageBanner


def error_label() -> QLabel:
    """A form's general error line: hidden until a refusal belongs to no single field."""
    label = QLabel()
    label.setObjectName("fieldError")
    label.setWordWrap(True)
    label.hide()
    return label


def general_error() -> MessageBanner:
    """A form's general error as an error banner (icon and colours of an error), hidden
    until a refusal belongs to no single field. It reads like a label, so ``FieldErrors``
    fills and clears it as it does ``error_label``."""
    return MessageBanner("error")


def set_field_error(fields: FieldErrors, field: str, text: str) -> None:
    """Show ``text`` beside one field (outlining it) while the user is still typing, or
    clear that field's error when ``text`` is empty; the form's other errors stay."""
    label, widget = fields._fields[field]
    label.setText(text)
    label.setVisible(bool(text))
    if widget is not None and bool(widget.property("invalid")) != bool(text):
        widget.setProperty("invalid", bool(text))
        widget.style().unpolish(widget)
        widget.style().polish(widget)


class FieldRow(QWidget):
    """``content`` (a widget or a layout) with an error line under it, bound in ``fields``
    to the core's ``field`` name. ``marks`` is the widget outlined and focused on an error:
    ``content`` itself when it is a widget."""

    def __init__(self, fields: FieldErrors, field: str, content: QWidget | QLayout,
                 marks: QWidget | None = None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        lay = QVBoxLayout(self)
        lay.setContentsMargins(0, 0, 0, 0)
        lay.setSpacing(2)
        if isinstance(content, QLayout):
            lay.addLayout(content)
        else:
            lay.addWidget(content)
        self.error = QLabel()
        lay.addWidget(self.error)
        fields.bind(field, self.error, marks if marks is not None else content if isinstance(content, QWidget)
                    else None)

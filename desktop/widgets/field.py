"""A form field with its error below it: the one way every form shows a refused value
beside the field that holds it (``desktop.errors.FieldErrors`` fills and clears it)."""

from __future__ import annotations

from desktop.errors import FieldErrors
from desktop.qt import QLabel, QLayout, QVBoxLayout, QWidget


def error_label() -> QLabel:
    """A form's general error line: hidden until a refusal belongs to no single field."""
    label = QLabel()
    label.setObjectName("fieldError")
    label.setWordWrap(True)
    label.hide()
    return label


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

"""What every page of the first-run wizard has: a heading, a form whose fields carry the
core's field names (so a refusal lands beside its field), and how the page reads and
writes its part of the answers."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Callable

from desktop.errors import FieldErrors
from desktop.qt import QComboBox, QFormLayout, QLabel, QLineEdit, QVBoxLayout, QWidget
from desktop.widgets.field import FieldRow, general_error

if TYPE_CHECKING:
    from core.setup import SetupAnswers


class WizardPage(QWidget):
    """One step. ``fields`` lists the answers it asks (checked when Next is pressed);
    ``slow_check`` (optional) is work for the I/O pool before the wizard moves on."""

    fields: tuple[str, ...] = ()

    def __init__(self, title: str, intro: str = "", parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.title = title
        self.errors = FieldErrors(general=general_error())
        self.lay = QVBoxLayout(self)
        self.lay.setContentsMargins(0, 0, 0, 0)
        self.lay.setSpacing(10)
        if intro:
            self.intro = hint(intro)
            self.lay.addWidget(self.intro)

    def form(self, add: bool = True) -> QFormLayout:
        form = QFormLayout()
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        if add:
            self.lay.addLayout(form)
        return form

    def row(self, form: QFormLayout, field: str, text: str, widget: QWidget) -> FieldRow:
        row = FieldRow(self.errors, field, widget)
        form.addRow(text, row)
        return row

    def finish_layout(self) -> None:
        self.lay.addWidget(self.errors.general)
        self.lay.addStretch(1)

    # what each page fills in ------------------------------------------------------------------
    def load(self, answers: SetupAnswers) -> None:
        """Show ``answers`` in the page's widgets."""

    def store(self, answers: SetupAnswers) -> None:
        """Put the widgets' values into ``answers``."""

    def own_checks(self) -> list[tuple[str, str]]:
        """Checks only the screen can make (a passphrase typed twice): (field, words shown)."""
        return []

    def show_errors(self, exc: BaseException) -> None:
        self.errors.show(exc)

    def active_fields(self, answers: SetupAnswers) -> tuple[str, ...]:
        return self.fields

    def slow_check(self, answers: SetupAnswers) -> Callable[[Any], Any] | None:
        """Work for the I/O pool before moving on (its errors shown on this page)."""
        return None

    def slow_checked(self, answers: SetupAnswers, result: Any) -> None:
        """The slow check's answer, on the GUI thread."""


def hint(text: str) -> QLabel:
    label = QLabel(text)
    label.setObjectName("hint")
    label.setWordWrap(True)
    return label


def note(text: str) -> QLabel:
    """What a choice means, under its radio button (quieter than a hint)."""
    label = QLabel(text)
    label.setObjectName("cardSubtitle")
    label.setWordWrap(True)
    label.setContentsMargins(26, 0, 0, 6)
    return label


def secret_box() -> QLineEdit:
    box = QLineEdit()
    box.setEchoMode(QLineEdit.EchoMode.Password)
    return box


def editable_combo(items: list[str]) -> QComboBox:
    combo = QComboBox()
    combo.setEditable(True)
    combo.addItems(items)
    return combo


def set_combo(combo: QComboBox, value: str) -> None:
    """Show ``value`` in an editable combo (added to its list when it is not there)."""
    if not value:
        return
    i = combo.findText(value)
    if i < 0:
        combo.addItem(value)
        i = combo.count() - 1
    combo.setCurrentIndex(i)

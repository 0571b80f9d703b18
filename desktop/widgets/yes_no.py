"""A yes/no question answered in words: two exclusive radio buttons, "Yes" and "No", with
no answer chosen until someone chooses one (an unanswered question is never a silent "no").

Each button stands for one of the question's own options (the activation-lock question's
"Yes" is its option "off"). For the screen that fills it, it reads like the combo box the
other questions use: index 0 is no answer, 1 is "Yes", 2 is "No"; ``currentData`` is the
chosen option or None, ``findData`` and ``setCurrentIndex`` set it back, and
``currentIndexChanged`` tells of every change."""

from __future__ import annotations

from typing import Any

from desktop.qt import QButtonGroup, QHBoxLayout, QRadioButton, QWidget, Signal


class YesNoChoice(QWidget):
    currentIndexChanged = Signal(int)

    def __init__(self, yes_option: str, no_option: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.options: tuple[None, str, str] = (None, yes_option, no_option)
        lay = QHBoxLayout(self)
        lay.setContentsMargins(0, 0, 0, 0)
        lay.setSpacing(18)
        self.yes = QRadioButton(self.tr("Yes"))
        self.no = QRadioButton(self.tr("No"))
        self.group = QButtonGroup(self)
        self.group.setExclusive(True)
        for i, button in ((1, self.yes), (2, self.no)):
            self.group.addButton(button, i)
            lay.addWidget(button)
        lay.addStretch(1)
        self.group.idToggled.connect(self._toggled)

    def _toggled(self, button_id: int, checked: bool) -> None:
        if checked and not self.signalsBlocked():
            self.currentIndexChanged.emit(button_id)

    def count(self) -> int:
        return 3

    def currentIndex(self) -> int:
        return max(0, self.group.checkedId())

    def currentData(self) -> Any:
        return self.options[self.currentIndex()]

    def findData(self, value: Any) -> int:
        return self.options.index(value) if value in self.options else -1

    def setCurrentIndex(self, index: int) -> None:
        if index == self.currentIndex():
            return
        if index in (1, 2):
            (self.yes if index == 1 else self.no).setChecked(True)
            return
        # no answer: an exclusive group never unchecks its last button by itself
        self.group.setExclusive(False)
        for button in (self.yes, self.no):
            button.setChecked(False)
        self.group.setExclusive(True)
        if not self.signalsBlocked():
            self.currentIndexChanged.emit(0)

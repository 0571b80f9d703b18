"""What the associate's screen shows while the customer answers the survey on the display:
that they are answering, and Cancel; then "Answer saved". Never the answers: the scores
and the comment go from the display to the database and nowhere else."""

from __future__ import annotations

from desktop.qt import QDialog, QHBoxLayout, QLabel, QPushButton, Qt, QVBoxLayout, QWidget


class WaitingDialog(QDialog):
    """``WaitingDialog(parent)``: opened window-modal over the associate's window."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("displayWaiting")
        self.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.setWindowTitle(self.tr("Customer display"))
        lay = QVBoxLayout(self)
        self.text = QLabel(self.tr("The customer is answering on the display."))
        self.text.setObjectName("displayWaitingText")
        self.text.setWordWrap(True)
        lay.addWidget(self.text)
        row = QHBoxLayout()
        row.addStretch(1)
        self.cancel_button = QPushButton(self.tr("Cancel"))
        self.cancel_button.clicked.connect(self.reject)
        row.addWidget(self.cancel_button)
        self.close_button = QPushButton(self.tr("Close"))
        self.close_button.setObjectName("primary")
        self.close_button.clicked.connect(self.accept)
        self.close_button.hide()
        row.addWidget(self.close_button)
        lay.addLayout(row)
        self.setMinimumWidth(420)

    def saved(self) -> None:
        self.text.setText(self.tr("Answer saved. Thank you."))
        self.cancel_button.hide()
        self.close_button.show()
        self.close_button.setDefault(True)
        self.close_button.setFocus()

    def failed(self, message: str) -> None:
        self.text.setText(message)
        self.cancel_button.hide()
        self.close_button.show()
        self.close_button.setFocus()

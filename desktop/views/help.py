"""F1: the keyboard shortcuts of the screen in front of the user, then those that work
everywhere, read from the one table in ``desktop.shortcuts``."""

from __future__ import annotations

from desktop import shortcuts
from desktop.qt import QDialog, QDialogButtonBox, QGridLayout, QLabel, Qt, QVBoxLayout, QWidget


class ShortcutsDialog(QDialog):
    def __init__(self, screen: str | None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("shortcutsDialog")
        self.setWindowTitle(self.tr("Keyboard shortcuts"))
        self.rows: list[tuple[str, str]] = []       # (keys, what they do), as shown
        lay = QVBoxLayout(self)
        scopes = ([screen] if screen and shortcuts.SCOPES.get(screen) is not None else []) + [shortcuts.GLOBAL]
        for scope in scopes:
            head = QLabel(self.tr("On this screen: {0}").format(shortcuts.scope_title(scope)) if scope
                          else shortcuts.scope_title(scope))
            head.setObjectName("sectionTitle")
            lay.addWidget(head)
            grid = QGridLayout()
            grid.setHorizontalSpacing(16)
            rows = shortcuts.for_scope(scope)
            if not rows:
                grid.addWidget(QLabel(self.tr("This screen has no shortcuts of its own.")), 0, 0, 1, 2)
            for i, s in enumerate(rows):
                key = QLabel(s.key_text())
                key.setObjectName("shortcutKey")
                key.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
                grid.addWidget(key, i, 0)
                grid.addWidget(QLabel(s.title()), i, 1)
                self.rows.append((s.key_text(), s.title()))
            grid.setColumnStretch(1, 1)
            lay.addLayout(grid)
        lay.addStretch(1)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        lay.addWidget(buttons)
